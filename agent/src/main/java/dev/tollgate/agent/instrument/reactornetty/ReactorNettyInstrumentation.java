package dev.tollgate.agent.instrument.reactornetty;

import dev.tollgate.agent.bootstrap.ReactorNettyBridge;
import dev.tollgate.agent.instrument.InstrumentationModule;
import dev.tollgate.agent.instrument.LibrarySupport;
import dev.tollgate.agent.instrument.TypeAdvice;

/**
 * Reactor Netty's {@code HttpClient} used directly (azure-core's default transport, hand-written
 * clients): every request, whichever response API reads it. Calls from Spring's Reactor classes are
 * left to the Spring instrumentation (see docs/azure-and-reactor-netty.md).
 */
public final class ReactorNettyInstrumentation {
  private static final String PACKAGE = "dev.tollgate.agent.instrument.reactornetty.";

  /** {@code tollgate.instrumentation.reactor-netty.enabled}. */
  public static final InstrumentationModule MODULE = InstrumentationModule.client("reactor-netty",
      TypeAdvice.onMethod("connect", 0, PACKAGE + "ReactorNettyConnectAdvice", "reactor.netty.http.client.HttpClientConnect"))
      // It connects from its event loop, whose stack names no caller.
      .connectingFrom("reactor.netty.")
      .usingLibrary("reactor.", "org.reactivestreams.", "io.netty.")
      .withSupport(new LibrarySupport<ReactorNettyBridge>(ReactorNettyBridge.SUPPORT, PACKAGE + "support.ReactorNettySupport", "Reactor Netty"));

  private ReactorNettyInstrumentation() {}
}
