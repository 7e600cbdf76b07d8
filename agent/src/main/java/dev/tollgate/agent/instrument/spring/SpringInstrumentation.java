package dev.tollgate.agent.instrument.spring;

import dev.tollgate.agent.bootstrap.SpringBridge;
import dev.tollgate.agent.instrument.InstrumentationModule;
import dev.tollgate.agent.instrument.LibrarySupport;
import dev.tollgate.agent.instrument.TypeAdvice;

/** Spring's WebClient and RestClient on Reactor Netty; one switch each, one support ({@code spring.support}) for both. */
public final class SpringInstrumentation {
  private static final String PACKAGE = "dev.tollgate.agent.instrument.spring.";
  private static final LibrarySupport<SpringBridge> SUPPORT =
      new LibrarySupport<>(SpringBridge.SUPPORT, PACKAGE + "support.SpringSupport", "Spring WebClient/RestClient");

  private static final String[] SPRING_AND_REACTOR = {"org.springframework.", "reactor.", "org.reactivestreams.", "io.netty."};

  /** {@code tollgate.instrumentation.spring-webclient.enabled}. */
  public static final InstrumentationModule WEBCLIENT = InstrumentationModule.client("spring-webclient",
      TypeAdvice.onMethod("connect", 3, PACKAGE + "WebClientConnectorAdvice",
          "org.springframework.http.client.reactive.ReactorClientHttpConnector"))
      // Spring's clients connect from Reactor Netty's event loop. Reactor Netty used directly (not
      // through Spring) is not told apart from that: it is not warned about.
      .connectingFrom("reactor.netty.")
      .usingLibrary(SPRING_AND_REACTOR)
      .withSupport(SUPPORT);

  /** {@code tollgate.instrumentation.spring-rest-client.enabled}. */
  public static final InstrumentationModule REST_CLIENT = InstrumentationModule.client("spring-rest-client",
      TypeAdvice.onMethod("executeInternal", 2, PACKAGE + "RestClientRequestAdvice",
          "org.springframework.http.client.ReactorClientHttpRequest", "org.springframework.http.client.ReactorNettyClientRequest"))
      .connectingFrom("reactor.netty.")
      .usingLibrary(SPRING_AND_REACTOR)
      .withSupport(SUPPORT);

  private SpringInstrumentation() {}
}
