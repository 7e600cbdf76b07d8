package dev.tollgate.agent.instrument.jetty;

import dev.tollgate.agent.bootstrap.JettyBridge;
import dev.tollgate.agent.instrument.InstrumentationModule;
import dev.tollgate.agent.instrument.LibrarySupport;
import dev.tollgate.agent.instrument.TypeAdvice;

/**
 * Jetty 12's {@code HttpClient}: every send begins in {@code HttpRequest.send(listener)} ({@link
 * JettySendAdvice}). The support ({@code instrument.jetty.support}) implements Jetty's listener
 * interfaces, so it is placed beside the application's copy of Jetty.
 */
public final class JettyInstrumentation {
  private static final String PACKAGE = "dev.tollgate.agent.instrument.jetty.";

  /** {@code tollgate.instrumentation.jetty-http-client.enabled}. */
  public static final InstrumentationModule MODULE = InstrumentationModule.client("jetty-http-client",
      TypeAdvice.onMethod("send", 1, PACKAGE + "JettySendAdvice", "org.eclipse.jetty.client.transport.HttpRequest"))
      .connectingFrom("org.eclipse.jetty.client.")
      .usingLibrary("org.eclipse.jetty.")
      .withSupport(new LibrarySupport<>(JettyBridge.SUPPORT, PACKAGE + "support.JettySupport", "Jetty HttpClient"));

  private JettyInstrumentation() {}
}
