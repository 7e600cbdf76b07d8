package dev.tollgate.agent.metrics.micrometer;

import dev.tollgate.agent.bootstrap.MicrometerBridge;
import dev.tollgate.agent.bootstrap.LibraryBridges;
import dev.tollgate.agent.instrument.LibrarySupport;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.metrics.Gauges;
import dev.tollgate.agent.metrics.MetricsSink;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * {@code tollgate.metrics.micrometer}: Tollgate's meters in the application's Micrometer global
 * registry ({@code io.micrometer.core.instrument.Metrics.globalRegistry}), which Spring Boot's
 * registries join, so {@code /actuator/prometheus} shows them beside the application's own. A class
 * file transformer that changes nothing notes each class loader that loads Micrometer's {@code
 * Metrics}; from then on that loader's calls are counted, and a daemon thread defines the support
 * beside that copy of Micrometer ({@link LibrarySupport}) and registers the meters. An application
 * without Micrometer pays one string comparison per class load.
 */
public final class Micrometer {
  static final String METRICS_CLASS = "io.micrometer.core.instrument.Metrics";
  private static final String METRICS_INTERNAL_NAME = "io/micrometer/core/instrument/Metrics";
  /** No advice looks the support up: the slot only gives {@link LibrarySupport} its null object. */
  private static final LibrarySupport<MicrometerBridge> SUPPORT = new LibrarySupport<>(new LibraryBridges<>(MicrometerBridge.UNMETERED),
      "dev.tollgate.agent.metrics.micrometer.support.MicrometerSupport", "Micrometer");
  private static final Object LOCK = new Object();
  private static final List<ClassLoader> SEEN = new ArrayList<>();
  private static @Nullable Consumer<ClassLoader> started;

  private Micrometer() {}

  /** Before {@code main}: watches for Micrometer's {@code Metrics} class (and finds it if it is already loaded). */
  public static void watch(Instrumentation inst) {
    inst.addTransformer(new Watch());
    for (Class<?> c : inst.getAllLoadedClasses()) {
      if (c.getName().equals(METRICS_CLASS)) {
        loaded(c.getClassLoader());
      }
    }
  }

  /**
   * Once the meter is built: a sink for each copy of Micrometer seen so far and every later one.
   *
   * @param addSink adds a sink beside the meter's others
   */
  public static void start(List<String> labels, Gauges gauges, Consumer<MetricsSink> addSink) {
    List<ClassLoader> seen;
    synchronized (LOCK) {
      started = loader -> attach(loader, new MicrometerMetrics(labels, gauges), addSink);
      seen = new ArrayList<>(SEEN);
      SEEN.clear();
    }
    seen.forEach(started);
  }

  static void loaded(@Nullable ClassLoader loader) {
    if (loader == null) {
      return; // Micrometer on the boot class path: no loader to define the support beside
    }
    Consumer<ClassLoader> s;
    synchronized (LOCK) {
      s = started;
      if (s == null) {
        SEEN.add(loader);
        return;
      }
    }
    s.accept(loader);
  }

  /** Counts from now on; registers once the class is initialised, off the thread that is loading it. */
  private static void attach(ClassLoader loader, MicrometerMetrics sink, Consumer<MetricsSink> addSink) {
    addSink.accept(sink);
    Thread t = new Thread(() -> register(loader, sink), "tollgate-micrometer");
    t.setDaemon(true);
    t.start();
  }

  private static void register(ClassLoader loader, MicrometerMetrics sink) {
    try {
      Class.forName(METRICS_CLASS, true, loader);
      sink.register(SUPPORT.define(loader));
      Log.debug("metrics: registered in Micrometer's global registry (" + loader + ")");
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      Log.once("micrometer-support", Log.Level.WARN, "could not register Tollgate's meters in Micrometer's global registry; "
          + "the other exporters are unaffected", e);
    }
  }

  /** Notes the loaders of Micrometer's {@code Metrics}; transforms nothing. */
  static final class Watch implements ClassFileTransformer {
    @Override
    public byte @Nullable [] transform(ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
      if (METRICS_INTERNAL_NAME.equals(className) && redefined == null) {
        try {
          loaded(loader);
        } catch (RuntimeException | LinkageError e) {
          Log.once("micrometer-watch", Log.Level.WARN, "could not set up Tollgate's Micrometer meters", e);
        }
      }
      return null;
    }
  }
}
