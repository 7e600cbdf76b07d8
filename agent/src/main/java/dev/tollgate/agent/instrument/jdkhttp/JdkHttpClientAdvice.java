package dev.tollgate.agent.instrument.jdkhttp;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.JdkHttpBridge;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/**
 * Inlined into {@code jdk.internal.net.http.HttpClientImpl}'s private {@code sendAsync(request,
 * handler, pushPromiseHandler, executor)}, which {@code send} and both public {@code sendAsync}
 * methods go through. A blocked call never reaches the client: the method is skipped and its
 * future is completed by the agent.
 */
public final class JdkHttpClientAdvice {
  private JdkHttpClientAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static Object enter(
      @Advice.Argument(0) HttpRequest request,
      @Advice.Argument(value = 1, readOnly = false) HttpResponse.BodyHandler<?> handler,
      @Advice.Local("tollgate") CallHandle handle) {
    try {
      String url = request.uri().toString();
      Object operation = Hooks.classify(request.method(), url);
      if (operation == null) {
        return null;
      }
      JdkHttpBridge jdk = JdkHttpBridge.SUPPORT.forLibrary(HttpClient.class);
      if (!jdk.meters()) {
        return null;
      }
      Object publisher = request.bodyPublisher().orElse(null);
      String[] names = Hooks.attributeHeaders();
      String[] headers = names.length == 0 ? null : new String[names.length];
      for (int i = 0; i < names.length; i++) {
        headers[i] = request.headers().firstValue(names[i]).orElse(null);
      }
      handle = Hooks.begin(operation, url, jdk.bodyBytes(publisher), jdk.contentLength(publisher), headers);
      if (handle.isBlocked()) {
        return jdk.blocked(handle, request, handler);
      }
      handler = (HttpResponse.BodyHandler<?>) jdk.wrapHandler(handle, handler);
      return null;
    } catch (Throwable t) {
      Hooks.failed("jdk-http-enter", t);
      return null;
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object blocked,
      @Advice.Local("tollgate") CallHandle handle,
      @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object future,
      @Advice.Thrown Throwable thrown) {
    if (blocked != null) {
      future = blocked;
      return;
    }
    if (handle == null) {
      return;
    }
    if (thrown != null) {
      handle.onFailure(thrown);
    } else if (future != null) {
      future = JdkHttpBridge.SUPPORT.forLibrary(HttpClient.class).watch(handle, future);
    }
  }
}
