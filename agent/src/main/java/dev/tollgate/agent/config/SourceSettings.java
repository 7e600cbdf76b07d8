package dev.tollgate.agent.config;

import dev.tollgate.agent.config.TollgateConfig.SourceSetting;
import dev.tollgate.agent.endpoint.EndpointText;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Parses {@code tollgate.<source>.*} for the selected remote wallet: the URL (with the provider's
 * default where it has a public one), the key (required where the API needs one) and the source's
 * own options with their documented defaults. A key is never echoed in an error.
 */
final class SourceSettings {
  private SourceSettings() {}

  /** Option name → default ("" for optional without default), per source. */
  private static Map<String, String> options(String source) {
    Map<String, String> o = new LinkedHashMap<>();
    switch (source) {
      case "synap":
        o.put("balance-path", "/v1/credits/balance");
        o.put("ledger-path", "/v1/credits/ledger");
        break;
      case "http":
        o.put("header", "Authorization");
        o.put("balance-pointer", "/balance");
        o.put("buckets-pointer", "");
        break;
      default:
        break;
    }
    return o;
  }

  private static @Nullable String defaultUrl(String source) {
    switch (source) {
      case "openrouter":
        return "https://openrouter.ai/api/v1";
      case "swarms":
        return "https://api.swarms.world";
      default:
        return null; // Synap's and a custom endpoint's URL must be given
    }
  }

  static @Nullable SourceSetting of(ConfigSource s, String wallet) {
    if (wallet.equals("local")) {
      return null;
    }
    String prefix = "tollgate." + wallet + ".";
    Map<String, String> options = options(wallet);
    for (Map.Entry<String, String> e : s.withPrefix(prefix).entrySet()) {
      String attr = e.getKey().substring(prefix.length());
      if (!attr.equals("url") && !attr.equals("key") && !options.containsKey(attr)) {
        throw new ConfigException(e.getKey(), attr.contains("key") ? "(hidden)" : e.getValue(),
            "keys for this source are " + prefix + "url, " + prefix + "key" + (options.isEmpty() ? "" : " and " + prefix
                + String.join(", " + prefix, options.keySet())));
      }
    }
    String url = url(s, prefix + "url", defaultUrl(wallet));
    String key = s.get(prefix + "key");
    if ((key == null || key.isEmpty()) && !wallet.equals("http")) {
      throw new ConfigException(prefix + "key", "(missing)", "the " + wallet + " API key"
          + (wallet.equals("openrouter") ? " (a management key: only those can read credits)" : ""));
    }
    options.replaceAll((name, def) -> {
      String v = s.get(prefix + name);
      return v == null || v.isEmpty() ? def : v;
    });
    checkPointers(wallet, options);
    return new SourceSetting(wallet, url, key == null || key.isEmpty() ? null : key, options);
  }

  private static String url(ConfigSource s, String key, @Nullable String def) {
    String url = s.get(key);
    if (url == null || url.isEmpty()) {
      url = def;
    }
    if (url == null || !(url.startsWith("http://") || url.startsWith("https://")) || url.indexOf('?') >= 0) {
      throw new ConfigException(key, url == null ? "(missing)" : EndpointText.of(url) + (url.indexOf('?') >= 0 ? "?…" : ""),
          "an http:// or https:// URL without a query");
    }
    return url;
  }

  private static void checkPointers(String wallet, Map<String, String> options) {
    for (Map.Entry<String, String> o : options.entrySet()) {
      String v = o.getValue();
      boolean pathLike = o.getKey().endsWith("-path") || o.getKey().endsWith("-pointer");
      if (pathLike && !v.isEmpty() && !v.startsWith("/")) {
        throw new ConfigException("tollgate." + wallet + "." + o.getKey(), v, o.getKey().endsWith("path")
            ? "a path starting with /, e.g. /v1/credits/balance" : "a JSON pointer starting with /, e.g. /data/balance");
      }
    }
  }
}
