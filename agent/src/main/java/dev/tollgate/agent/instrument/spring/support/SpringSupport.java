package dev.tollgate.agent.instrument.spring.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.SpringBridge;
import java.io.IOException;
import java.net.URI;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.StreamingHttpOutputMessage;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import reactor.core.publisher.Mono;

/** The {@link SpringBridge} defined beside the application's Spring: casts, then the metering classes of this package. */
public final class SpringSupport extends SpringBridge {

  @Override
  @SuppressWarnings("unchecked")
  public Object connect(Object connector, Object method, URI uri, Object requestCallback, Object operation, String url) {
    return ReactiveMetering.connect((ClientHttpConnector) connector, (HttpMethod) method, uri,
        (Function<? super ClientHttpRequest, Mono<Void>>) requestCallback, operation, url);
  }

  @Override
  public Object captureBody(Object body) {
    return BlockingMetering.capture((StreamingHttpOutputMessage.Body) body);
  }

  @Override
  public byte @Nullable [] capturedBytes(Object capturedBody) {
    return ((BlockingMetering.CapturedBody) capturedBody).bytes();
  }

  @Override
  public Object tap(Object response, CallHandle handle) throws IOException {
    return BlockingMetering.tap((ClientHttpResponse) response, handle);
  }

  @Override
  public Object blockedResponse(String body) {
    return BlockingMetering.blocked(body);
  }
}
