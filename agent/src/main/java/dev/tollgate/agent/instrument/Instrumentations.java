package dev.tollgate.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;

import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.instrument.apache.ApacheHttpClient5Instrumentation;
import dev.tollgate.agent.instrument.apache4.Apache4Instrumentation;
import dev.tollgate.agent.instrument.aws.AwsSdkInstrumentation;
import dev.tollgate.agent.instrument.azure.AzureInstrumentation;
import dev.tollgate.agent.instrument.grpc.GrpcInstrumentation;
import dev.tollgate.agent.instrument.jdkhttp.JdkHttpInstrumentation;
import dev.tollgate.agent.instrument.net.SocketConnectInstrumentation;
import dev.tollgate.agent.instrument.jetty.JettyInstrumentation;
import dev.tollgate.agent.instrument.okhttp.OkHttpInstrumentation;
import dev.tollgate.agent.instrument.reactornetty.ReactorNettyInstrumentation;
import dev.tollgate.agent.instrument.spring.SpringInstrumentation;
import dev.tollgate.agent.instrument.urlconnection.UrlConnectionInstrumentation;
import dev.tollgate.agent.instrument.vertx.VertxInstrumentation;
import dev.tollgate.agent.log.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.utility.JavaModule;

/**
 * Installs every instrumentation of {@link #ALL}. Types are matched by name, so a client library the
 * application does not have costs nothing: a plain name filter ({@link DeferredTransformer}) sees
 * every class load, and Byte Buddy is only built when one of the types appears (or on a background
 * thread right after start-up, whichever comes first), so it is not on the JVM's start-up path.
 * Classes already loaded (runtime attach) are retransformed before this returns. A failure to
 * instrument a class is logged once and leaves it as it was.
 */
public final class Instrumentations {
  /**
   * Every instrumentation, one descriptor each (see {@code docs/contributing/adding-a-client.md}).
   * The config's {@code tollgate.instrumentation.<name>.enabled} names are those of its clients.
   */
  public static final List<InstrumentationModule> ALL = List.of(
      OkHttpInstrumentation.MODULE,
      JdkHttpInstrumentation.MODULE,
      ApacheHttpClient5Instrumentation.MODULE,
      UrlConnectionInstrumentation.MODULE,
      SpringInstrumentation.WEBCLIENT,
      SpringInstrumentation.REST_CLIENT,
      Apache4Instrumentation.MODULE,
      AwsSdkInstrumentation.MODULE,
      ReactorNettyInstrumentation.MODULE,
      AzureInstrumentation.MODULE,
      VertxInstrumentation.MODULE,
      JettyInstrumentation.MODULE,
      GrpcInstrumentation.MODULE,
      SocketConnectInstrumentation.MODULE);

  /** The name under which the socket-connect check is left out of {@link #install}'s {@code disabled} set. */
  public static final String UNMETERED_TRAFFIC = SocketConnectInstrumentation.NAME;

  private Instrumentations() {}

  /** The names of the clients' switches, {@code tollgate.instrumentation.<name>.enabled}, in {@link #ALL}'s order. */
  public static List<String> clientNames() {
    List<String> names = new ArrayList<>();
    for (InstrumentationModule m : ALL) {
      if (m.client) {
        names.add(m.name);
      }
    }
    return List.copyOf(names);
  }

  /**
   * The package prefixes of the enabled clients' classes that open their connections (see {@link
   * InstrumentationModule#connectingFrom}), the agent's own first.
   */
  public static String[] connectingPackages(Set<String> disabled) {
    Set<String> prefixes = new java.util.LinkedHashSet<>();
    prefixes.add("dev.tollgate.agent.");
    for (InstrumentationModule m : enabled(disabled)) {
      prefixes.addAll(m.connectingPackages);
    }
    return prefixes.toArray(new String[0]);
  }

  /** The thread classes the enabled clients open connections on (see {@link InstrumentationModule#connectingOnThreadsOf}). */
  public static String[] connectingThreads(Set<String> disabled) {
    Set<String> threads = new java.util.LinkedHashSet<>();
    for (InstrumentationModule m : enabled(disabled)) {
      threads.addAll(m.connectingThreads);
    }
    return threads.toArray(new String[0]);
  }

  private static List<InstrumentationModule> enabled(Set<String> disabled) {
    List<InstrumentationModule> enabled = new ArrayList<>();
    for (InstrumentationModule m : ALL) {
      if (!disabled.contains(m.name)) {
        enabled.add(m);
      }
    }
    return enabled;
  }

