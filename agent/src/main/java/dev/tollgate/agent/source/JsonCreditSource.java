package dev.tollgate.agent.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.agent.endpoint.EndpointText;
import dev.tollgate.agent.wallet.BalanceSnapshot;
import dev.tollgate.agent.wallet.CreditSource;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * A balance read from any JSON endpoint: the number at a JSON pointer, in credits, and optionally
 * the seeds' bucket array at another pointer. Serves {@code tollgate.wallet=http}, and the balance of
 * Synap's wallet (seed 000), whose {@code get_balance} answers {@code balance_credits} and {@code buckets}.
 */
public final class JsonCreditSource implements CreditSource {
  static final Map<Integer, String> MESSAGES = Map.of(401, "invalid key", 403, "this key cannot read the balance");

  private final String name;
  private final String url;
  private final Map<String, String> headers;
  private final String balancePointer;
  private final @Nullable String bucketsPointer;
  private final SourceHttp http;
  private final LongSupplier spent;
  private final Clock clock;

  /**
   * @param headers sent with every read (the credential among them: never logged)
   * @param bucketsPointer where the bucket array is, or null for a balance without buckets
   */
  public JsonCreditSource(String name, String url, Map<String, String> headers, String balancePointer,
      @Nullable String bucketsPointer, SourceHttp http, LongSupplier spent, Clock clock) {
    this.name = name;
    this.url = url;
    this.headers = Map.copyOf(headers);
    this.balancePointer = balancePointer;
    this.bucketsPointer = bucketsPointer;
    this.http = http;
    this.spent = spent;
    this.clock = clock;
  }

  @Override
  public BalanceSnapshot fetch() throws SourceException {
    long watermark = spent.getAsLong();
    JsonNode body = http.getJson(name, url, headers, MESSAGES);
    String where = name + " credit API " + EndpointText.of(url); // as the client names it when the read fails
    long balance = JsonFields.nanos(JsonFields.decimal(body, balancePointer, where), BigDecimal.ONE, where);
    List<BalanceSnapshot.Bucket> buckets = bucketsPointer == null || body.at(bucketsPointer).isMissingNode()
        ? List.of()
        : JsonFields.buckets(body, bucketsPointer, BigDecimal.ONE, where);
    // A source's own low-balance flag (Synap's warning_low) is honoured where the body has one.
    boolean warningLow = body.path("warning_low").asBoolean(false);
    return new BalanceSnapshot(balance, watermark, buckets, clock.instant(), null, warningLow);
  }

  @Override
  public String name() {
    return name;
  }
}
