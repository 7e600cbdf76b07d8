package dev.tollgate.agent.instrument.okhttp;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import java.io.InputStream;
import net.bytebuddy.asm.Advice;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okhttp3.ResponseBody;
import okio.Buffer;
import okio.Okio;

/**
 * Inlined into OkHttp's {@code RetryAndFollowUpInterceptor.intercept}: the first internal step of
 * every call, sync or async, from every client (including those derived with {@code newBuilder()}),
 * after the application's own interceptors and before any connection. It sees the final request,
 * and a response OkHttp already decoded from gzip, unless the application asked for an encoding
 * itself (then the tap decodes its own view).
 *
 * <p>Compiled against OkHttp 3.14, whose API 4.x and 5.x keep binary-compatible. It only hands
 * JDK types to {@link Hooks}; everything else is there. A non-metered call costs one {@code
 * classify} and leaves untouched.
 */
public final class OkHttpAdvice {
  private OkHttpAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static boolean enter(
      @Advice.Argument(0) Interceptor.Chain chain, @Advice.Local("tollgate") CallHandle handle) {
    try {
      Request request = chain.request();
      String url = request.url().toString();
      Object operation = Hooks.classify(request.method(), url);
      if (operation == null) {
        return false;
      }
      RequestBody body = request.body();
      byte[] bytes = null;
      long length = -1;
      if (body != null) {
        length = body.contentLength();
        // Writing a body twice is only safe for bodies known to hold their bytes (OkHttp's own,
        // the SDKs'); a custom body may stream once. Others are estimated from their length.
        if (length >= 0 && length <= Hooks.MAX_BODY_COPY && Hooks.isReplayableBody(body.getClass().getName())) {
          Buffer buffer = new Buffer();
          body.writeTo(buffer);
          bytes = buffer.readByteArray();
        }
      }
      String[] names = Hooks.attributeHeaders();
      String[] headers = names.length == 0 ? null : new String[names.length];
      for (int i = 0; headers != null && i < names.length; i++) {
        headers[i] = request.header(names[i]);
      }
      // An enqueued call runs here on a dispatcher thread: its attributes come from where it was enqueued.
      handle = Hooks.begin(operation, url, bytes, length, headers, Hooks.carried(chain.call()));
      return handle.isBlocked();
    } catch (Throwable t) {
      Hooks.failed("okhttp-enter", t);
      return false;
    }
  }

  @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
  public static void exit(
      @Advice.Argument(0) Interceptor.Chain chain,
      @Advice.Local("tollgate") CallHandle handle,
      @Advice.Enter boolean blocked,
      @Advice.Return(readOnly = false) Response response,
      @Advice.Thrown(readOnly = false) Throwable thrown) {
    int step = handle == null ? CallHandle.DONE : handle.exit(blocked, thrown, response);
    try {
      if (step == CallHandle.THROW_BLOCKED) {
        thrown = handle.blockedException();
      } else if (step == CallHandle.ANSWER_BLOCKED) {
        response = new Response.Builder()
            .request(chain.request())
            .protocol(Protocol.HTTP_1_1)
            .code(402)
            .message("Payment Required")
            .header("Tollgate-Blocked", "true")
            .body(ResponseBody.create(MediaType.parse("application/json; charset=utf-8"), handle.requireBlockedBody()))
            .build();
      } else if (step == CallHandle.TAP) {
        ResponseBody body = response.body();
        MediaType type = body == null ? null : body.contentType();
        // Still encoded only when the application asked for an encoding itself: OkHttp then leaves it alone.
        long length = body == null ? -1 : body.contentLength();
        InputStream tapped = handle.onResponse(new ResponseInfo(response.code(), type == null ? null : type.toString(),
            response.header("Content-Encoding"), length), body == null ? null : body.byteStream());
        if (tapped != null) {
          response = response.newBuilder()
              .body(ResponseBody.create(type, length, Okio.buffer(Okio.source(tapped))))
              .build();
        }
      }
    } catch (Throwable t) {
      thrown = handle.exitFailed(step, "okhttp-exit", t);
    }
  }
}
