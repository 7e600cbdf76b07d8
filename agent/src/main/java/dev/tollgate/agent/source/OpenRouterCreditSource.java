package dev.tollgate.agent.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.agent.wallet.BalanceSnapshot;
import dev.tollgate.agent.wallet.CreditSource;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * OpenRouter's credits (seeds 003/004): {@code GET {url}/credits} with a management key as Bearer
 * token answers {@code {"data":{"total_credits","total_usage"}}} in USD; the balance is {@code
 * total_credits − total_usage}, converted with {@code tollgate.credits-per-usd}. {@code
 * total_usage} is kept for reconciliation.
 */
public final class OpenRouterCreditSource implements CreditSource {
  /** OpenRouter's API base; {@code /credits} is appended. */
  public static final String DEFAULT_URL = "https://openrouter.ai/api/v1";
  static final Map<Integer, String> MESSAGES = Map.of(
      401, "invalid key",
      403, "this key cannot read credits: use a management key");

  private final String url;
  private final String key;
  private final BigDecimal creditsPerUsd;
  private final SourceHttp http;
  private final LongSupplier spent;
  private final Clock clock;

  public OpenRouterCreditSource(String url, String key, BigDecimal creditsPerUsd, SourceHttp http, LongSupplier spent, Clock clock) {
    this.url = Urls.join(url, "/credits");
    this.key = key;
    this.creditsPerUsd = creditsPerUsd;
    this.http = http;
    this.spent = spent;
    this.clock = clock;
  }

  @Override
  public BalanceSnapshot fetch() throws SourceException {
    long watermark = spent.getAsLong(); // before the read: spend settled meanwhile is subtracted, never forgotten
    JsonNode body = http.getJson(name(), url, Map.of("Authorization", "Bearer " + key), MESSAGES);
    String where = name() + " credit API";
    long total = JsonFields.nanos(JsonFields.decimal(body, "/data/total_credits", where), creditsPerUsd, where);
    long usage = JsonFields.nanos(JsonFields.decimal(body, "/data/total_usage", where), creditsPerUsd, where);
    return new BalanceSnapshot(total - usage, watermark, List.of(), clock.instant(), usage);
  }

  /** The rise of {@code total_usage}: top-ups do not move it, so it is exactly what was billed. */
  @Override
  public long spentBetween(BalanceSnapshot from, BalanceSnapshot to) {
    if (from.remoteUsageNanos == null || to.remoteUsageNanos == null) {
      return from.balanceNanos - to.balanceNanos;
    }
    return to.remoteUsageNanos - from.remoteUsageNanos;
  }

  /** Its usage counter is spend, top-ups aside. */
  @Override
  public boolean balanceOnly() {
    return false;
  }

  @Override
  public String name() {
    return "openrouter";
  }
}
