package dev.tollgate.agent.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@code tollgate.alert.*}: where alerts are posted and how often a failed post is retried. The
 * webhook URL holds a secret (a Slack webhook's path is its credential), so it is only ever shown
 * {@link #masked masked}: scheme, host and port, never the path or query.
 */
public final class AlertSettings {
  static final String WEBHOOK = "tollgate.alert.webhook";
  static final String RETRIES = "tollgate.alert.retries";

  /** The full URL: pass it to the HTTP client only, never to a log line or an exception. */
  public final URI webhook;
  /** Further attempts after a failed first post (5xx, 429, a network failure). */
  public final int retries;

  private AlertSettings(URI webhook, int retries) {
    this.webhook = webhook;
    this.retries = retries;
  }

  /** The alert settings, or null when {@code tollgate.alert.webhook} is unset. */
  static @Nullable AlertSettings of(ConfigSource s) {
    String url = s.get(WEBHOOK);
    String retries = s.get(RETRIES);
    if (url == null || url.trim().isEmpty()) {
      return null;
    }
    return new AlertSettings(uri(url.trim()), retries(retries == null ? "3" : retries));
  }

  private static URI uri(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below, without the URL's secret part
    }
    throw new ConfigException(WEBHOOK, mask(url), "an http:// or https:// URL, e.g. https://hooks.slack.com/services/…");
  }

  private static int retries(String v) {
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 0 && n <= 10) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(RETRIES, v, "a whole number from 0 to 10");
  }

  /** This webhook as it may be shown: {@code https://hooks.slack.com/…}. */
  public String masked() {
    return mask(webhook.toString());
  }

  /**
   * {@code url} cut after its host and port, user info dropped: {@code https://hooks.slack.com/…}. A
   * value that is not a URL shows as {@code (hidden)}.
   */
  public static String mask(String url) {
    int scheme = url.indexOf("://");
    if (scheme <= 0) {
      return "(hidden)";
    }
    int start = scheme + 3;
    int end = start;
    while (end < url.length() && "/?#".indexOf(url.charAt(end)) < 0) {
      end++;
    }
    String authority = url.substring(start, end);
    authority = authority.substring(authority.lastIndexOf('@') + 1);
    return url.substring(0, start) + authority + (end < url.length() ? "/…" : "");
  }

  @Override
  public String toString() {
    return "webhook " + masked() + ", " + retries + " retries";
  }
}
