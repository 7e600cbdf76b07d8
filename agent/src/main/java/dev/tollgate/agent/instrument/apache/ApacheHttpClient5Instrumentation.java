package dev.tollgate.agent.instrument.apache;

import dev.tollgate.agent.bootstrap.ApacheAsyncBridge;
import dev.tollgate.agent.instrument.InstrumentationModule;
import dev.tollgate.agent.instrument.LibrarySupport;
import dev.tollgate.agent.instrument.TypeAdvice;

/**
 * Apache HttpClient 5, classic and async. The async support ({@code instrument.apache.async})
 * implements Apache interfaces, so it is placed beside the application's copy of the library. (A
 * {@code java.lang.reflect.Proxy} over the consumer would avoid the child loader but read every
 * response through reflection, and a blocked call must build Apache objects for the consumer anyway.)
 */
public final class ApacheHttpClient5Instrumentation {
  private static final String PACKAGE = "dev.tollgate.agent.instrument.apache.";
  static final LibrarySupport<ApacheAsyncBridge> ASYNC_SUPPORT =
      new LibrarySupport<>(ApacheAsyncBridge.SUPPORT, PACKAGE + "async.ApacheAsyncSupport", "Apache HttpClient 5 async");

  /** {@code tollgate.instrumentation.apache-httpclient5.enabled}. */
  public static final InstrumentationModule MODULE = InstrumentationModule.client("apache-httpclient5",
      TypeAdvice.onMethod("doExecute", 3, PACKAGE + "ApacheClassicAdvice",
          "org.apache.hc.client5.http.impl.classic.InternalHttpClient", "org.apache.hc.client5.http.impl.classic.MinimalHttpClient"),
      TypeAdvice.onMethod("doExecute", 6, PACKAGE + "ApacheAsyncAdvice",
          "org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient",
          "org.apache.hc.client5.http.impl.async.AbstractMinimalHttpAsyncClientBase"))
      // The async client connects from its I/O reactor's thread, whose stack names no caller.
      .connectingFrom("org.apache.hc.client5.http.impl.classic.", "org.apache.hc.core5.reactor.")
      .usingLibrary("org.apache.hc.client5.", "org.apache.hc.core5.")
      .withSupport(ASYNC_SUPPORT);

  private ApacheHttpClient5Instrumentation() {}
}
