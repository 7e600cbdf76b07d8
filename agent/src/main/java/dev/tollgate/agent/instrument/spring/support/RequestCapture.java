package dev.tollgate.agent.instrument.spring.support;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.reactivestreams.Publisher;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferFactory;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A request that goes nowhere: WebClient writes the call into it so the body can be estimated
 * before a connection opens. Keeps all the callback did to it (headers, cookies, attributes,
 * actions before commit, the body's bytes), which {@link ReplayingRequest} then does to the real
 * request: the callback, and so the body's encoding, runs once.
 */
final class RequestCapture implements ClientHttpRequest {
  private final HttpMethod method;
  private final URI uri;
  private final HttpHeaders headers = new HttpHeaders();
  private final MultiValueMap<String, HttpCookie> cookies = new LinkedMultiValueMap<>();
  private final Map<String, Object> attributes = new HashMap<>();
  private final List<Supplier<? extends Mono<Void>>> beforeCommit = new ArrayList<>();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  /** The real request, once the capture is sent on it: from then on the capture's request methods are its. */
  private volatile @Nullable ClientHttpRequest real;
  private boolean written;
  private volatile boolean failed;

  RequestCapture(HttpMethod method, URI uri) {
    this.method = method;
    this.uri = uri;
  }

  /** The encoded body (empty when none was written), or null when rendering it failed. */
  byte @Nullable [] body() {
    return failed ? null : body.toByteArray();
  }

  boolean hasBody() {
    return written;
  }

  HttpHeaders headers() {
    return headers;
  }

  MultiValueMap<String, HttpCookie> cookies() {
    return cookies;
  }

  Map<String, Object> attributes() {
    return attributes;
  }

  List<Supplier<? extends Mono<Void>>> beforeCommitActions() {
    return beforeCommit;
  }

  /**
   * Sends what is asked of this request from now on to {@code request}: an action the callback
   * registered before commit, which captured this request, runs at the real request's commit.
   */
  void bind(ClientHttpRequest request) {
    real = request;
  }

  void failed() {
    failed = true;
  }

  @Override
  public Mono<Void> writeWith(Publisher<? extends DataBuffer> publisher) {
    written = true;
    return Flux.from(publisher).doOnNext(buffer -> {
      try {
        byte[] bytes = new byte[buffer.readableByteCount()];
        buffer.read(bytes);
        synchronized (body) {
          body.write(bytes, 0, bytes.length);
        }
      } finally {
        DataBufferUtils.release(buffer);
      }
    }).then();
  }

  @Override
  public Mono<Void> writeAndFlushWith(Publisher<? extends Publisher<? extends DataBuffer>> publisher) {
    return writeWith(Flux.from(publisher).concatMap(Flux::from));
  }

  @Override
  public Mono<Void> setComplete() {
    return Mono.empty();
  }

  @Override
  public DataBufferFactory bufferFactory() {
    ClientHttpRequest r = real;
    return r != null ? r.bufferFactory() : DefaultDataBufferFactory.sharedInstance;
  }

  @Override
  public void beforeCommit(Supplier<? extends Mono<Void>> action) {
    beforeCommit.add(action); // nothing is committed here: registered on the real request
  }

  @Override
  public boolean isCommitted() {
    ClientHttpRequest r = real;
    return r != null && r.isCommitted();
  }

  @Override
  public HttpMethod getMethod() {
    return method;
  }

  @Override
  public URI getURI() {
    return uri;
  }

  @Override
  public HttpHeaders getHeaders() {
    ClientHttpRequest r = real;
    return r != null ? r.getHeaders() : headers;
  }

  @Override
  public MultiValueMap<String, HttpCookie> getCookies() {
    ClientHttpRequest r = real;
    return r != null ? r.getCookies() : cookies;
  }

  @Override
  public Map<String, Object> getAttributes() {
    ClientHttpRequest r = real;
    return r != null ? r.getAttributes() : attributes;
  }

  @Override
  public <T> T getNativeRequest() {
    ClientHttpRequest r = real;
    if (r == null) {
      throw new UnsupportedOperationException("no native request while Tollgate estimates the body");
    }
    return r.getNativeRequest();
  }
}
