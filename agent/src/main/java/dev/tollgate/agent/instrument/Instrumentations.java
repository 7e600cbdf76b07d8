package dev.tollgate.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isPrivate;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.JettyBridge;
import dev.tollgate.agent.instrument.apache.ApacheAsyncHelpers;
import dev.tollgate.agent.instrument.jdkhttp.JdkHttpSupport;
import dev.tollgate.agent.log.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs every HTTP-client instrumentation. Types are matched by name, so a client library the
 * application does not have costs nothing: a plain name filter ({@link DeferredTransformer}) sees
 * every class load, and Byte Buddy is only built when one of the {@link Target} classes appears (or
 * on a background thread right after start-up, whichever comes first), so it is not on the JVM's
 * start-up path. Classes already loaded (runtime attach) are retransformed before this returns. A
 * failure to instrument a class is logged once and leaves it as it was.
 */
public final class Instrumentations {
  private static final String SPRING_SUPPORT = "dev.tollgate.agent.instrument.spring.support.";
  /** The name under which the socket-connect check is left out of {@link #install}'s {@code disabled} set. */
  public static final String UNMETERED_TRAFFIC = "unmetered-traffic";

  private Instrumentations() {}

  /** The classes each instrumentation rewrites, by its switch name ({@code tollgate.instrumentation.<name>.enabled}). */
  enum Target {
    OKHTTP("okhttp", "okhttp3.internal.http.RetryAndFollowUpInterceptor"),
    OKHTTP_ENQUEUE("okhttp", "okhttp3.RealCall", "okhttp3.internal.connection.RealCall"),
    JDK_HTTP_CLIENT("jdk-http-client", "jdk.internal.net.http.HttpClientImpl"),
    APACHE_CLASSIC("apache-httpclient5", "org.apache.hc.client5.http.impl.classic.InternalHttpClient",
        "org.apache.hc.client5.http.impl.classic.MinimalHttpClient"),
    APACHE_ASYNC("apache-httpclient5", "org.apache.hc.client5.http.impl.async.InternalAbstractHttpAsyncClient",
        "org.apache.hc.client5.http.impl.async.AbstractMinimalHttpAsyncClientBase"),
    URL_CONNECTION("http-url-connection", "sun.net.www.protocol.http.HttpURLConnection"),
    HTTPS_URL_CONNECTION("http-url-connection", "sun.net.www.protocol.https.AbstractDelegateHttpsURLConnection"),
    SPRING_WEBCLIENT("spring-webclient", "org.springframework.http.client.reactive.ReactorClientHttpConnector"),
    SPRING_REST_CLIENT("spring-rest-client", "org.springframework.http.client.ReactorClientHttpRequest",
        "org.springframework.http.client.ReactorNettyClientRequest"),
    VERTX_REQUEST("vertx-http-client", "io.vertx.core.http.impl.HttpClientRequestImpl"),
    VERTX_REQUEST_BASE("vertx-http-client", "io.vertx.core.http.impl.HttpClientRequestBase"),
    VERTX_RESPONSE("vertx-http-client", "io.vertx.core.http.impl.HttpClientResponseImpl"),
    JETTY("jetty-http-client", "org.eclipse.jetty.client.transport.HttpRequest"),
    /** Not a client: where sockets connect, for {@code tollgate.unmetered-traffic} (off: in the disabled set). */
    SOCKET(UNMETERED_TRAFFIC, "java.net.Socket"),
    SOCKET_CHANNEL(UNMETERED_TRAFFIC, "sun.nio.ch.SocketChannelImpl");

    final String instrumentation;
    final String[] types;

    Target(String instrumentation, String... types) {
      this.instrumentation = instrumentation;
      this.types = types;
    }
  }

