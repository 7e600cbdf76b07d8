package dev.tollgate.agent.instrument.vertx;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.VertxCalls;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpMethod;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;
import org.jspecify.annotations.Nullable;

/**
 * Inlined into Vert.x core's {@code HttpClientRequestImpl.doWrite(ByteBuf, boolean end, boolean
 * connect, …)}, where every write of a request body ends ({@code send}, {@code end}, {@code write},
 * and so Vert.x WebClient and the clients built on either). On the request's first write, before its
 * head is written, a POST to a metered endpoint is classified and metered: with its whole body when
 * that write ends the request ({@code send(Buffer)}, {@code end(Buffer)}), else from its declared
 * {@code Content-Length}. A blocked call skips the write: the request fails with the block's
 * exception and its stream is reset before a byte of it leaves.
 *
 * <p>Vert.x takes a connection from its pool (opening one if needed) when the application asks for
 * the request object, before any body exists; the block comes after that but before anything is
 * sent. Compiled against Vert.x 4.5; {@link Exit4} and {@link Exit5} are the two shapes of the method
 * (a completion handler in 4.x, a returned {@code Future} in 5.x).
 */
public final class VertxWriteAdvice {
  private VertxWriteAdvice() {}

  /** Returns the handle of a blocked call (the write is skipped), else null. */
  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static @Nullable CallHandle enter(
      @Advice.This HttpClientRequest request,
      @Advice.Argument(0) ByteBuf buff,
      @Advice.Argument(1) boolean end,
      @Advice.FieldValue("headWritten") boolean headWritten) {
    try {
      if (headWritten || !HttpMethod.POST.equals(request.getMethod()) || !Hooks.mayMeter("POST", null)) {
        return null;
      }
      String url = request.absoluteURI();
      Object classified = VertxCalls.classify(request, url);
      if (classified == null) {
        return null;
      }
      MultiMap headers = request.headers();
      byte[] body = end ? (buff == null ? new byte[0] : ByteBufUtil.getBytes(buff)) : null;
      String declared = headers.get("Content-Length");
      long length = body != null ? body.length : declared != null ? Long.parseLong(declared.trim()) : -1;
      String[] names = Hooks.attributeHeaders();
      String[] values = names.length == 0 ? null : new String[names.length];
      for (int i = 0; values != null && i < names.length; i++) {
        values[i] = headers.get(names[i]);
      }
      CallHandle handle = VertxCalls.begin(request, classified, url, body, length, values);
      return handle.isBlocked() ? handle : null;
    } catch (Throwable t) {
      Hooks.failed("vertx-write", t);
      return null;
    }
  }

  /** Vert.x 4.x: {@code void doWrite(ByteBuf, boolean, boolean, Handler<AsyncResult<Void>>)}. */
  public static final class Exit4 {
    private Exit4() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.This HttpClientRequest request,
        @Advice.Enter CallHandle blocked,
        @Advice.FieldValue("stream") Object stream,
        @Advice.Argument(3) Handler<AsyncResult<Void>> done,
        @Advice.Thrown Throwable thrown) {
      Throwable refusal = VertxCalls.afterWrite(request, blocked, stream, thrown);
      if (refusal != null && done != null) {
        done.handle(Future.failedFuture(refusal));
      }
    }
  }

  /** Vert.x 5.x: {@code Future<Void> doWrite(ByteBuf, boolean, boolean)}. */
  public static final class Exit5 {
    private Exit5() {}

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(
        @Advice.This HttpClientRequest request,
        @Advice.Enter CallHandle blocked,
        @Advice.FieldValue("stream") Object stream,
        @Advice.Return(readOnly = false, typing = Assigner.Typing.DYNAMIC) Object result,
        @Advice.Thrown Throwable thrown) {
      Throwable refusal = VertxCalls.afterWrite(request, blocked, stream, thrown);
      if (refusal != null) {
        result = Future.failedFuture(refusal);
      }
    }
  }
}
