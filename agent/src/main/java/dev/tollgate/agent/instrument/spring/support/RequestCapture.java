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
    return DefaultDataBufferFactory.sharedInstance;
  }

  @Override
  public void beforeCommit(Supplier<? extends Mono<Void>> action) {
    beforeCommit.add(action); // nothing is committed here: registered on the real request
  }

  @Override
  public boolean isCommitted() {
    return false;
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
    return headers;
  }

  @Override
  public MultiValueMap<String, HttpCookie> getCookies() {
    return cookies;
  }

  @Override
  public Map<String, Object> getAttributes() {
    return attributes;
  }

  @Override
  public <T> T getNativeRequest() {
    throw new UnsupportedOperationException("no native request while Tollgate estimates the body");
  }
}
