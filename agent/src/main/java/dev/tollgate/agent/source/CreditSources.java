package dev.tollgate.agent.source;

import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.config.TollgateConfig.SourceSetting;
import dev.tollgate.agent.wallet.CreditSource;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/** Builds the remote credit source that {@code tollgate.wallet} names, from its validated settings. */
public final class CreditSources {
  private CreditSources() {}

  /**
   * @param spent the wallet's spend total, read as the watermark before each remote read
   * @throws IllegalArgumentException for {@code tollgate.wallet=local}, which has no remote source
   */
  public static CreditSource remote(TollgateConfig config, LongSupplier spent, Clock clock) {
    return remote(config, spent, clock, config.sourceRetries);
  }

  /** A source option: the configuration gives each of a source's options its default. */
  private static String option(SourceSetting s, String name) {
    return Objects.requireNonNull(s.option(name), name);
  }

  /** The API key, which the configuration requires for every source but {@code http}. */
  private static String key(SourceSetting s) {
    return Objects.requireNonNull(s.key, "tollgate." + s.name + ".key");
  }

  /** Like {@link #remote(TollgateConfig, LongSupplier, Clock)}, retrying a failed read {@code retries} times instead of {@code tollgate.source-retries}. */
  public static CreditSource remote(TollgateConfig config, LongSupplier spent, Clock clock, int retries) {
    SourceSetting s = config.source;
    if (s == null) {
      throw new IllegalArgumentException("tollgate.wallet=" + config.wallet + " has no remote source");
    }
    SourceHttp http = new SourceHttp(config.sourceTimeout, retries);
    switch (s.name) {
      case "openrouter":
        return new OpenRouterCreditSource(s.url, key(s), config.creditsPerUsd, http, spent, clock);
      case "swarms":
        return new SwarmsCreditSource(s.url, key(s), config.creditsPerUsd, http, spent, clock);
      case "synap":
        return new SynapCreditSource(s.url, option(s, "balance-path"), option(s, "ledger-path"), key(s), http, spent, clock);
      default:
        String buckets = option(s, "buckets-pointer");
        Map<String, String> headers = s.key == null ? Map.of() : Map.of(option(s, "header"), s.key);
        return new JsonCreditSource("http", s.url, headers, option(s, "balance-pointer"), buckets.isEmpty() ? null : buckets, http, spent,
            clock);
    }
  }
}
