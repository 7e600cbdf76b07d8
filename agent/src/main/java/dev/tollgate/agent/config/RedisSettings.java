package dev.tollgate.agent.config;

import dev.tollgate.agent.pricing.Money;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Parses {@code tollgate.redis.*} for {@code tollgate.wallet=redis}. The password (from the URL's
 * user info or {@code tollgate.redis.key}) is never echoed in an error: a URL is shown without its
 * user info.
 */
final class RedisSettings {
  /** Nano-credits the wallet's Lua script counts exactly (its numbers are doubles): 2^53, about 9.0 million credits. */
  static final long MAX_NANOS = 1L << 53;
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final String URL_KEY = "tollgate.redis.url";

  private RedisSettings() {}

  static TollgateConfig.RedisSetting of(ConfigSource s, @Nullable BigDecimal budget, Duration balanceRefresh) {
    for (String key : s.withPrefix("tollgate.redis.").keySet()) {
      String attr = key.substring("tollgate.redis.".length());
      if (!attr.equals("url") && !attr.equals("key") && !attr.equals("name") && !attr.equals("lease") && !attr.equals("lease-ttl")) {
        throw new ConfigException(key, attr.contains("key") ? "(hidden)" : s.get(key),
            "keys for the redis wallet are tollgate.redis.url, .key, .name, .lease and .lease-ttl");
      }
    }
    if (budget != null && Money.toNanos(budget) > MAX_NANOS) {
      throw new ConfigException("tollgate.budget", budget.toPlainString(), "at most 9007199 credits with tollgate.wallet=redis");
    }
    URI uri = uri(or(s, URL_KEY, "redis://127.0.0.1:6379"));
    String name = or(s, "tollgate.redis.name", "default");
    if (!NAME.matcher(name).matches()) {
      throw new ConfigException("tollgate.redis.name", name, "1 to 64 letters, digits, '.', '_' or '-'");
    }
    Duration ttl = TollgateConfig.parseDuration("tollgate.redis.lease-ttl", or(s, "tollgate.redis.lease-ttl", "30s"));
    if (ttl.compareTo(balanceRefresh.multipliedBy(2)) < 0) {
      throw new ConfigException("tollgate.redis.lease-ttl", or(s, "tollgate.redis.lease-ttl", "30s"),
          "a duration at least twice tollgate.balance-refresh (" + balanceRefresh.toMillis()
              + "ms), so a live JVM renews its lease in time");
    }
    String[] user = userInfo(uri);
    String key = s.get("tollgate.redis.key");
    String password = key != null && !key.isEmpty() ? key : user[1];
    return new TollgateConfig.RedisSetting(uri.getScheme().equals("rediss"), uri.getHost().replaceAll("^\\[|]$", ""),
        uri.getPort() < 0 ? 6379 : uri.getPort(),
        database(uri), user[0], password, name, lease(s, budget), ttl);
  }

  private static String or(ConfigSource s, String key, String def) {
    String v = s.get(key);
    return v == null || v.isEmpty() ? def : v;
  }

  private static URI uri(String url) {
    try {
      URI uri = new URI(url);
      if (("redis".equals(uri.getScheme()) || "rediss".equals(uri.getScheme())) && uri.getHost() != null && uri.getQuery() == null) {
        database(uri);
        return uri;
      }
    } catch (URISyntaxException e) {
      // reported below, without the URL's user info
    }
    throw new ConfigException(URL_KEY, redacted(url), "redis://[user[:password]@]host[:port][/db] or rediss:// for TLS, without a query");
  }

  /** The URL as it may be shown: whatever stands between the scheme and the last '@' is dropped. */
  static String redacted(String url) {
    int at = url.lastIndexOf('@');
    int scheme = url.indexOf("://");
    return at < 0 || scheme < 0 || at < scheme ? url : url.substring(0, scheme + 3) + "…@" + url.substring(at + 1);
  }

  private static int database(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    if (path.isEmpty() || path.equals("/")) {
      return 0;
    }
    try {
      int db = Integer.parseInt(path.substring(1));
      if (db >= 0) {
        return db;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(URL_KEY, redacted(uri.toString()), "a database number after the port, e.g. redis://127.0.0.1:6379/0");
  }

  /** {user or null, password or null}, decoded from the URL's user info. */
  private static String[] userInfo(URI uri) {
    String info = uri.getUserInfo();
    if (info == null || info.isEmpty()) {
      return new String[2];
    }
    int colon = info.indexOf(':');
    String user = colon < 0 ? info : info.substring(0, colon);
    String password = colon < 0 ? null : info.substring(colon + 1);
    return new String[] {user.isEmpty() ? null : user, password == null || password.isEmpty() ? null : password};
  }

  /**
   * The lease in nano-credits: credits, or a percentage of {@code tollgate.budget}. Without either
   * (a JVM joining a wallet others funded), 0: the JVM leases per call, what each call reserves.
   */
  private static long lease(ConfigSource s, @Nullable BigDecimal budget) {
    String set = s.get("tollgate.redis.lease");
    if ((set == null || set.isEmpty()) && budget == null) {
      return 0;
    }
    String v = or(s, "tollgate.redis.lease", "5%");
    boolean percent = v.endsWith("%");
    if (percent && budget == null) {
      throw new ConfigException("tollgate.redis.lease", v,
          "credits (a JVM without tollgate.budget cannot take a percentage of it), e.g. 0.50");
    }
    try {
      BigDecimal d = new BigDecimal(percent ? v.substring(0, v.length() - 1).trim() : v.trim());
      BigDecimal credits = percent && budget != null ? budget.multiply(d).movePointLeft(2) : d; // a percentage needs the budget (above)
      long nanos = Money.toNanos(credits);
      if (d.signum() > 0 && (!percent || d.compareTo(BigDecimal.valueOf(100)) <= 0) && nanos > 0 && nanos <= MAX_NANOS) {
        return nanos;
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // reported below
    }
    throw new ConfigException("tollgate.redis.lease", v,
        "credits greater than 0 (at most 9007199) or a percentage of tollgate.budget (above 0% to 100%)");
  }
}
