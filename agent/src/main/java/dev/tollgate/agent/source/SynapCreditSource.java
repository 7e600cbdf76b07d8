package dev.tollgate.agent.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.agent.wallet.BalanceSnapshot;
import dev.tollgate.agent.wallet.CreditSource;
import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Synap's wallet (seeds 000/001): the balance from {@code GET {url}{balance-path}} ({@code
 * balance_credits} and {@code buckets}), and for reconciliation the debits of its ledger, {@code GET
 * {url}{ledger-path}?entry_type=debit&from_time&to_time&limit&offset}, paged through until {@code
 * total} entries are read. The key goes as Bearer token.
 */
public final class SynapCreditSource implements CreditSource {
  /** The seed's default page size. */
  static final int PAGE = 100;
  /** A ledger that never ends (a server ignoring {@code offset}) stops here with an error. */
  static final int MAX_PAGES = 10_000;

  private final JsonCreditSource balance;
  private final String ledgerUrl;
  private final Map<String, String> headers;
  private final SourceHttp http;

  public SynapCreditSource(String url, String balancePath, String ledgerPath, String key, SourceHttp http, LongSupplier spent, Clock clock) {
    this.headers = Map.of("Authorization", "Bearer " + key);
    this.balance = new JsonCreditSource("synap", Urls.join(url, balancePath), headers, "/balance_credits", "/buckets", http, spent, clock);
    this.ledgerUrl = Urls.join(url, ledgerPath);
    this.http = http;
  }

  @Override
  public BalanceSnapshot fetch() throws SourceException {
    return balance.fetch();
  }

  /**
   * The sum of the debits created in {@code (from.fetchedAt, to.fetchedAt]}. The ledger's bounds are
   * both inclusive, so an entry exactly at the window's start is left to the previous window.
   */
  @Override
  public long spentBetween(BalanceSnapshot from, BalanceSnapshot to) throws SourceException {
    if (from.fetchedAt == null || to.fetchedAt == null) {
      return from.balanceNanos - to.balanceNanos;
    }
    String where = name() + " ledger";
    long spent = 0;
    long total = -1;
    for (int page = 0, offset = 0; total < 0 || offset < total; page++) {
      if (page >= MAX_PAGES) {
        throw new SourceException(where + " did not end after " + MAX_PAGES + " pages", false, -1);
      }
      JsonNode body = http.getJson(name(), pageUrl(from.fetchedAt, to.fetchedAt, offset), headers, JsonCreditSource.MESSAGES);
      total = JsonFields.decimal(body, "/total", where).longValue();
      JsonNode entries = body.path("entries");
      if (!entries.isArray() || (entries.size() == 0 && offset < total)) {
        throw new SourceException(where + " answered a page without entries at offset " + offset + " of " + total, false, -1);
      }
      for (JsonNode e : entries) {
        spent += debit(e, from.fetchedAt, where);
      }
      offset += entries.size();
    }
    return spent;
  }

  private static long debit(JsonNode entry, Instant after, String where) throws SourceException {
    Instant created = JsonFields.instant(entry.get("created_at"), where);
    if (created == null) {
      throw new SourceException(where + " answered an entry without created_at", false, -1);
    }
    if (!"debit".equals(entry.path("entry_type").asText()) || !created.isAfter(after)) {
      return 0;
    }
    BigDecimal delta = JsonFields.decimal(entry, "/delta", where);
    return JsonFields.nanos(delta.negate(), BigDecimal.ONE, where); // debits are negative deltas
  }

  private String pageUrl(Instant from, Instant to, int offset) {
    return ledgerUrl + "?entry_type=debit&from_time=" + encode(from) + "&to_time=" + encode(to) + "&limit=" + PAGE + "&offset=" + offset;
  }

  private static String encode(Instant t) {
    return URLEncoder.encode(t.toString(), StandardCharsets.UTF_8);
  }

  /** Its ledger is spend, top-ups aside. */
  @Override
  public boolean balanceOnly() {
    return false;
  }

  @Override
  public String name() {
    return "synap";
  }
}
