package dev.tollgate.agent.instrument.jetty.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.JettyBridge;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.transport.HttpRequest;
import org.eclipse.jetty.client.transport.HttpResponse;
import org.eclipse.jetty.client.transport.ResponseListeners;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.content.ByteBufferContentSource;
import org.jspecify.annotations.Nullable;

/**
 * Jetty 12's side of metering, called from {@code JettySendAdvice}. The request body is read for
 * the estimate when it is one of Jetty's in-memory contents ({@code StringRequestContent}, {@code
 * BytesRequestContent}, {@code ByteBufferRequestContent}), through duplicates of its buffers, so
 * it is left as it was; any other content is estimated from its length. The response is tapped by a
 * listener of the request's own ({@link ResponseTap}), next to the application's.
 */
public final class JettySupport extends JettyBridge {
  private static final int MAX_BODY_COPY = 8 << 20;

  /** Instantiated reflectively by the agent, in the class loader it defined this class in. */
  public JettySupport() {}

  @Override
  public boolean send(Object r, @Nullable Object listener) throws Exception {
    HttpRequest request = (HttpRequest) r;
    String url = request.getURI().toString();
    Object operation = Hooks.classify(request.getMethod(), url);
    if (operation == null) {
      return false;
    }
    Request.Content content = request.getBody();
    long length = content == null ? 0 : content.getLength();
    CallHandle handle = Hooks.begin(operation, url, bytes(content, length), length, headers(request.getHeaders()));
    if (handle.isBlocked()) {
      answer(handle, request, (Response.CompleteListener) listener);
      return true;
    }
    ResponseTap tap = new ResponseTap(handle);
    request.onResponseHeaders(tap).onResponseContent(tap);
    request.getResponseListeners().addCompleteListener(tap, false);
    return false;
  }

  private static byte @Nullable [] bytes(Request.@Nullable Content content, long length) {
    if (content == null) {
      return new byte[0];
    }
    if (!(content instanceof ByteBufferContentSource) || length < 0 || length > MAX_BODY_COPY) {
      return null;
    }
    byte[] bytes = new byte[(int) length];
    int at = 0;
    for (ByteBuffer b : ((ByteBufferContentSource) content).getByteBuffers()) {
      int n = b.remaining();
      if (at + n > bytes.length) {
        return null;
      }
      b.duplicate().get(bytes, at, n);
      at += n;
    }
    return at == bytes.length ? bytes : null;
  }

  private static String @Nullable [] headers(HttpFields fields) {
    String[] names = Hooks.attributeHeaders();
    String[] values = names.length == 0 ? null : new String[names.length];
    for (int i = 0; values != null && i < names.length; i++) {
      values[i] = fields.get(names[i]);
    }
    return values;
  }

  /**
   * Answers a blocked call through the request's listeners and {@code listener}, as Jetty answers
   * from a response it already holds: in {@code response} mode a 402 with the block's JSON body, in
   * {@code exception} mode a failure with the block's exception. Nothing is queued or sent.
   */
  private static void answer(CallHandle handle, HttpRequest request, Response.@Nullable CompleteListener listener) {
    ResponseListeners listeners = new ResponseListeners(request.getResponseListeners());
    listeners.addCompleteListener(listener, true);
    HttpResponse response = new HttpResponse(request);
    IOException refusal = handle.blockedException();
    if (refusal != null) {
      request.notifyFailure(refusal);
      listeners.notifyFailure(response, refusal);
      listeners.notifyComplete(new Result(request, refusal, response, refusal));
      return;
    }
    byte[] body = handle.requireBlockedBody().getBytes(StandardCharsets.UTF_8);
    response.status(402).reason("Payment Required").headers(h -> h
        .put("Tollgate-Blocked", "true")
        .put(HttpHeader.CONTENT_TYPE, "application/json")
        .put(HttpHeader.CONTENT_LENGTH, body.length));
    ContentResponse blocked = ContentResponse.from(response, body, "application/json", "UTF-8");
    listeners.emitSuccessComplete(new Result(request, blocked));
  }
}
