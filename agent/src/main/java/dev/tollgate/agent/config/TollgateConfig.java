package dev.tollgate.agent.config;

import dev.tollgate.agent.endpoint.EndpointText;
import dev.tollgate.agent.instrument.Instrumentations;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.usage.Formats;
import java.math.BigDecimal;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.Set;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The validated configuration. Every key of the contract is parsed here, once, at start-up; an
 * invalid value throws {@link ConfigException} naming the key, the value and what is allowed.
 */
public final class TollgateConfig {

  /** What happens when a call needs more credits than are available. */
  public enum Enforce { BLOCK, WARN, OFF }

  /** How a blocked call is reported to the application. */
  public enum BlockMode { RESPONSE, EXCEPTION }

  /** What enforcement uses when the credit source cannot be read. */
  public enum OnSourceFailure { LAST_KNOWN, OPEN, CLOSED }

  /** What a connection to a metered endpoint that no hooked client opened gets ({@code tollgate.unmetered-traffic}). */
  public enum UnmeteredTraffic {
    WARN, BLOCK, OFF
  }

  /** An extra metered endpoint from {@code tollgate.endpoint.<name>.url/.format}. */
  public static final class EndpointSetting {
    public final String name;
    public final String url;
    public final String format;

    EndpointSetting(String name, String url, String format) {
      this.name = name;
      this.url = url;
      this.format = format;
    }
  }

  /**
   * The remote credit source of {@code tollgate.wallet}: its {@code tollgate.<source>.url}, {@code
   * .key} and the source's own options (paths, header, JSON pointers) with their defaults applied.
   * {@link #toString} never shows the key.
   */
  public static final class SourceSetting {
    public final String name;
    public final String url;
    public final @Nullable String key;
    public final Map<String, String> options;

    SourceSetting(String name, String url, @Nullable String key, Map<String, String> options) {
      this.name = name;
      this.url = url;
      this.key = key;
      this.options = Map.copyOf(options);
    }

    public @Nullable String option(String name) {
      return options.get(name);
    }

    @Override
    public String toString() {
      return name + " " + EndpointText.of(url) + (key == null ? "" : " (key set)");
    }
  }

  /**
   * The shared Redis wallet of {@code tollgate.wallet=redis}. {@link #toString} never shows the
   * password.
   */
  public static final class RedisSetting {
    public final boolean tls;
    public final String host;
    public final int port;
    public final int database;
    public final @Nullable String user;
    public final @Nullable String password;
    /** The wallet's name: its keys are {@code tollgate:{name}:*}. */
    public final String name;
    /** Nano-credits a JVM leases at a time. */
    public final long leaseNanos;
    public final Duration leaseTtl;

    RedisSetting(boolean tls, String host, int port, int database, @Nullable String user, @Nullable String password,
        String name, long leaseNanos, Duration leaseTtl) {
      this.tls = tls;
      this.host = host;
      this.port = port;
      this.database = database;
      this.user = user;
      this.password = password;
      this.name = name;
      this.leaseNanos = leaseNanos;
      this.leaseTtl = leaseTtl;
    }

    /** {@code redis://host:port/db}, without user or password. */
    public String where() {
      return (tls ? "rediss://" : "redis://") + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port + "/" + database;
    }

    @Override
    public String toString() {
      return "redis " + where() + " wallet " + name + (password == null ? "" : " (password set)");
    }
  }

  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

  public final boolean enabled;
  public final Path dataDir;
  public final String wallet;
  public final @Nullable BigDecimal budget;
  /** Period and scoped budgets ({@code tollgate.budget=LIMIT/PERIOD}, {@code tollgate.budget.<dimension>.<value>}, the budgets file). */
  public final BudgetSettings budgets;
  public final Enforce enforce;
  public final BlockMode blockMode;
  public final OnSourceFailure onSourceFailure;
  public final UnmeteredTraffic unmeteredTraffic;
  public final Duration balanceRefresh;
  /** How old the cached balance may grow while the source cannot be read before the failure policy applies. */
  public final Duration balanceMaxStaleness;
  /** Per-attempt timeout of a credit source read. */
  public final Duration sourceTimeout;
  /** Retries of a failed credit source read (timeouts, 429, 5xx) within one refresh. */
  public final int sourceRetries;
  /** The remote credit source, or null for {@code tollgate.wallet=local} and {@code redis}. */
  public final @Nullable SourceSetting source;
  /** The shared wallet, or null unless {@code tollgate.wallet=redis}. */
  public final @Nullable RedisSetting redis;
  public final Duration reconcileInterval;
  /** Drift threshold: a percentage of the window's remote spend when {@link #driftThresholdIsPercent}, else credits. */
  public final BigDecimal driftThreshold;
  public final boolean driftThresholdIsPercent;
  public final Duration journalSyncInterval;
  /** {@code tollgate.journal-retention}: days of daily files kept (older ones are rolled up, then deleted); 0 keeps every file. */
  public final int journalRetentionDays;
  /** Low-balance threshold: a percentage of the budget when {@link #lowBalanceIsPercent}, else credits. */
  public final BigDecimal lowBalance;
  public final boolean lowBalanceIsPercent;
  public final BigDecimal creditsPerUsd;
  public final @Nullable Path pricingFile;
  /**
   * {@code tollgate.tokenizer}: {@code auto} counts OpenAI models' input with their tokenizer (loaded
   * in the background, ~30 MB for o200k_base); {@code heuristic} never loads one.
   */
  public final boolean tokenizer;

