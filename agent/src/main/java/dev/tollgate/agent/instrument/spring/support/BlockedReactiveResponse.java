package dev.tollgate.agent.instrument.spring.support;

import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DefaultDataBufferFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ResponseCookie;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import reactor.core.publisher.Flux;

/** The synthetic 402 a blocked WebClient call receives, as if the provider had answered it. */
final class BlockedReactiveResponse implements ClientHttpResponse {
  private final byte[] body;
  private final HttpHeaders headers;

  BlockedReactiveResponse(byte[] body) {
    this.body = body;
    this.headers = BlockingMetering.blockedHeaders(body.length);
  }

  @Override
  public HttpStatusCode getStatusCode() {
    return HttpStatusCode.valueOf(402);
  }

  @Override
  public MultiValueMap<String, ResponseCookie> getCookies() {
    return new LinkedMultiValueMap<>();
  }

  @Override
  public Flux<DataBuffer> getBody() {
    return Flux.defer(() -> Flux.just(DefaultDataBufferFactory.sharedInstance.wrap(body)));
  }

  @Override
  public HttpHeaders getHeaders() {
    return headers;
  }
}
