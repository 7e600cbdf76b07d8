package dev.tollgate.agent.instrument.jdkhttp;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tollgate.agent.bootstrap.JdkHttpBridge;
import dev.tollgate.agent.instrument.InstrumentationModule;
import dev.tollgate.agent.instrument.LibrarySupport;
import dev.tollgate.agent.instrument.TypeAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;

/** The JDK's {@code java.net.http.HttpClient}: {@code send} and {@code sendAsync} both end in the private {@code sendAsync}. */
public final class JdkHttpInstrumentation {

  /** {@code tollgate.instrumentation.jdk-http-client.enabled}. */
  public static final InstrumentationModule MODULE = InstrumentationModule.client("jdk-http-client",
      new TypeAdvice("jdk.internal.net.http.HttpClientImpl") {
        @Override
        protected AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice advice) {
          return advice.advice(named("sendAsync").and(takesArguments(4)).and(isPrivate()),
              "dev.tollgate.agent.instrument.jdkhttp.JdkHttpClientAdvice");
        }
      },
      TypeAdvice.onMethod("needsExecutor", 1, "dev.tollgate.agent.instrument.jdkhttp.JdkTrustAdvice",
          "jdk.internal.net.http.ResponseSubscribers$TrustedSubscriber"))
      .connectingFrom("jdk.internal.net.http.")
      .withSupport(new LibrarySupport<>(JdkHttpBridge.SUPPORT, "dev.tollgate.agent.instrument.jdkhttp.support.JdkHttpSupport",
          "the JDK HttpClient"));

  private JdkHttpInstrumentation() {}
}
