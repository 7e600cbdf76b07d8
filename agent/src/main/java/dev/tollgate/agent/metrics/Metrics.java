package dev.tollgate.agent.metrics;

import dev.tollgate.agent.config.MetricsSettings;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.metrics.jmx.JmxMetrics;
import dev.tollgate.agent.metrics.otel.OtelExporters;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import javax.management.JMException;
import org.jspecify.annotations.Nullable;

/**
 * Starts the configured exporters. Each is reached only through its own branch, so the JVM loads
 * the OpenTelemetry SDK only for the Prometheus endpoint or the OTLP push, and the JMX classes only
 * for {@code tollgate.metrics.jmx}.
 */
public final class Metrics {
  private Metrics() {}

  private static volatile @Nullable Runnable pending;

  /**
   * The sink the meter reports calls to; an exporter that cannot start is logged and left out. The
   * OpenTelemetry exporters (the SDK and its HTTP server or client, over a thousand classes) start
   * only at {@link #startExporters}, once the meter is ready; the calls before are kept for them.
   */
  public static MetricsSink start(MetricsSettings settings, Gauges gauges, String agentVersion) {
    List<MetricsSink> sinks = new ArrayList<>();
    if (settings.prometheusPort >= 0 || settings.otlpEndpoint != null) {
      DeferredSink otel = new DeferredSink();
      sinks.add(otel);
      pending = () -> otel.started(otelOrNone(settings, gauges, agentVersion));
    }
    if (settings.jmx) {
      try {
        sinks.add(JmxMetrics.register(gauges));
      } catch (JMException e) {
        Log.error("cannot register the MBean " + JmxMetrics.OBJECT_NAME + ": " + e.getMessage() + "; the other metrics exporters run",
            null);
      }
    }
    return sinks.isEmpty() ? MetricsSink.NONE : sinks.size() == 1 ? sinks.get(0) : both(sinks.get(0), sinks.get(1));
  }

  /** Starts the exporters {@link #start} left for later, on a daemon thread; done at once when there are none. */
  public static CompletableFuture<Void> startExporters() {
    Runnable r = pending;
    pending = null;
    if (r == null) {
      return CompletableFuture.completedFuture(null);
    }
    return CompletableFuture.runAsync(r, task -> {
      Thread t = new Thread(task, "tollgate-metrics-start");
      t.setDaemon(true);
      t.start();
    });
  }

  private static MetricsSink otelOrNone(MetricsSettings settings, Gauges gauges, String agentVersion) {
    try {
      return OtelExporters.start(settings, gauges, agentVersion);
    } catch (RuntimeException | LinkageError e) {
      String why = e instanceof OtelExporters.StartFailure ? e.getMessage() : e.toString();
      Log.error("cannot start the metrics exporters: " + why + "; calls are metered and journaled, without them", null);
      return MetricsSink.NONE;
    }
  }

  /** Reports each call to {@code a}, then to {@code b}. */
  public static MetricsSink both(MetricsSink a, MetricsSink b) {
    return (record, requestedModel, costNanos, firstChunkNanos) -> {
      a.onCall(record, requestedModel, costNanos, firstChunkNanos);
      b.onCall(record, requestedModel, costNanos, firstChunkNanos);
    };
  }
}