  /** {@code tollgate.fallback-price}: {@code INPUT/OUTPUT} USD per million tokens or a catalog model; checked when the catalog loads. */
  public final @Nullable String fallbackPrice;
  public final Map<String, EndpointSetting> endpoints;
  /** The instrumentations switched off with {@code tollgate.instrumentation.<name>.enabled=false}. */
  public final Set<String> disabledInstrumentations;
  public final String logLevel;
  /** {@code tollgate.alert.*}, or null when no webhook is set. */
  public final @Nullable AlertSettings alert;
  /** {@code tollgate.attribute.<name>=SOURCE[|SOURCE…]}: where each attribute of a call comes from. */
  public final dev.tollgate.agent.attribution.AttributeRules attributeRules;
  /** {@code tollgate.metrics.*}. */
  public final MetricsSettings metrics;

  private TollgateConfig(ConfigSource s) {
    enabled = bool(s, "tollgate.enabled", true);
    dataDir = path("tollgate.data-dir", or(s, "tollgate.data-dir", System.getProperty("user.home") + "/.tollgate")).toAbsolutePath();
    wallet = oneOf(s, "tollgate.wallet", "local", "local", "openrouter", "swarms", "synap", "http", "redis");
    budget = BudgetSettings.walletHasPeriod(s) ? null : credits(s, "tollgate.budget", null);
    budgets = BudgetSettings.of(s);
    enforce = Enforce.valueOf(oneOf(s, "tollgate.enforce", "block", "block", "warn", "off").toUpperCase(Locale.ROOT));
    blockMode = BlockMode.valueOf(oneOf(s, "tollgate.block-mode", "response", "response", "exception").toUpperCase(Locale.ROOT));
    unmeteredTraffic = UnmeteredTraffic
        .valueOf(oneOf(s, "tollgate.unmetered-traffic", "warn", "warn", "block", "off").toUpperCase(Locale.ROOT));
    tokenizer = oneOf(s, "tollgate.tokenizer", "auto", "auto", "heuristic").equals("auto");
    onSourceFailure = OnSourceFailure.valueOf(oneOf(s, "tollgate.on-source-failure", "last-known", "last-known", "open", "closed")
        .replace('-', '_').toUpperCase(Locale.ROOT));
    // A Redis lease reports this JVM's spend at each refresh, so the shared wallet's refresh is short.
    String refresh = wallet.equals("redis") ? "1s" : "30s";
    balanceRefresh = duration(s, "tollgate.balance-refresh", refresh);
    balanceMaxStaleness = duration(s, "tollgate.balance-max-staleness", "5m");
    if (balanceMaxStaleness.compareTo(balanceRefresh) < 0) {
      throw new ConfigException("tollgate.balance-max-staleness", or(s, "tollgate.balance-max-staleness", "5m"),
          "a duration at least tollgate.balance-refresh (" + or(s, "tollgate.balance-refresh", refresh) + ")");
    }
    sourceTimeout = duration(s, "tollgate.source-timeout", "10s");
    sourceRetries = count(s, "tollgate.source-retries", "2", 10);
    source = wallet.equals("redis") ? null : SourceSettings.of(s, wallet);
    redis = wallet.equals("redis") ? RedisSettings.of(s, budget, balanceRefresh) : null;
    reconcileInterval = duration(s, "tollgate.reconcile-interval", "5m");
    String drift = or(s, "tollgate.drift-threshold", "5%");
    driftThresholdIsPercent = drift.endsWith("%");
    driftThreshold = threshold("tollgate.drift-threshold", drift, "the window's remote spend", "5%");
    journalSyncInterval = duration(s, "tollgate.journal-sync-interval", "100ms");
    journalRetentionDays = retentionDays(s.get("tollgate.journal-retention"));
    String low = or(s, "tollgate.low-balance", "10%");
    lowBalanceIsPercent = low.endsWith("%");
    lowBalance = threshold("tollgate.low-balance", low, "the budget", "10%");
    creditsPerUsd = positive(s, "tollgate.credits-per-usd", "1");
    String pricing = s.get("tollgate.pricing-file");
    pricingFile = pricing == null || pricing.isEmpty() ? null : path("tollgate.pricing-file", pricing);
    String fallback = s.get("tollgate.fallback-price");
    fallbackPrice = fallback == null || fallback.trim().isEmpty() ? null : fallback.trim();
    endpoints = endpoints(s);
    disabledInstrumentations = disabledInstrumentations(s);
    logLevel = oneOf(s, "tollgate.log-level", "info", "debug", "info", "warn", "error", "off");
    alert = AlertSettings.of(s);
    attributeRules = attributeRules(s);
    metrics = MetricsSettings.of(s);
  }

