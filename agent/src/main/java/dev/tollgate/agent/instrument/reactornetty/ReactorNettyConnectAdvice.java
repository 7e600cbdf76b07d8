package dev.tollgate.agent.instrument.reactornetty;

import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.ReactorNettyBridge;
import net.bytebuddy.asm.Advice;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientConfig;

/**
 * Inlined into Reactor Netty's {@code HttpClientConnect.connect()}, where every request of its
 * {@code HttpClient} ({@code response}, {@code responseSingle}, {@code responseConnection}, …) gets
 * its connection. A metered call is replaced by the support's metering ({@code
 * ReactorNettyBridge.connect}), which connects through a copy of the client carrying a request
 * sender of the support package; that second connect passes through.
 */
public final class ReactorNettyConnectAdvice {
  private ReactorNettyConnectAdvice() {}

  @Advice.OnMethodEnter(skipOn = Advice.OnNonDefaultValue.class, suppress = Throwable.class)
  public static Object enter(@Advice.This HttpClient client) {
    try {
      HttpClientConfig config = client.configuration();
      String method = config.method().name();
      if (!Hooks.mayMeter(method, null)) {
        return null;
      }
      String url = config.uri();
      String base = config.baseUrl();
      if (url == null) {
        return null; // a URI given as a Mono: resolved after connect() returns (not metered; see docs)
      }
      if (base != null && !url.startsWith("http://") && !url.startsWith("https://")) {
        url = base + url; // Reactor Netty's own rule for a relative URI under baseUrl
      }
      Object operation = Hooks.classify(method, url);
      if (operation == null) {
        return null;
      }
      return ReactorNettyBridge.SUPPORT.forLibrary(HttpClient.class).connect(client, operation, url);
    } catch (Throwable t) {
      Hooks.failed("reactor-netty-enter", t);
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  @Advice.OnMethodExit(suppress = Throwable.class)
  public static void exit(
      @Advice.Enter Object metered,
      @Advice.Return(readOnly = false) Mono<? extends Connection> connection) {
    if (metered != null) {
      connection = (Mono<? extends Connection>) metered;
    }
  }
}
