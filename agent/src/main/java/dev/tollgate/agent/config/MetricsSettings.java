package dev.tollgate.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * {@code tollgate.metrics.*}: which exporters run and which record attributes label
 * {@code tollgate.cost} and {@code tollgate.calls}. With no exporter configured nothing of the
 * metrics code is loaded.
 */
public final class MetricsSettings {
  private static final Pattern ATTRIBUTE = Pattern.compile("[a-z0-9_-]{1,32}");

  /** Port of the Prometheus endpoint, or -1 for none. */
  public final int prometheusPort;
  public final String prometheusHost;
  /** The OTLP/HTTP metrics URL (ends with {@code /v1/metrics}), or null for no push. */
  public final @Nullable String otlpEndpoint;
  public final Duration interval;
  public final boolean jmx;
  /** Whether Tollgate's meters join the application's Micrometer global registry when it loads Micrometer (default true). */
  public final boolean micrometer;
  /** Record attributes (and the built-in {@code provider}, {@code model}, {@code operation}) that label cost and calls. */
  public final List<String> attributes;

  private MetricsSettings(ConfigSource s) {
    prometheusPort = port(s.get("tollgate.metrics.prometheus.port"));
    prometheusHost = or(s, "tollgate.metrics.prometheus.host", "127.0.0.1");
    otlpEndpoint = otlp(s.get("tollgate.metrics.otlp.endpoint"));
    interval = TollgateConfig.parseDuration("tollgate.metrics.interval", or(s, "tollgate.metrics.interval", "60s"));
    if (interval.isZero()) {
      throw new ConfigException("tollgate.metrics.interval", "0", "a duration greater than 0, such as 60s");
    }
    jmx = bool(s, "tollgate.metrics.jmx", "false");
    micrometer = bool(s, "tollgate.metrics.micrometer", "true");
    attributes = attributes(or(s, "tollgate.metrics.attributes", "provider,model"));
  }

  static MetricsSettings of(ConfigSource s) {
    return new MetricsSettings(s);
  }

  /** Whether any exporter is configured; only then is the metrics code loaded. */
  public boolean enabled() {
    return prometheusPort >= 0 || otlpEndpoint != null || jmx;
  }

  private static int port(@Nullable String v) {
    if (v == null || v.trim().isEmpty()) {
      return -1;
    }
    try {
      int port = Integer.parseInt(v.trim());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException("tollgate.metrics.prometheus.port", v, "a port from 1 to 65535");
  }

  /** A base URL gets OTLP's {@code /v1/metrics}, as {@code OTEL_EXPORTER_OTLP_ENDPOINT} does. */
  private static @Nullable String otlp(@Nullable String v) {
    if (v == null || v.trim().isEmpty()) {
      return null;
    }
    String url = v.trim();
    try {
      URI uri = new URI(url);
      if (("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null && uri.getUserInfo() == null) {
        return url.endsWith("/v1/metrics") ? url : url.replaceAll("/+$", "") + "/v1/metrics";
      }
    } catch (URISyntaxException e) {
      // reported below
    }
    throw new ConfigException("tollgate.metrics.otlp.endpoint", uriShown(url),
        "an http:// or https:// URL without user info, such as http://localhost:4318");
  }

  /** The value as shown in an error: never user info, which may be a secret. */
  private static String uriShown(String url) {
    return url.replaceAll("//[^/@]*@", "//(hidden)@");
  }

  private static List<String> attributes(String v) {
    List<String> names = new ArrayList<>();
    for (String name : v.split(",")) {
      String n = name.trim();
      if (n.isEmpty() || n.equals("none")) {
        continue;
      }
      if (!ATTRIBUTE.matcher(n).matches()) {
        throw new ConfigException("tollgate.metrics.attributes", v,
            "a comma-separated list of attribute names ([a-z0-9_-]{1,32}), or none");
      }
      if (!names.contains(n)) {
        names.add(n);
      }
    }
    return List.copyOf(names);
  }

  private static String or(ConfigSource s, String key, String def) {
    String v = s.get(key);
    return v == null || v.isEmpty() ? def : v;
  }

  private static boolean bool(ConfigSource s, String key, String def) {
    String v = or(s, key, def).toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new ConfigException(key, s.get(key), "true or false");
    }
    return v.equals("true");
  }
}
