package dev.tollgate.agent.metrics.otel;

import dev.tollgate.agent.log.Log;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.sdk.resources.Resource;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The standard {@code OTEL_*} variables that apply to Tollgate's own push: OTLP headers, timeout,
 * compression and temporality (the metrics-specific variable beats the general one), and the
 * service's resource. The endpoint is Tollgate's own key, so an application that exports its own
 * telemetry with {@code OTEL_EXPORTER_OTLP_ENDPOINT} does not turn Tollgate's push on. Header values
 * hold secrets: they are never logged, only their names.
 */
final class OtelEnv {
  final Map<String, String> headers;
  final @Nullable Duration timeout;
  final @Nullable String compression;
  final @Nullable String temporality;
  private final Function<String, String> env;

  OtelEnv(Function<String, String> env) {
    this.env = env;
    this.headers = headers(metricsOrGeneral("HEADERS"));
    this.timeout = timeout(metricsOrGeneral("TIMEOUT"));
    String c = metricsOrGeneral("COMPRESSION");
    this.compression = c == null ? null : c.trim().toLowerCase(Locale.ROOT);
    String t = env.apply("OTEL_EXPORTER_OTLP_METRICS_TEMPORALITY_PREFERENCE");
    this.temporality = t == null ? null : t.trim().toLowerCase(Locale.ROOT);
  }

  static OtelEnv fromSystem() {
    return new OtelEnv(System::getenv);
  }

  /** {@code service.name} from {@code OTEL_SERVICE_NAME}, then {@code OTEL_RESOURCE_ATTRIBUTES}, over the SDK's default resource. */
  Resource resource() {
    AttributesBuilder b = Attributes.builder();
    pairs(env.apply("OTEL_RESOURCE_ATTRIBUTES"), "OTEL_RESOURCE_ATTRIBUTES").forEach(b::put);
    String service = env.apply("OTEL_SERVICE_NAME");
    if (service != null && !service.trim().isEmpty()) {
      b.put("service.name", service.trim());
    }
    return Resource.getDefault().merge(Resource.create(b.build()));
  }

  private @Nullable String metricsOrGeneral(String suffix) {
    String v = env.apply("OTEL_EXPORTER_OTLP_METRICS_" + suffix);
    return v != null && !v.trim().isEmpty() ? v : env.apply("OTEL_EXPORTER_OTLP_" + suffix);
  }

  private static Map<String, String> headers(@Nullable String v) {
    return pairs(v, "OTEL_EXPORTER_OTLP_HEADERS");
  }

  /** {@code k=v,k2=v2}, values URL-encoded (the OpenTelemetry SDK's format); a malformed pair is skipped and named, never its value. */
  static Map<String, String> pairs(@Nullable String v, String variable) {
    Map<String, String> out = new LinkedHashMap<>();
    if (v == null) {
      return out;
    }
    for (String pair : v.split(",")) {
      int eq = pair.indexOf('=');
      if (pair.trim().isEmpty()) {
        continue;
      }
      if (eq <= 0) {
        Log.once("otel-env-" + variable, Log.Level.WARN, variable + " holds an entry without '=': skipped", null);
        continue;
      }
      try {
        out.put(pair.substring(0, eq).trim(), URLDecoder.decode(pair.substring(eq + 1).trim(), StandardCharsets.UTF_8));
      } catch (IllegalArgumentException e) {
        Log.once("otel-env-" + variable, Log.Level.WARN, variable + " holds a value that is not URL-encoded: skipped", null);
      }
    }
    return out;
  }

  private static @Nullable Duration timeout(@Nullable String v) {
    if (v == null || v.trim().isEmpty()) {
      return null;
    }
    try {
      return Duration.ofMillis(Long.parseLong(v.trim()));
    } catch (NumberFormatException e) {
      Log.once("otel-env-timeout", Log.Level.WARN,
          "OTEL_EXPORTER_OTLP_TIMEOUT is not a number of milliseconds: " + v.trim() + "; the default applies", null);
      return null;
    }
  }
}
