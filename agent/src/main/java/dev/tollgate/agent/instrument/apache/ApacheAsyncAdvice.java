package dev.tollgate.agent.instrument.apache;

import dev.tollgate.agent.bootstrap.ApacheAsyncBridge;
import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Inlined into Apache HttpClient 5's async {@code doExecute(target, requestProducer,
 * responseConsumer, pushHandlerFactory, context, callback)}: {@code InternalAbstractHttpAsyncClient}'s
 * (the default and HTTP/2 clients) and {@code AbstractMinimalHttpAsyncClientBase}'s (the minimal
 * ones). Every {@code CloseableHttpAsyncClient.execute} overload, {@code SimpleHttpRequest} ones
 * included, ends there, once per call, before a connection is leased. A blocked call skips the
 * method and returns the agent's future; otherwise the response consumer is swapped for a tapping
 * one. The work is done by the {@link ApacheAsyncBridge} defined next to the application's library.
 */
public final class ApacheAsyncAdvice {
  private ApacheAsyncAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static boolean enter(
      @Advice.Argument(0) HttpHost target,
      @Advice.Argument(1) AsyncRequestProducer producer,
      @Advice.Argument(value = 2, readOnly = false) AsyncResponseConsumer<?> consumer,
      @Advice.Local("tollgate") CallHandle handle) {
    try {
      ApacheAsyncBridge apache = ApacheAsyncBridge.SUPPORT.forLibrary(CloseableHttpAsyncClient.class);
      handle = apache.begin(target, producer);
      if (handle == null) {
        return false;
      }
      if (handle.isBlocked()) {
        return true;
      }
      consumer = (AsyncResponseConsumer<?>) apache.wrapConsumer(handle, consumer);
      return false;
    } catch (Throwable t) {
      Hooks.failed("apache-async-enter", t);
      return false;
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter boolean blocked,
      @Advice.Local("tollgate") CallHandle handle,
      @Advice.Argument(1) AsyncRequestProducer producer,
      @Advice.Argument(2) AsyncResponseConsumer<?> consumer,
      @Advice.Argument(4) HttpContext context,
      @Advice.Argument(5) FutureCallback<?> callback,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object future,
      @Advice.Thrown Throwable thrown) {
    if (handle == null) {
      return;
    }
    ApacheAsyncBridge apache = ApacheAsyncBridge.SUPPORT.forLibrary(CloseableHttpAsyncClient.class);
    if (blocked) {
      future = apache.blocked(handle, producer, consumer, context, callback);
    } else if (thrown != null) {
      handle.onFailure(thrown);
    } else {
      apache.watch(handle, future);
    }
  }
}
