package dev.tollgate.agent.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.agent.wallet.BalanceSnapshot;
import dev.tollgate.agent.wallet.CreditSource;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Swarms' credits (seed 002): {@code GET {url}/v1/account/credits} with {@code x-api-key} answers
 * {@code credit}, {@code free_credit}, {@code referral_credits} and {@code total_credits} in USD.
 * The buckets are listed in the seed's usage order, free → referral → regular; the balance is
 * {@code total_credits}, or the buckets' sum when the total is absent.
 */
public final class SwarmsCreditSource implements CreditSource {
  public static final String DEFAULT_URL = "https://api.swarms.world";
  static final Map<Integer, String> MESSAGES = Map.of(401, "invalid key", 403, "this key cannot read credits");
  /** JSON field and bucket source type, in the order Swarms draws credits. */
  private static final String[][] BUCKETS = {{"free_credit", "free"}, {"referral_credits", "referral"}, {"credit", "paid"}};

  private final String url;
  private final String key;
  private final BigDecimal creditsPerUsd;
  private final SourceHttp http;
  private final LongSupplier spent;
  private final Clock clock;

  public SwarmsCreditSource(String url, String key, BigDecimal creditsPerUsd, SourceHttp http, LongSupplier spent, Clock clock) {
    this.url = Urls.join(url, "/v1/account/credits");
    this.key = key;
    this.creditsPerUsd = creditsPerUsd;
    this.http = http;
    this.spent = spent;
    this.clock = clock;
  }

  @Override
  public BalanceSnapshot fetch() throws SourceException {
    long watermark = spent.getAsLong();
    JsonNode body = http.getJson(name(), url, Map.of("x-api-key", key), MESSAGES);
    String where = name() + " credit API";
    List<BalanceSnapshot.Bucket> buckets = new ArrayList<>();
    long sum = 0;
    for (String[] b : BUCKETS) {
      BigDecimal amount = JsonFields.optionalDecimal(body, "/" + b[0], where);
      long nanos = amount == null ? 0 : JsonFields.nanos(amount, creditsPerUsd, where);
      buckets.add(new BalanceSnapshot.Bucket(b[1], nanos, null));
      sum += nanos;
    }
    BigDecimal total = JsonFields.optionalDecimal(body, "/total_credits", where);
    if (total == null && body.at("/credit").isMissingNode()) {
      throw new SourceException(where + " answered HTTP 200 without total_credits or credit", false, -1);
    }
    long balance = total == null ? sum : JsonFields.nanos(total, creditsPerUsd, where);
    return new BalanceSnapshot(balance, watermark, buckets, clock.instant(), null);
  }

  /** The fall of the sum of the buckets (free + referral + regular): Swarms has no usage counter. */
  @Override
  public long spentBetween(BalanceSnapshot from, BalanceSnapshot to) {
    return sum(from) - sum(to);
  }

  private static long sum(BalanceSnapshot s) {
    long sum = 0;
    for (BalanceSnapshot.Bucket b : s.buckets) {
      sum += b.balanceNanos;
    }
    return sum;
  }

  @Override
  public String name() {
    return "swarms";
  }
}
