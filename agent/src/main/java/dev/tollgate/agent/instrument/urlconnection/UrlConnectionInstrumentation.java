package dev.tollgate.agent.instrument.urlconnection;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tollgate.agent.instrument.InstrumentationModule;
import dev.tollgate.agent.instrument.TypeAdvice;
import net.bytebuddy.agent.builder.AgentBuilder;

/** The JDK's {@code HttpURLConnection} implementation, which {@code HttpsURLConnection} delegates to. */
public final class UrlConnectionInstrumentation {
  private static final String ADVICE = "dev.tollgate.agent.instrument.urlconnection.UrlConnectionAdvice$";

  /** {@code tollgate.instrumentation.http-url-connection.enabled}. */
  public static final InstrumentationModule MODULE = InstrumentationModule.client("http-url-connection",
      new TypeAdvice("sun.net.www.protocol.http.HttpURLConnection") {
        @Override
        protected AgentBuilder.Transformer.ForAdvice advise(AgentBuilder.Transformer.ForAdvice advice) {
          return advice
              .advice(named("connect").and(takesArguments(0)), ADVICE + "Connect")
              .advice(named("getOutputStream").and(takesArguments(0)), ADVICE + "Output")
              .advice(named("getInputStream").and(takesArguments(0)), ADVICE + "Input")
              .advice(named("getErrorStream").and(takesArguments(0)), ADVICE + "ErrorStream", ADVICE + "Synthetic")
              .advice(named("getHeaderField").and(takesArguments(String.class)), ADVICE + "HeaderByName", ADVICE + "Synthetic")
              .advice(named("getHeaderField").and(takesArguments(int.class)), ADVICE + "HeaderByIndex", ADVICE + "Synthetic")
              .advice(named("getHeaderFieldKey").and(takesArguments(int.class)), ADVICE + "HeaderKey", ADVICE + "Synthetic")
              .advice(named("getHeaderFields").and(takesArguments(0)), ADVICE + "HeaderFields", ADVICE + "Synthetic")
              .advice(named("disconnect").and(takesArguments(0)), ADVICE + "Disconnect");
        }
      },
      // The HTTPS subclass overrides connect, so that one method is hooked there too.
      TypeAdvice.onMethod("connect", 0, ADVICE + "Connect", "sun.net.www.protocol.https.AbstractDelegateHttpsURLConnection"))
      .connectingFrom("sun.net.www.protocol.http.", "sun.net.www.protocol.https.");

  private UrlConnectionInstrumentation() {}
}
