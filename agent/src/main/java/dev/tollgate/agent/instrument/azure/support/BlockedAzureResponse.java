package dev.tollgate.agent.instrument.azure.support;

import com.azure.core.http.HttpHeaders;
import com.azure.core.http.HttpRequest;
import com.azure.core.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/** The synthetic 402 a blocked azure-core call receives, as if the service had answered it. */
final class BlockedAzureResponse extends HttpResponse {
  private final byte[] body;
  private final HttpHeaders headers = new HttpHeaders();

  BlockedAzureResponse(HttpRequest request, byte[] body) {
    super(request);
    this.body = body;
    headers.set("Content-Type", "application/json");
    headers.set("Content-Length", Integer.toString(body.length));
    headers.set("Tollgate-Blocked", "true");
  }

  @Override
  public int getStatusCode() {
    return 402;
  }

  @Override
  public String getHeaderValue(String name) {
    return headers.getValue(name);
  }

  @Override
  public HttpHeaders getHeaders() {
    return headers;
  }

  @Override
  public Flux<ByteBuffer> getBody() {
    return Flux.defer(() -> Flux.just(ByteBuffer.wrap(body).asReadOnlyBuffer()));
  }

  @Override
  public Mono<byte[]> getBodyAsByteArray() {
    return Mono.fromSupplier(body::clone);
  }

  @Override
  public Mono<String> getBodyAsString() {
    return getBodyAsString(StandardCharsets.UTF_8);
  }

  @Override
  public Mono<String> getBodyAsString(Charset charset) {
    return Mono.fromSupplier(() -> new String(body, charset));
  }
}