  /** Parses and validates every key. @throws ConfigException on the first invalid value */
  public static TollgateConfig load(ConfigSource source) {
    return new TollgateConfig(source);
  }

  /**
   * The settings {@code s} holds that {@link #load} did not read, one line each: a misspelt key
   * ({@code tollgate.budjet}) must not silently leave an application uncapped.
   */
  public static List<String> unknownKeys(ConfigSource s) {
    List<String> lines = new ArrayList<>();
    s.unknownKeys().forEach((key, origin) -> {
      String closest = s.closestKnown(key);
      lines.add("unknown setting " + key + " (" + origin + ") is ignored" + (closest == null ? "" : "; did you mean " + closest + "?"));
    });
    return lines;
  }

  private static String or(ConfigSource s, String key, String def) {
    String v = s.get(key);
    return v == null || v.isEmpty() ? def : v;
  }

  /** The most credits the wallet counts ({@code Money.format(Long.MAX_VALUE)}: a literal, as BigDecimal takes ~60 ms cold on JDK 25 to print it). */
  static final String MAX_CREDITS = "9223372036.854775807";

  private static boolean bool(ConfigSource s, String key, boolean def) {
    String given = or(s, key, Boolean.toString(def));
    String v = given.toLowerCase(Locale.ROOT);
    if (!v.equals("true") && !v.equals("false")) {
      throw new ConfigException(key, given, "true or false");
    }
    return Boolean.parseBoolean(v);
  }

  private static String oneOf(ConfigSource s, String key, String def, String... allowed) {
    String given = or(s, key, def);
    String v = given.toLowerCase(Locale.ROOT);
    if (!Arrays.asList(allowed).contains(v)) {
      throw new ConfigException(key, given, "one of " + String.join(", ", allowed)); // the value as the user wrote it
    }
    return v;
  }

  private static @Nullable BigDecimal credits(ConfigSource s, String key, @Nullable String def) {
    String v = or(s, key, def == null ? "" : def);
    if (v.isEmpty()) {
      return null;
    }
    try {
      BigDecimal d = new BigDecimal(v);
      if (d.signum() < 0 || !isCredits(d)) {
        throw new ConfigException(key, v, "a number of credits, 0 or more, at most " + MAX_CREDITS);
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, v, "a number of credits, 0 or more (for example 25 or 0.50)"
          + (key.equals("tollgate.budget") ? ", or LIMIT/PERIOD for a budget per period (for example 5/day)" : ""));
    }
  }

  private static Path path(String key, String v) {
    try {
      return Path.of(v);
    } catch (InvalidPathException e) {
      throw new ConfigException(key, v.replace('\0', '?'), "a file system path (" + e.getReason() + ")");
    }
  }

  /** Whether {@code d} fits the wallet's nano-credit arithmetic (about 9.2 billion credits). */
  private static boolean isCredits(BigDecimal d) {
    try {
      Money.toNanos(d);
      return true;
    } catch (ArithmeticException e) {
      return false;
    }
  }

  private static BigDecimal positive(ConfigSource s, String key, String def) {
    String v = or(s, key, def);
    try {
      BigDecimal d = new BigDecimal(v);
      if (d.signum() > 0) {
        return d;
      }
    } catch (NumberFormatException e) {
      // reported below, with what is allowed for this key
    }
    throw new ConfigException(key, v, "a number greater than 0");
  }

  private static int count(ConfigSource s, String key, String def, int max) {
    String v = or(s, key, def);
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= 0 && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new ConfigException(key, v, "a whole number from 0 to " + max);
  }

  static Duration parseDuration(String key, String v) {
    Matcher m = DURATION.matcher(v.trim());
    try {
      long n = m.matches() ? Long.parseLong(m.group(1)) : 0;
      if (n > 0) {
        return durationOf(n, m.group(2));
      }
    } catch (NumberFormatException | ArithmeticException e) {
      // too large for a Duration: reported below like any other invalid value
    }
    throw new ConfigException(key, v, "a positive duration such as 250ms, 30s, 5m or 1h");
  }

  /** The shortest retention: a month in any time zone, so every budget period's records stay in daily files. */
  static final int MIN_RETENTION_DAYS = 35;

