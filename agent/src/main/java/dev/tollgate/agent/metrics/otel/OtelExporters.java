package dev.tollgate.agent.metrics.otel;

import dev.tollgate.agent.config.MetricsSettings;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.metrics.Gauges;
import dev.tollgate.agent.metrics.GenAi;
import dev.tollgate.agent.metrics.MetricsSink;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporter;
import io.opentelemetry.exporter.otlp.http.metrics.OtlpHttpMetricExporterBuilder;
import io.opentelemetry.exporter.prometheus.PrometheusHttpServer;
import io.opentelemetry.sdk.metrics.ExemplarFilter;
import io.opentelemetry.sdk.metrics.SdkMeterProvider;
import io.opentelemetry.sdk.metrics.SdkMeterProviderBuilder;
import io.opentelemetry.sdk.metrics.export.AggregationTemporalitySelector;
import io.opentelemetry.sdk.metrics.export.PeriodicMetricReader;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts the OpenTelemetry SDK with the configured readers: the Prometheus endpoint and the OTLP/HTTP
 * push. The only entry into this package, reached only when one of them is configured, so an
 * application without them never loads an OpenTelemetry class.
 */
public final class OtelExporters {
  private OtelExporters() {}

  /** An exporter that cannot start, told in one line that names it and says why. */
  public static final class StartFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StartFailure(String message, Throwable cause) {
      super(message, cause);
    }
  }

  /** The innermost cause's message ({@code address already in use}), where the SDK's own says only that it failed. */
  static String rootReason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null || m.isEmpty() ? root.getClass().getSimpleName() : Log.clause(m);
  }

  /** The sink recording into a new meter provider, flushed and closed at exit. */
  public static MetricsSink start(MetricsSettings settings, Gauges gauges, String agentVersion) {
    OtelEnv env = OtelEnv.fromSystem();
    // No exemplars: the shaded SDK never sees the application's spans, so the trace-based default
    // filter only costs each recording a context look-up.
    SdkMeterProviderBuilder builder = SdkMeterProvider.builder().setResource(env.resource()).setExemplarFilter(ExemplarFilter.alwaysOff());
    if (settings.prometheusPort >= 0) {
      PrometheusHttpServer server;
      try {
        server = PrometheusHttpServer.builder().setHost(settings.prometheusHost).setPort(settings.prometheusPort).build();
      } catch (RuntimeException e) {
        throw new StartFailure("the Prometheus endpoint cannot listen on " + hostText(settings.prometheusHost) + ":"
            + settings.prometheusPort + " (tollgate.metrics.prometheus.port): " + rootReason(e), e);
      }
      builder.registerMetricReader(server);
      Log.info("metrics: Prometheus endpoint at http://" + hostText(settings.prometheusHost) + ":" + settings.prometheusPort + "/metrics");
    }
    if (settings.otlpEndpoint != null) {
      builder.registerMetricReader(PeriodicMetricReader.builder(otlp(settings.otlpEndpoint, env)).setInterval(settings.interval).build());
      Log.info("metrics: pushing OTLP/HTTP to " + settings.otlpEndpoint + " every " + settings.interval.toMillis() / 1000.0 + "s"
          + (env.headers.isEmpty() ? "" : " with headers " + env.headers.keySet()));
    }
    SdkMeterProvider provider = builder.build();
    // At exit the last interval's numbers are pushed, so a short-lived job is not lost to the collector.
    Runtime.getRuntime().addShutdownHook(new Thread(() -> provider.shutdown().join(5, TimeUnit.SECONDS), "tollgate-metrics-shutdown"));
    return new OtelMetrics(
        provider.meterBuilder("dev.tollgate").setInstrumentationVersion(agentVersion).setSchemaUrl(GenAi.SCHEMA_URL).build(),
        settings.attributes, gauges);
  }

  private static OtlpHttpMetricExporter otlp(String endpoint, OtelEnv env) {
    OtlpHttpMetricExporterBuilder b = OtlpHttpMetricExporter.builder().setEndpoint(endpoint);
    for (Map.Entry<String, String> h : env.headers.entrySet()) {
      b.addHeader(h.getKey(), h.getValue());
    }
    if (env.timeout != null) {
      b.setTimeout(env.timeout);
    }
    if (env.compression != null) {
      b.setCompression(env.compression);
    }
    if ("delta".equals(env.temporality)) {
      b.setAggregationTemporalitySelector(AggregationTemporalitySelector.deltaPreferred());
    } else if ("lowmemory".equals(env.temporality)) {
      b.setAggregationTemporalitySelector(AggregationTemporalitySelector.lowMemory());
    }
    return b.build();
  }

  private static String hostText(String host) {
    return host.indexOf(':') >= 0 ? "[" + host + "]" : host.toLowerCase(Locale.ROOT);
  }

}
