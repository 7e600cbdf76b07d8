package dev.tollgate.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.instrument.apache.ApacheAsyncHelpers;
import dev.tollgate.agent.instrument.jdkhttp.JdkHttpSupport;
import dev.tollgate.agent.log.Log;
import java.lang.instrument.Instrumentation;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs every HTTP-client instrumentation. Types are matched by name, so a client library the
 * application does not have costs nothing; classes already loaded (runtime attach) are
 * retransformed. A failure to instrument a class is logged once and leaves it as it was.
 */
public final class Instrumentations {
  private static final String SPRING_SUPPORT = "dev.tollgate.agent.instrument.spring.support.";

  private Instrumentations() {}

  /** Installs every instrumentation not in {@code disabled} (names from {@code tollgate.instrumentation.<name>.enabled}). */
  public static void install(Instrumentation inst, Set<String> disabled) {
    // Tollgate never uses Byte Buddy's self-initialising "nexus"; switching it off keeps Byte Buddy
    // from reaching for sun.misc.Unsafe, which JDK 24+ reports with a warning on the app's stderr.
    // Shading renames this property along with Byte Buddy, so the app's own Byte Buddy is untouched.
    System.setProperty("net.bytebuddy.nexus.disabled", "true");
    ClassLoader agentLoader = Instrumentations.class.getClassLoader();
    AgentBuilder builder = new AgentBuilder.Default()
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        .with(new FailureLogger())
        // Byte Buddy ignores boot and platform classes by default; the JDK's HttpClient and HttpURLConnection are such.
        .ignore(nameStartsWith("dev.tollgate.").or(nameStartsWith("net.bytebuddy.")))
        // Advice inlined into java.net.http and java.base calls the hook bridge in the boot loader's unnamed module.
        .assureReadEdgeTo(inst, Hooks.class);
    if (!disabled.contains("okhttp")) {
      builder = builder.type(named("okhttp3.internal.http.RetryAndFollowUpInterceptor"))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(agentLoader)
              .advice(named("intercept").and(takesArguments(1)), "dev.tollgate.agent.instrument.okhttp.OkHttpAdvice"));
    }
    if (!disabled.contains("jdk-http-client")) {
      Hooks.install(new JdkHttpSupport());
      builder = builder.type(named("jdk.internal.net.http.HttpClientImpl"))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(agentLoader)
              .advice(named("sendAsync").and(takesArguments(4)).and(isPrivate()),
                  "dev.tollgate.agent.instrument.jdkhttp.JdkHttpClientAdvice"));
    }
    if (!disabled.contains("apache-httpclient5")) {
      Hooks.APACHE_ASYNC.install(ApacheAsyncHelpers.factory());
      builder = builder.type(named("org.apache.hc.client5.http.impl.classic.InternalHttpClient")
              .or(named("org.apache.hc.client5.http.impl.classic.MinimalHttpClient")))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(agentLoader)
              .advice(named("doExecute").and(takesArguments(3)), "dev.tollgate.agent.instrument.apache.ApacheClassicAdvice"))
          .type(named("org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient")
              .or(named("org.apache.hc.client5.http.impl.async.AbstractMinimalHttpAsyncClientBase")))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(agentLoader)
              .advice(named("doExecute").and(takesArguments(6)), "dev.tollgate.agent.instrument.apache.ApacheAsyncAdvice"));
    }
    if (!disabled.contains("http-url-connection")) {
      builder = urlConnection(builder, agentLoader);
    }
    if (!disabled.contains("spring-webclient") || !disabled.contains("spring-rest-client")) {
      Hooks.SPRING.install(new LibraryHelpers<>(SPRING_SUPPORT, "SpringSupport", null, "Spring WebClient/RestClient"));
    }
    if (!disabled.contains("spring-webclient")) {
      builder = builder.type(named("org.springframework.http.client.reactive.ReactorClientHttpConnector"))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(agentLoader)
              .advice(named("connect").and(takesArguments(3)), "dev.tollgate.agent.instrument.spring.WebClientConnectorAdvice"));
    }
    if (!disabled.contains("spring-rest-client")) {
      builder = builder.type(named("org.springframework.http.client.ReactorClientHttpRequest")
              .or(named("org.springframework.http.client.ReactorNettyClientRequest")))
          .transform(new AgentBuilder.Transformer.ForAdvice()
              .include(agentLoader)
              .advice(named("executeInternal").and(takesArguments(2)), "dev.tollgate.agent.instrument.spring.RestClientRequestAdvice"));
    }
    builder.installOn(inst);
  }

  /**
   * The JDK's {@code HttpURLConnection} implementation, which {@code HttpsURLConnection} delegates
   * to; its HTTPS subclass overrides {@code connect}, so that one method is hooked there too.
   */
  private static AgentBuilder urlConnection(AgentBuilder builder, ClassLoader agentLoader) {
    String advice = "dev.tollgate.agent.instrument.urlconnection.UrlConnectionAdvice$";
    return builder.type(named("sun.net.www.protocol.http.HttpURLConnection"))
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .advice(named("connect").and(takesArguments(0)), advice + "Connect")
            .advice(named("getOutputStream").and(takesArguments(0)), advice + "Output")
            .advice(named("getInputStream").and(takesArguments(0)), advice + "Input")
            .advice(named("getErrorStream").and(takesArguments(0)), advice + "ErrorStream", advice + "Synthetic")
            .advice(named("getHeaderField").and(takesArguments(String.class)), advice + "HeaderByName", advice + "Synthetic")
            .advice(named("getHeaderField").and(takesArguments(int.class)), advice + "HeaderByIndex", advice + "Synthetic")
            .advice(named("getHeaderFieldKey").and(takesArguments(int.class)), advice + "HeaderKey", advice + "Synthetic")
            .advice(named("getHeaderFields").and(takesArguments(0)), advice + "HeaderFields", advice + "Synthetic")
            .advice(named("disconnect").and(takesArguments(0)), advice + "Disconnect"))
        .type(named("sun.net.www.protocol.https.AbstractDelegateHttpsURLConnection"))
        .transform(new AgentBuilder.Transformer.ForAdvice()
            .include(agentLoader)
            .advice(named("connect").and(takesArguments(0)), advice + "Connect"));
  }

  /** Logs each failed transformation once; the class stays as the application loaded it. */
  static final class FailureLogger extends AgentBuilder.Listener.Adapter {
    @Override
    public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
      Log.once("instrument-" + typeName, Log.Level.WARN, "could not instrument " + typeName + "; its calls go on unmetered", error);
    }

    @Override
    public void onTransformation(TypeDescription type, ClassLoader loader, JavaModule module, boolean loaded, DynamicType dynamicType) {
      Log.debug("instrumented " + type.getName());
    }
  }
}
