package dev.tollgate.agent.instrument.spring.support;

import java.util.Objects;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpRequestDecorator;
import reactor.core.publisher.Mono;

/**
 * The real request, as WebClient's callback sees it the second time: headers, cookies, attributes
 * and native-request tweaks go through, but the body sent is the one captured (and estimated), with
 * the headers that describe it, so a multipart boundary or a read-once publisher stays consistent.
 * The body the callback renders again is dropped unread.
 */
final class ReplayingRequest extends ClientHttpRequestDecorator {
  private final RequestCapture capture;

  ReplayingRequest(ClientHttpRequest delegate, RequestCapture capture) {
    super(delegate);
    this.capture = capture;
  }

  @Override
  public DataBufferFactory bufferFactory() {
    return DefaultDataBufferFactory.sharedInstance; // what the callback renders here is dropped, so keep it off the pooled allocator
  }

  @Override
  public Mono<Void> writeWith(Publisher<? extends DataBuffer> ignored) {
    return sendCaptured();
  }

  @Override
  public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> ignored) {
    return sendCaptured();
  }

  @Override
  public Mono<Void> setComplete() {
    return capture.hasBody() ? sendCaptured() : getDelegate().setComplete();
  }

  private Mono<Void> sendCaptured() {
    HttpHeaders described = capture.headers();
    HttpHeaders headers = getDelegate().getHeaders();
    copy(described, headers, HttpHeaders.CONTENT_TYPE);
    copy(described, headers, HttpHeaders.CONTENT_ENCODING);
    byte[] body = Objects.requireNonNull(capture.body(), "replayed only when the body was captured"); // see ReactiveMetering.send
    headers.setContentLength(body.length);
    return getDelegate().writeWith(Mono.fromSupplier(() -> getDelegate().bufferFactory().wrap(body)));
  }

  private static void copy(HttpHeaders from, HttpHeaders to, String name) {
    String value = from.getFirst(name);
    if (value != null) {
      to.set(name, value);
    }
  }
}