  /**
   * Installs every instrumentation not in {@code disabled}. Returns as soon as the name filter is
   * registered, unless classes to rewrite are already loaded: then they are rewritten first. The JDK's
   * socket classes, always loaded by then, are rewritten on the background thread unless {@code
   * socketsBeforeMain} ({@code tollgate.unmetered-traffic=block}, which must hold from the first
   * connection on, at the cost of building Byte Buddy before {@code main}).
   */
  public static void install(Instrumentation inst, Set<String> disabled, boolean socketsBeforeMain) {
    List<InstrumentationModule> modules = enabled(disabled);
    Set<String> names = new HashSet<>();
    Set<String> checks = new HashSet<>();
    for (InstrumentationModule m : modules) {
      if (m.support != null) {
        m.support.install();
      }
      names.addAll(m.types());
      if (!m.client) {
        checks.addAll(m.types());
      }
    }
    DeferredTransformer transformer = new DeferredTransformer(names, () -> byteBuddy(inst, modules));
    inst.addTransformer(transformer, true);
    List<Class<?>> loaded = new ArrayList<>();
    List<Class<?>> loadedSockets = new ArrayList<>();
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (names.contains(c.getName()) && inst.isModifiableClass(c)) {
        (checks.contains(c.getName()) && !socketsBeforeMain ? loadedSockets : loaded).add(c);
      }
    }
    if (loaded.isEmpty()) {
      transformer
          .prepareInBackground(() -> retransform(inst, loadedSockets, "the socket-connect check (tollgate.unmetered-traffic) is off"));
      return;
    }
    retransform(inst, loaded, "their calls go on unmetered");
    if (!loadedSockets.isEmpty()) {
      transformer
          .prepareInBackground(() -> retransform(inst, loadedSockets, "the socket-connect check (tollgate.unmetered-traffic) is off"));
    }
  }

  private static void retransform(Instrumentation inst, List<Class<?>> classes, String consequence) {
    if (classes.isEmpty()) {
      return;
    }
    try {
      inst.retransformClasses(classes.toArray(new Class<?>[0]));
    } catch (Throwable e) {
      Log.once("instrument-retransform", Log.Level.WARN, "could not instrument classes already loaded (" + classes + "); " + consequence,
          e);
    }
  }

  /** The Byte Buddy transformer for {@code modules}: built once, by whichever comes first, a target class or the warm-up thread. */
  private static ClassFileTransformer byteBuddy(Instrumentation inst, List<InstrumentationModule> modules) {
    // Tollgate never uses Byte Buddy's self-initialising "nexus"; switching it off keeps Byte Buddy
    // from reaching for sun.misc.Unsafe, which JDK 24+ reports with a warning on the app's stderr.
    // Shading renames this property along with Byte Buddy, so the app's own Byte Buddy is untouched.
    System.setProperty("net.bytebuddy.nexus.disabled", "true");
    ClassLoader agentLoader = Instrumentations.class.getClassLoader();
    // Declared methods only: every rewrite advises methods of the class it names, and walking the hierarchy would
    // need every interface resolved, including one another agent added from a jar only it can see (OpenTelemetry's
    // marker on HttpURLConnection left the class unrewritten; AttributionIT).
    AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy().with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE))
        .disableClassFormatChanges()
        .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
        .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
        .with(AgentBuilder.TypeStrategy.Default.DECORATE)
        // From class files, not by reflection: reflecting on a loaded class loads the types its methods name, and a
        // class loaded inside a rewrite is skipped by Byte Buddy for good (SocketChannelImpl's rewrite loading
        // java.net.Socket on JDK 25 left raw sockets unchecked; UnmeteredTrafficIT).
        .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
        .with(new FailureLogger())
        // Byte Buddy ignores boot and platform classes by default; the JDK's HttpClient and HttpURLConnection are such.
        .ignore(nameStartsWith("dev.tollgate.").or(nameStartsWith("net.bytebuddy.")))
        // Advice inlined into java.net.http and java.base calls the hook bridge in the boot loader's unnamed module.
        .assureReadEdgeTo(inst, Hooks.class);
    for (InstrumentationModule m : modules) {
      for (TypeAdvice t : m.rewrites) {
        builder = builder.type(namedOneOf(t.types.toArray(new String[0])))
            .transform(t.advise(new AgentBuilder.Transformer.ForAdvice().include(agentLoader)));
      }
    }
    return builder.makeRaw();
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