  /**
   * Installs every instrumentation not in {@code disabled}. Returns as soon as the name filter is
   * registered, unless classes to rewrite are already loaded: then they are rewritten first. The JDK's
   * socket classes, always loaded by then, are rewritten on the background thread unless {@code
   * socketsBeforeMain} ({@code tollgate.unmetered-traffic=block}, which must hold from the first
   * connection on, at the cost of building Byte Buddy before {@code main}).
   */
  public static void install(Instrumentation inst, Set<String> disabled, boolean socketsBeforeMain) {
    EnumSet<Target> targets = EnumSet.noneOf(Target.class);
    for (Target t : Target.values()) {
      if (!disabled.contains(t.instrumentation)) {
        targets.add(t);
      }
    }
    if (targets.contains(Target.JDK_HTTP_CLIENT)) {
      Hooks.install(new JdkHttpSupport());
    }
    if (targets.contains(Target.APACHE_ASYNC)) {
      Hooks.APACHE_ASYNC.install(ApacheAsyncHelpers.factory());
    }
    if (targets.contains(Target.SPRING_WEBCLIENT) || targets.contains(Target.SPRING_REST_CLIENT)) {
      Hooks.SPRING.install(new LibraryHelpers<>(SPRING_SUPPORT, "SpringSupport", null, "Spring WebClient/RestClient"));
    }
    if (targets.contains(Target.JETTY)) {
      JettyBridge.SUPPORT.install(new LibraryHelpers<>(JETTY_SUPPORT, "JettySupport", null, "Jetty HttpClient"));
    }
    Set<String> names = new HashSet<>();
    for (Target t : targets) {
      names.addAll(Arrays.asList(t.types));
    }
    DeferredTransformer transformer = new DeferredTransformer(names, () -> byteBuddy(inst, targets));
    inst.addTransformer(transformer, true);
    Set<String> sockets = new HashSet<>();
    for (Target t : EnumSet.of(Target.SOCKET, Target.SOCKET_CHANNEL)) {
      if (targets.contains(t)) {
        sockets.addAll(Arrays.asList(t.types));
      }
    }
    List<Class<?>> loaded = new ArrayList<>();
    List<Class<?>> loadedSockets = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (names.contains(c.getName()) && inst.isModifiableClass(c)) {
        (sockets.contains(c.getName()) && !socketsBeforeMain ? loadedSockets : loaded).add(c);
      }
    }
    if (loaded.isEmpty()) {
      transformer.prepareInBackground(() -> retransform(inst, loadedSockets, "the socket-connect check (tollgate.unmetered-traffic) is off"));
      return;
    }
    retransform(inst, loaded, "their calls go on unmetered");
    if (!loadedSockets.isEmpty()) {
      transformer.prepareInBackground(() -> retransform(inst, loadedSockets, "the socket-connect check (tollgate.unmetered-traffic) is off"));
    }
  }

  private static void retransform(Instrumentation inst, List<Class<?>> classes, String consequence) {
    if (classes.isEmpty()) {
      return;
    }
    try {
      inst.retransformClasses(classes.toArray(new Class<?>[0]));
    } catch (Throwable e) {
      Log.once("instrument-retransform", Log.Level.WARN, "could not instrument classes already loaded (" + classes + "); " + consequence, e);
    }
  }

  /** The Byte Buddy transformer for {@code targets}: built once, by whichever comes first, a target class or the warm-up thread. */
  private static ClassFileTransformer byteBuddy(Instrumentation inst, Set<Target> targets) {
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
    for (Target t : targets) {
      builder = builder.type(namedOneOf(t.types)).transform(advice(t, new AgentBuilder.Transformer.ForAdvice().include(agentLoader)));
    }
    return builder.makeRaw();
  }

  private static AgentBuilder.Transformer advice(Target target, AgentBuilder.Transformer.ForAdvice advice) {
    switch (target) {
      case OKHTTP:
        return advice.advice(named("intercept").and(takesArguments(1)), "dev.tollgate.agent.instrument.okhttp.OkHttpAdvice");
      case OKHTTP_ENQUEUE:
        return advice.advice(named("enqueue").and(takesArguments(1)), "dev.tollgate.agent.instrument.okhttp.OkHttpEnqueueAdvice");
      case JDK_HTTP_CLIENT:
        return advice.advice(named("sendAsync").and(takesArguments(4)).and(isPrivate()),
            "dev.tollgate.agent.instrument.jdkhttp.JdkHttpClientAdvice");
      case APACHE_CLASSIC:
        return advice.advice(named("doExecute").and(takesArguments(3)), "dev.tollgate.agent.instrument.apache.ApacheClassicAdvice");
      case APACHE_ASYNC:
        return advice.advice(named("doExecute").and(takesArguments(6)), "dev.tollgate.agent.instrument.apache.ApacheAsyncAdvice");
      case URL_CONNECTION:
        return urlConnection(advice);
      case HTTPS_URL_CONNECTION:
        // The HTTPS subclass overrides connect, so that one method is hooked there too.
        return advice.advice(named("connect").and(takesArguments(0)), URL_CONNECTION_ADVICE + "Connect");
      case SPRING_WEBCLIENT:
        return advice.advice(named("connect").and(takesArguments(3)), "dev.tollgate.agent.instrument.spring.WebClientConnectorAdvice");
      case SPRING_REST_CLIENT:
        return advice.advice(named("executeInternal").and(takesArguments(2)), "dev.tollgate.agent.instrument.spring.RestClientRequestAdvice");
      case VERTX_REQUEST:
        return vertxWrite(advice);
      case VERTX_REQUEST_BASE:
        return advice.advice(named("fail").and(takesArguments(Throwable.class)), VERTX_RESPONSE_ADVICE + "RequestFailure");
      case VERTX_RESPONSE:
        return advice
            .advice(isConstructor().and(takesArguments(6)), VERTX_RESPONSE_ADVICE + "Start")
            .advice(named("handleChunk").and(takesArguments(1)), VERTX_RESPONSE_ADVICE + "Chunk")
            .advice(named("handleEnd").and(takesArguments(1)), VERTX_RESPONSE_ADVICE + "End")
            .advice(named("handleException").and(takesArguments(Throwable.class)), VERTX_RESPONSE_ADVICE + "Failure");
      case JETTY:
        return advice.advice(named("send").and(takesArguments(1)), "dev.tollgate.agent.instrument.jetty.JettySendAdvice");
      case SOCKET:
        return advice.advice(named("connect").and(takesArguments(SocketAddress.class, int.class)), SOCKET_ADVICE);
      case SOCKET_CHANNEL:
        return advice.advice(named("connect").and(takesArguments(SocketAddress.class)), SOCKET_ADVICE);
      default:
        throw new AssertionError(target);
    }
  }

  private static final String JETTY_SUPPORT = "dev.tollgate.agent.instrument.jetty.support.";
  private static final String VERTX_WRITE_ADVICE = "dev.tollgate.agent.instrument.vertx.VertxWriteAdvice";
  private static final String VERTX_RESPONSE_ADVICE = "dev.tollgate.agent.instrument.vertx.VertxResponseAdvice$";

  /** Vert.x's {@code doWrite}: a completion handler in 4.x (four arguments), a returned {@code Future} in 5.x (three). */
  private static AgentBuilder.Transformer vertxWrite(AgentBuilder.Transformer.ForAdvice builder) {
    return builder
        .advice(named("doWrite").and(takesArguments(4)), VERTX_WRITE_ADVICE, VERTX_WRITE_ADVICE + "$Exit4")
        .advice(named("doWrite").and(takesArguments(3)), VERTX_WRITE_ADVICE, VERTX_WRITE_ADVICE + "$Exit5");
  }

  private static final String SOCKET_ADVICE = "dev.tollgate.agent.instrument.net.SocketConnectAdvice";
  private static final String URL_CONNECTION_ADVICE = "dev.tollgate.agent.instrument.urlconnection.UrlConnectionAdvice$";

  /** The JDK's {@code HttpURLConnection} implementation, which {@code HttpsURLConnection} delegates to. */
  private static AgentBuilder.Transformer urlConnection(AgentBuilder.Transformer.ForAdvice builder) {
    String advice = URL_CONNECTION_ADVICE;
    return builder
        .advice(named("connect").and(takesArguments(0)), advice + "Connect")
        .advice(named("getOutputStream").and(takesArguments(0)), advice + "Output")
        .advice(named("getInputStream").and(takesArguments(0)), advice + "Input")
        .advice(named("getErrorStream").and(takesArguments(0)), advice + "ErrorStream", advice + "Synthetic")
        .advice(named("getHeaderField").and(takesArguments(String.class)), advice + "HeaderByName", advice + "Synthetic")
        .advice(named("getHeaderField").and(takesArguments(int.class)), advice + "HeaderByIndex", advice + "Synthetic")
        .advice(named("getHeaderFieldKey").and(takesArguments(int.class)), advice + "HeaderKey", advice + "Synthetic")
        .advice(named("getHeaderFields").and(takesArguments(0)), advice + "HeaderFields", advice + "Synthetic")
        .advice(named("disconnect").and(takesArguments(0)), advice + "Disconnect");
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
