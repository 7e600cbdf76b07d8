package dev.tollgate.agent.instrument.apache4;

import dev.tollgate.agent.bootstrap.Apache4Bridge;
import dev.tollgate.agent.instrument.InstrumentationModule;
import dev.tollgate.agent.instrument.LibrarySupport;
import dev.tollgate.agent.instrument.TypeAdvice;

/** Apache HttpClient 4.3 to 4.5, classic ({@code org.apache.httpcomponents:httpclient}; the AWS SDK v2's Apache client). */
public final class Apache4Instrumentation {
  private static final String PACKAGE = "dev.tollgate.agent.instrument.apache4.";

  /** {@code tollgate.instrumentation.apache-httpclient4.enabled}. */
  public static final InstrumentationModule MODULE = InstrumentationModule.client("apache-httpclient4",
      TypeAdvice.onMethod("doExecute", 3, PACKAGE + "Apache4Advice", "org.apache.http.impl.client.InternalHttpClient",
          "org.apache.http.impl.client.MinimalHttpClient", "org.apache.http.impl.client.AbstractHttpClient"))
      .connectingFrom("org.apache.http.impl.")
      .usingLibrary("org.apache.http.")
      .withSupport(new LibrarySupport<>(Apache4Bridge.SUPPORT, PACKAGE + "support.Apache4Support", "Apache HttpClient 4"));

  private Apache4Instrumentation() {}
}
