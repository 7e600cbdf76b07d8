package dev.tollgate.agent.instrument.vertx;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.VertxCalls;
import io.vertx.core.MultiMap;
import io.vertx.core.buffer.Buffer;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into Vert.x core's {@code HttpClientResponseImpl}, which every response body passes
 * through on its way to the application, however it reads it (a handler, {@code body()}, a pipe,
 * WebClient's codecs): each chunk reaches the call's tap just before the application's handler gets
 * it, and the call settles at the end, before the application's end handler runs. Calls that are
 * not metered cost one volatile read per event.
 */
public final class VertxResponseAdvice {
  private VertxResponseAdvice() {}

  /** The constructor: the status line and headers arrived. */
  public static final class Start {
    private Start() {}

    @Advice.OnMethodExit(suppress = Throwable.class)
    public static void exit(@Advice.Argument(0) Object request, @Advice.Argument(3) int status, @Advice.Argument(5) MultiMap headers) {
      try {
        if (VertxCalls.metered(request)) {
          VertxCalls.responseStarted(request, status, headers.get("Content-Type"), headers.get("Content-Encoding"));
        }
      } catch (Throwable t) {
        Hooks.failed("vertx-response", t);
      }
    }
  }

  /** {@code handleChunk(Buffer)}. */
  public static final class Chunk {
    private Chunk() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("request") Object request, @Advice.Argument(0) Buffer data) {
      CallHandle handle = VertxCalls.tapping(request);
      if (handle != null) {
        byte[] bytes = data.getBytes();
        handle.onBodyChunk(bytes, 0, bytes.length);
      }
    }
  }

  /** {@code handleEnd(MultiMap trailers)}. */
  public static final class End {
    private End() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("request") Object request) {
      VertxCalls.ended(request);
    }
  }

  /** The response's {@code handleException(Throwable)}, and the request's {@code fail(Throwable)}. */
  public static final class Failure {
    private Failure() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.FieldValue("request") Object request, @Advice.Argument(0) Throwable error) {
      VertxCalls.failed(request, error);
    }
  }

  /** {@code HttpClientRequestBase.fail(Throwable)}: the request failed, before or during its response. */
  public static final class RequestFailure {
    private RequestFailure() {}

    @Advice.OnMethodEnter(suppress = Throwable.class)
    public static void enter(@Advice.This Object request, @Advice.Argument(0) Throwable error) {
      VertxCalls.failed(request, error);
    }
  }
}
