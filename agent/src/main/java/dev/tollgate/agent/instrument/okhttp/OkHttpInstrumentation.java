package dev.tollgate.agent.instrument.okhttp;

import dev.tollgate.agent.instrument.InstrumentationModule;
import dev.tollgate.agent.instrument.TypeAdvice;

/** OkHttp 3.14, 4.x and 5.x: every call, sync or async, from every client. */
public final class OkHttpInstrumentation {
  private static final String PACKAGE = "dev.tollgate.agent.instrument.okhttp.";

  /** {@code tollgate.instrumentation.okhttp.enabled}. */
  public static final InstrumentationModule MODULE = InstrumentationModule.client("okhttp",
      TypeAdvice.onMethod("intercept", 1, PACKAGE + "OkHttpAdvice", "okhttp3.internal.http.RetryAndFollowUpInterceptor"),
      TypeAdvice.onMethod("enqueue", 1, PACKAGE + "OkHttpEnqueueAdvice", "okhttp3.RealCall", "okhttp3.internal.connection.RealCall"))
      .connectingFrom("okhttp3.")
      .usingLibrary("okhttp3.", "okio.");

  private OkHttpInstrumentation() {}
}
