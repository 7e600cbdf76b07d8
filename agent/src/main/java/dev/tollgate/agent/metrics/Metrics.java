package dev.tollgate.agent.metrics;

import dev.tollgate.agent.config.MetricsSettings;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.metrics.jmx.JmxMetrics;
import dev.tollgate.agent.metrics.otel.OtelExporters;
import java.util.ArrayList;
import java.util.List;
import javax.management.JMException;

/**
 * Starts the configured exporters. Each is reached only through its own branch, so the JVM loads
 * the OpenTelemetry SDK only for the Prometheus endpoint or the OTLP push, and the JMX classes only
 * for {@code tollgate.metrics.jmx}.
 */
public final class Metrics {
  private Metrics() {}

  /** The sink the meter reports calls to; an exporter that cannot start is logged and left out. */
  public static MetricsSink start(MetricsSettings settings, Gauges gauges, String agentVersion) {
    List<MetricsSink> sinks = new ArrayList<>();
    if (settings.prometheusPort >= 0 || settings.otlpEndpoint != null) {
      sinks.add(OtelExporters.start(settings, gauges, agentVersion));
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

  private static MetricsSink both(MetricsSink a, MetricsSink b) {
    return (record, requestedModel, costNanos, firstChunkNanos) -> {
      a.onCall(record, requestedModel, costNanos, firstChunkNanos);
      b.onCall(record, requestedModel, costNanos, firstChunkNanos);
    };
  }
}