  static int retentionDays(@Nullable String v) {
    if (v == null || v.trim().isEmpty() || v.trim().equalsIgnoreCase("forever")) {
      return 0;
    }
    Matcher m = Pattern.compile("(\\d{1,6})d").matcher(v.trim());
    if (m.matches() && Integer.parseInt(m.group(1)) >= MIN_RETENTION_DAYS) {
      return Integer.parseInt(m.group(1));
    }
    throw new ConfigException("tollgate.journal-retention", v,
        "a number of days, at least " + MIN_RETENTION_DAYS + "d (e.g. 90d), or forever");
  }

  private static Duration durationOf(long n, String unit) {
    switch (unit) {
      case "ms":
        return Duration.ofMillis(n);
      case "s":
        return Duration.ofSeconds(n);
      case "m":
        return Duration.ofMinutes(n);
      default:
        return Duration.ofHours(n);
    }
  }

  private static Duration duration(ConfigSource s, String key, String def) {
    return parseDuration(key, or(s, key, def));
  }

  private static BigDecimal threshold(String key, String v, String ofWhat, String example) {
    String number = v.endsWith("%") ? v.substring(0, v.length() - 1) : v;
    try {
      BigDecimal d = new BigDecimal(number.trim());
      if (d.signum() < 0 || (v.endsWith("%") ? d.compareTo(BigDecimal.valueOf(100)) > 0 : !isCredits(d))) {
        throw new NumberFormatException();
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ConfigException(key, v, "a percentage of " + ofWhat + " (0% to 100%, e.g. " + example + ") or a number of credits");
    }
  }

  /** Names for {@code tollgate.instrumentation.<name>.enabled}, one per HTTP client: those of {@link Instrumentations#ALL}. */
  public static final List<String> INSTRUMENTATIONS = Instrumentations.clientNames();

  private static Set<String> disabledInstrumentations(ConfigSource s) {
    Set<String> disabled = new TreeSet<>();
    for (Map.Entry<String, String> e : s.withPrefix("tollgate.instrumentation.").entrySet()) {
      String rest = e.getKey().substring("tollgate.instrumentation.".length());
      String name = rest.endsWith(".enabled") ? rest.substring(0, rest.length() - ".enabled".length()) : "";
      if (!INSTRUMENTATIONS.contains(name)) {
        throw new ConfigException(e.getKey(), e.getValue(),
            "keys are tollgate.instrumentation.<name>.enabled with <name> one of " + String.join(", ", INSTRUMENTATIONS));
      }
      if (!bool(s, e.getKey(), true)) {
        disabled.add(name);
      }
    }
    return disabled;
  }

  private static dev.tollgate.agent.attribution.AttributeRules attributeRules(ConfigSource s) {
    String prefix = "tollgate.attribute.";
    Map<String, String> byName = new LinkedHashMap<>();
    s.withPrefix(prefix).forEach((k, v) -> byName.put(k.substring(prefix.length()), v));
    try {
      return dev.tollgate.agent.attribution.AttributeRules.parse(byName);
    } catch (dev.tollgate.agent.attribution.AttributeRules.InvalidRule e) {
      throw new ConfigException(prefix + e.name, e.spec, e.getMessage());
    }
  }

  private static Map<String, EndpointSetting> endpoints(ConfigSource s) {
    Map<String, String> raw = s.withPrefix("tollgate.endpoint.");
    Map<String, EndpointSetting> result = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : raw.entrySet()) {
      String rest = e.getKey().substring("tollgate.endpoint.".length());
      int dot = rest.lastIndexOf('.');
      String attr = dot < 0 ? "" : rest.substring(dot + 1);
      if (dot <= 0 || !(attr.equals("url") || attr.equals("format"))) {
        throw new ConfigException(e.getKey(), e.getValue(),
            "endpoint keys are tollgate.endpoint.<name>.url and tollgate.endpoint.<name>.format");
      }
      String name = rest.substring(0, dot);
      String url = s.get("tollgate.endpoint." + name + ".url");
      String format = s.get("tollgate.endpoint." + name + ".format");
      if (url == null || !(url.startsWith("http://") || url.startsWith("https://")) || url.indexOf('?') >= 0) {
        // The value is echoed without its query or user info: that is where keys hide in URLs.
        throw new ConfigException("tollgate.endpoint." + name + ".url", url == null ? "(missing)" : EndpointText.of(url)
            + (url.indexOf('?') >= 0 ? "?…" : ""), "an http:// or https:// URL prefix without a query, e.g. http://127.0.0.1:8080/v1");
      }
      String f = format == null ? "openai" : format.toLowerCase(Locale.ROOT);
      if (Formats.named(f) == null) {
        throw new ConfigException("tollgate.endpoint." + name + ".format", format, "one of " + String.join(", ", Formats.names()));
      }
      result.put(name, new EndpointSetting(name, url, f));
    }
    return result;
  }
}
