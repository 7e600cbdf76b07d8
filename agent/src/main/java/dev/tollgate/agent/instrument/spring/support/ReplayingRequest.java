package dev.tollgate.agent.instrument.spring.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.http.client.reactive.ClientHttpRequest;
import reactor.core.publisher.Mono;

/**
 * Sends a {@link RequestCapture} on the real request: what WebClient's callback did to the capture
 * (headers, cookies, attributes, actions before commit), then the body it encoded there, so the
 * callback runs once and a body is encoded once. The bytes sent are the ones estimated, with the
 * headers that describe them, so a multipart boundary or a read-once publisher stays consistent.
 * Used only for a capture that succeeded: a callback that reached for the native request failed it,
 * and runs on the real request instead.
 */
final class ReplayingRequest {
  private ReplayingRequest() {}

  /** @param body the captured body ({@link RequestCapture#body}), not null */
  static Mono<Void> send(ClientHttpRequest request, RequestCapture capture, byte[] body) {
    HttpHeaders headers = request.getHeaders();
    capture.headers().forEach((name, values) -> headers.put(name, new ArrayList<>(values)));
    for (Map.Entry<String, List<HttpCookie>> cookies : capture.cookies().entrySet()) {
      request.getCookies().addAll(cookies.getKey(), cookies.getValue());
    }
    if (!capture.attributes().isEmpty()) { // never before Spring 6.2, whose requests have no attributes
      request.getAttributes().putAll(capture.attributes());
    }
    // An action registered on the capture runs at the real commit: what it asks of its request, it gets of this one.
    capture.bind(request);
    for (Supplier<? extends Mono<Void>> action : capture.beforeCommitActions()) {
      request.beforeCommit(action);
    }
    if (!capture.hasBody()) {
      return request.setComplete();
    }
    headers.setContentLength(body.length);
    return request.writeWith(Mono.fromSupplier(() -> request.bufferFactory().wrap(body)));
  }
}
