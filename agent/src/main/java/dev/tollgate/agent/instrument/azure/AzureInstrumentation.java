package dev.tollgate.agent.instrument.azure;

import dev.tollgate.agent.bootstrap.AzureBridge;
import dev.tollgate.agent.instrument.InstrumentationModule;
import dev.tollgate.agent.instrument.LibrarySupport;
import dev.tollgate.agent.instrument.TypeAdvice;

/**
 * azure-core's Netty transport ({@code azure-core-http-netty}): its calls are metered underneath by
 * the Reactor Netty instrumentation; this one answers a blocked call as the 402 the SDK turns into
 * its own {@code HttpResponseException} (and does not retry).
 */
public final class AzureInstrumentation {
  private static final String PACKAGE = "dev.tollgate.agent.instrument.azure.";

  /** {@code tollgate.instrumentation.azure-core-http-netty.enabled}. */
  public static final InstrumentationModule MODULE = InstrumentationModule.client("azure-core-http-netty",
      TypeAdvice.onMethod("send", 2, PACKAGE + "AzureNettySendAdvice", "com.azure.core.http.netty.NettyAsyncHttpClient"))
      .usingLibrary("com.azure.core.", "reactor.", "org.reactivestreams.")
      .withSupport(new LibrarySupport<AzureBridge>(AzureBridge.SUPPORT, PACKAGE + "support.AzureSupport", "azure-core Netty transport"));

  private AzureInstrumentation() {}
}
