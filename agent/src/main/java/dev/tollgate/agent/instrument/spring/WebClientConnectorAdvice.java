package dev.tollgate.agent.instrument.spring;

import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.SpringBridge;
import java.net.URI;
import java.util.function.Function;
import net.bytebuddy.asm.Advice;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpRequest;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import reactor.core.publisher.Mono;

/**
 * Inlined into Spring's {@code ReactorClientHttpConnector.connect(method, uri, requestCallback)},
 * WebClient's way out through Reactor Netty. A metered call is replaced by the connector's own
 * connect wrapped in the Spring support's metering ({@link SpringBridge#connect}); its second, real
 * connect carries a callback of the support package and runs as an outer call ({@link
 * Hooks#enterOuterCall}), so it passes through even when another agent's advice has wrapped that
 * callback.
 */
public final class WebClientConnectorAdvice {
  private WebClientConnectorAdvice() {}

  @SuppressWarnings("unchecked")
  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static @Nullable Mono<ClientHttpResponse> enter(
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
      if (operation == null) {
        return null;
      }
      SpringBridge spring = SpringBridge.SUPPORT.forLibrary(HttpRequest.class);
      return (Mono<ClientHttpResponse>) spring.connect(connector, method, uri, callback, operation, url);
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
