package dev.tollgate.agent.instrument.spring;

import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.instrument.spring.inject.ReactiveMetering;
import java.net.URI;
import java.util.function.Function;
import net.bytebuddy.asm.Advice;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import reactor.core.publisher.Mono;

/**
 * Inlined into Spring's {@code ReactorClientHttpConnector.connect(method, uri, requestCallback)},
 * WebClient's way out through Reactor Netty. A metered call is replaced by the connector's own
 * connect wrapped in {@link ReactiveMetering}; its second, real connect carries a callback of the
 * helper package and passes through.
 */
public final class WebClientConnectorAdvice {
  private WebClientConnectorAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static Mono<ClientHttpResponse> enter(
      @Advice.This ClientHttpConnector connector,
      @Advice.Argument(0) HttpMethod method,
      @Advice.Argument(1) URI uri,
      @Advice.Argument(2) Function<? super ClientHttpRequest, Mono<Void>> callback) {
    try {
      if (callback.getClass().getName().startsWith("dev.tollgate.")) {
        return null;
      }
      String url = uri.toString();
      Object operation = Hooks.classify(method.name(), url);
      return operation == null ? null : ReactiveMetering.connect(connector, method, uri, callback, operation, url);
    } catch (Throwable t) {
      Hooks.failed("spring-webclient-enter", t);
      return null;
    }
  }

  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Mono<ClientHttpResponse> metered,
      @Advice.Return(readOnly = false) Mono<ClientHttpResponse> response) {
    if (metered != null) {
      response = metered;
    }
  }
}
