package dev.tollgate.agent.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.agent.wallet.BalanceSnapshot;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okhttp3.mockwebserver.SocketPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each source against a loopback fake of its API; waits between retries are recorded, never slept. */
class CreditSourcesTest {
  private static final String KEY = "sk-or-v1-secret-management-key";
  private static final long CREDIT = 1_000_000_000L;
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);

  static {
    java.util.logging.Logger.getLogger(MockWebServer.class.getName()).setLevel(java.util.logging.Level.WARNING);
  }

  private final MockWebServer server = new MockWebServer();
  private final List<Long> waits = new ArrayList<>();
  private final AtomicLong spent = new AtomicLong(7);

  @BeforeEach
  void start() throws IOException {
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  private SourceHttp http(int retries) {
    return new SourceHttp(Duration.ofMillis(300), retries, waits::add);
  }

  private OpenRouterCreditSource openRouter(int retries) {
    return new OpenRouterCreditSource(server.url("/api/v1").toString(), KEY, new BigDecimal("100"), http(retries), spent::get, CLOCK);
  }

  private static MockResponse json(String body) {
    return new MockResponse().setHeader("Content-Type", "application/json").setBody(body);
  }

  @Test
  void keyThatIsNotValidHttp_failsWithoutQuotingIt() {
    String badKey = "sk-or-v1-secret\u00a0tail"; // a non-breaking space pasted into the key
    OpenRouterCreditSource source = new OpenRouterCreditSource(server.url("/api/v1").toString(), badKey, new BigDecimal("100"), http(0),
        spent::get, CLOCK);

    assertThatThrownBy(source::fetch).hasMessageContaining("not valid HTTP").satisfies(e -> {
      assertThat(e.getMessage()).doesNotContain("secret");
      assertThat(String.valueOf(e.getCause())).doesNotContain("secret");
    });
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void openRouter_200_balanceIsTotalCreditsMinusUsageInCredits() throws Exception {
    server.enqueue(json("{\"data\":{\"total_credits\":12.5,\"total_usage\":2.125}}"));

    BalanceSnapshot s = openRouter(0).fetch();

    assertThat(s.balanceNanos).isEqualTo(1037_500_000_000L); // (12.5 − 2.125) USD × 100 credits/USD, exactly
    assertThat(s.remoteUsageNanos).isEqualTo(212_500_000_000L);
    assertThat(s.spentWatermarkNanos).isEqualTo(7);
    assertThat(s.fetchedAt).isEqualTo(CLOCK.instant());
    RecordedRequest r = server.takeRequest();
    assertThat(r.getMethod()).isEqualTo("GET");
    assertThat(r.getPath()).isEqualTo("/api/v1/credits");
    assertThat(r.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
  }

  @Test
  void openRouter_401_saysInvalidKeyWithoutTheKey() {
    server.enqueue(new MockResponse().setResponseCode(401).setBody("{\"error\":{\"message\":\"No auth credentials found\"}}"));

    assertThatThrownBy(() -> openRouter(2).fetch()).isInstanceOf(SourceException.class)
        .hasMessageContaining("HTTP 401: invalid key").hasMessageNotContaining(KEY);
    assertThat(server.getRequestCount()).isEqualTo(1); // a wrong key is not retried
  }

  @Test
  void openRouter_403_saysUseAManagementKey() {
    server.enqueue(new MockResponse().setResponseCode(403));

    assertThatThrownBy(() -> openRouter(2).fetch())
        .hasMessageContaining("HTTP 403: this key cannot read credits: use a management key").hasMessageNotContaining(KEY);
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void openRouter_500ThenOk_retriesWithBackoff() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(500));
    server.enqueue(new MockResponse().setResponseCode(503));
    server.enqueue(json("{\"data\":{\"total_credits\":1,\"total_usage\":0}}"));

    assertThat(openRouter(2).fetch().balanceNanos).isEqualTo(100 * CREDIT);
    assertThat(waits).containsExactly(250L, 500L);
  }

  @Test
  void openRouter_500EveryTime_failsAfterLastRetry() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(new MockResponse().setResponseCode(500).setBody("boom " + KEY));
    }

    assertThatThrownBy(() -> openRouter(2).fetch()).hasMessageContaining("openrouter credit API http://")
        .hasMessageContaining("/api/v1/credits answered HTTP 500").hasMessageNotContaining(KEY);
    assertThat(server.getRequestCount()).isEqualTo(3);
  }

  @Test
  void openRouter_429WithRetryAfter_waitsWhatTheServerSays() throws Exception {
    server.enqueue(new MockResponse().setResponseCode(429).setHeader("Retry-After", "3"));
    server.enqueue(json("{\"data\":{\"total_credits\":2,\"total_usage\":1}}"));

    assertThat(openRouter(1).fetch().balanceNanos).isEqualTo(100 * CREDIT);
    assertThat(waits).containsExactly(3000L);
  }

  @Test
  void openRouter_noResponse_timesOutAndRetries() {
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));
    server.enqueue(new MockResponse().setSocketPolicy(SocketPolicy.NO_RESPONSE));

    assertThatThrownBy(() -> openRouter(1).fetch()).hasMessageContaining("unreachable").hasMessageNotContaining(KEY);
    assertThat(server.getRequestCount()).isEqualTo(2);
  }

  @Test
  void openRouter_slowBodyWithinTimeout_isRead() throws Exception {
    server.enqueue(json("{\"data\":{\"total_credits\":3,\"total_usage\":1}}").throttleBody(8, 10, TimeUnit.MILLISECONDS));

    assertThat(openRouter(0).fetch().balanceNanos).isEqualTo(200 * CREDIT);
  }

  @Test
  void openRouter_garbageJson_failsWithoutRetry() {
    server.enqueue(json("<html>Bad gateway</html>"));

    assertThatThrownBy(() -> openRouter(2).fetch()).hasMessageContaining("answered HTTP 200 with a body that is not JSON");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void openRouter_missingField_namesIt() {
    server.enqueue(json("{\"data\":{\"total_credits\":\"many\"}}"));

    assertThatThrownBy(() -> openRouter(0).fetch()).hasMessageContaining("without a number at /data/total_credits");
  }

  @Test
  void openRouter_redirect_isNotFollowedSoTheKeyStaysHome() {
    server.enqueue(new MockResponse().setResponseCode(302).setHeader("Location", "http://example.invalid/steal"));

    assertThatThrownBy(() -> openRouter(0).fetch()).hasMessageContaining("HTTP 302");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void swarms_200_bucketsInUsageOrderFreeReferralPaid() throws Exception {
    server.enqueue(json("{\"credit\":50.00,\"free_credit\":20.00,\"referral_credits\":5.00,\"total_credits\":75.00}"));
    SwarmsCreditSource swarms = new SwarmsCreditSource(server.url("/").toString(), KEY, BigDecimal.ONE, http(0), spent::get, CLOCK);

    BalanceSnapshot s = swarms.fetch();

    assertThat(s.balanceNanos).isEqualTo(75 * CREDIT);
    assertThat(s.buckets).extracting(b -> b.sourceType).containsExactly("free", "referral", "paid");
    assertThat(s.buckets).extracting(b -> b.balanceNanos).containsExactly(20 * CREDIT, 5 * CREDIT, 50 * CREDIT);
    RecordedRequest r = server.takeRequest();
    assertThat(r.getPath()).isEqualTo("/v1/account/credits");
    assertThat(r.getHeader("x-api-key")).isEqualTo(KEY);
    assertThat(r.getHeader("Authorization")).isNull();
  }

  @Test
  void swarms_401_saysInvalidKey() {
    server.enqueue(new MockResponse().setResponseCode(401));
    SwarmsCreditSource swarms = new SwarmsCreditSource(server.url("/").toString(), KEY, BigDecimal.ONE, http(0), spent::get, CLOCK);

    assertThatThrownBy(swarms::fetch).hasMessageContaining("swarms credit API").hasMessageContaining("HTTP 401: invalid key");
  }

  @Test
  void synap_200_balanceAndBucketsWithExpiry() throws Exception {
    server.enqueue(json("{\"client_id\":\"c1\",\"balance_credits\":120.5,\"warning_low\":false,\"buckets\":["
        + "{\"source_type\":\"promo\",\"balance\":20.5,\"expires_at\":\"2026-02-01T00:00:00+00:00\"},"
        + "{\"source_type\":\"paid\",\"balance\":100,\"expires_at\":null}]}"));
    SynapCreditSource synap = new SynapCreditSource(server.url("/").toString(), "/v1/credits/balance", "/v1/credits/ledger", KEY, http(0),
        spent::get, CLOCK);

    BalanceSnapshot s = synap.fetch();

    assertThat(s.balanceNanos).isEqualTo(120_500_000_000L);
    assertThat(s.buckets).extracting(b -> b.sourceType).containsExactly("promo", "paid");
    assertThat(s.buckets.get(0).expiresAt).isEqualTo(Instant.parse("2026-02-01T00:00:00Z"));
    assertThat(s.buckets.get(1).expiresAt).isNull();
    assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer " + KEY);
  }

  @Test
  void synap_bucketsInSpendOrder_andItsOwnWarningLowHonoured() throws Exception {
    // Listed paid first, as an API may: drawn soonest-expiring first, then redeem before paid.
    server.enqueue(json("{\"balance_credits\":3,\"warning_low\":true,\"buckets\":["
        + "{\"source_type\":\"paid\",\"balance\":1,\"expires_at\":null},"
        + "{\"source_type\":\"redeem\",\"balance\":1,\"expires_at\":null},"
        + "{\"source_type\":\"paid\",\"balance\":1,\"expires_at\":\"2026-03-01T00:00:00Z\"}]}"));
    SynapCreditSource synap = new SynapCreditSource(server.url("/").toString(), "/b", "/l", KEY, http(0), spent::get, CLOCK);

    BalanceSnapshot s = synap.fetch();

    assertThat(s.buckets).extracting(b -> b.sourceType + "@" + b.expiresAt).containsExactly("paid@2026-03-01T00:00:00Z", "redeem@null",
        "paid@null");
    assertThat(s.remoteWarningLow).isTrue();
  }

  @Test
  void synap_badExpiry_namesTheField() {
    server.enqueue(json("{\"balance_credits\":1,\"buckets\":[{\"source_type\":\"paid\",\"balance\":1,\"expires_at\":\"soon\"}]}"));
    SynapCreditSource synap = new SynapCreditSource(server.url("/").toString(), "/b", "/l", KEY, http(0), spent::get, CLOCK);

    assertThatThrownBy(synap::fetch).hasMessageContaining("expires_at");
  }

  private static String entry(String type, String delta, String at) {
    return "{\"ledger_id\":\"l-" + at + "\",\"entry_type\":\"" + type + "\",\"delta\":" + delta
        + ",\"metric_type\":\"llm_input_tokens\",\"category\":\"retrieval\",\"created_at\":\"" + at + "\"}";
  }

  private static String page(int total, int offset, String... entries) {
    return "{\"entries\":[" + String.join(",", entries) + "],\"total\":" + total + ",\"limit\":100,\"offset\":" + offset + "}";
  }

  @Test
  void synap_spentBetween_pagesThroughTheWholeLedgerSummingDebitsInTheWindow() throws Exception {
    Instant from = Instant.parse("2026-01-02T03:00:00Z");
    Instant to = Instant.parse("2026-01-02T03:05:00Z");
    server.enqueue(json(page(5, 0, entry("debit", "-1.5", "2026-01-02T03:00:00Z"), entry("debit", "-0.25", "2026-01-02T03:01:00+00:00"))));
    server.enqueue(json(page(5, 2, entry("credit", "50", "2026-01-02T03:02:00Z"), entry("debit", "-2.000000001", "2026-01-02T03:03:00Z"))));
    server.enqueue(json(page(5, 4, entry("debit", "-0.75", "2026-01-02T03:05:00Z"))));
    SynapCreditSource synap = new SynapCreditSource(server.url("/api").toString(), "/b", "/v1/credits/ledger", KEY, http(0), spent::get,
        CLOCK);

    long spentNanos = synap.spentBetween(new BalanceSnapshot(0, 0, List.of(), from, null), new BalanceSnapshot(0, 0, List.of(), to, null));

    // 0.25 + 2.000000001 + 0.75: the credit is not spend, the debit at the window's start belongs to the previous window
    assertThat(spentNanos).isEqualTo(3_000_000_001L);
    assertThat(server.getRequestCount()).isEqualTo(3);
    RecordedRequest first = server.takeRequest();
    assertThat(first.getRequestUrl().encodedPath()).isEqualTo("/api/v1/credits/ledger");
    assertThat(first.getRequestUrl().queryParameter("entry_type")).isEqualTo("debit");
    assertThat(first.getRequestUrl().queryParameter("from_time")).isEqualTo("2026-01-02T03:00:00Z");
    assertThat(first.getRequestUrl().queryParameter("to_time")).isEqualTo("2026-01-02T03:05:00Z");
    assertThat(first.getRequestUrl().queryParameter("limit")).isEqualTo("100");
    assertThat(first.getRequestUrl().queryParameter("offset")).isEqualTo("0");
    assertThat(first.getHeader("Authorization")).isEqualTo("Bearer " + KEY);
    assertThat(server.takeRequest().getRequestUrl().queryParameter("offset")).isEqualTo("2");
    assertThat(server.takeRequest().getRequestUrl().queryParameter("offset")).isEqualTo("4");
  }

  @Test
  void synap_spentBetween_ledgerEndsBeforeTotal_failsInsteadOfUndercounting() {
    server.enqueue(json(page(3, 0, entry("debit", "-1", "2026-01-02T03:01:00Z"))));
    server.enqueue(json(page(3, 1)));
    SynapCreditSource synap = new SynapCreditSource(server.url("/").toString(), "/b", "/l", KEY, http(0), spent::get, CLOCK);
    BalanceSnapshot from = new BalanceSnapshot(0, 0, List.of(), Instant.parse("2026-01-02T03:00:00Z"), null);
    BalanceSnapshot to = new BalanceSnapshot(0, 0, List.of(), Instant.parse("2026-01-02T03:05:00Z"), null);

    assertThatThrownBy(() -> synap.spentBetween(from, to)).hasMessageContaining("synap ledger").hasMessageContaining("offset 1 of 3")
        .hasMessageNotContaining(KEY);
  }

  @Test
  void openRouter_spentBetween_isTheRiseOfTotalUsageEvenAcrossATopUp() throws Exception {
    server.enqueue(json("{\"data\":{\"total_credits\":10,\"total_usage\":1}}"));
    server.enqueue(json("{\"data\":{\"total_credits\":20,\"total_usage\":1.5}}"));
    OpenRouterCreditSource source = openRouter(0);

    assertThat(source.spentBetween(source.fetch(), source.fetch())).isEqualTo(50 * CREDIT); // 0.5 USD × 100
  }

  @Test
  void swarms_spentBetween_isTheFallOfTheBucketSum() throws Exception {
    server.enqueue(json("{\"credit\":5,\"free_credit\":2,\"referral_credits\":1,\"total_credits\":8}"));
    server.enqueue(json("{\"credit\":5,\"free_credit\":0.5,\"referral_credits\":1,\"total_credits\":6.5}"));
    SwarmsCreditSource source = new SwarmsCreditSource(server.url("/").toString(), KEY, BigDecimal.ONE, http(0), spent::get, CLOCK);

    assertThat(source.spentBetween(source.fetch(), source.fetch())).isEqualTo(1_500_000_000L);
  }

  @Test
  void http_pointers_readNestedBalance() throws Exception {
    server.enqueue(json("{\"wallet\":{\"left\":4.000000001}}"));
    JsonCreditSource custom = new JsonCreditSource("http", server.url("/me").toString(), Map.of("X-Token", KEY),
        "/wallet/left", null, http(0), spent::get, CLOCK);

    assertThat(custom.fetch().balanceNanos).isEqualTo(4_000_000_001L);
    assertThat(server.takeRequest().getHeader("X-Token")).isEqualTo(KEY);
  }

  @Test
  void http_noNumberAtThePointer_namesTheUrlAndThePointer_neverTheQuery() {
    server.enqueue(json("{\"wallet\":{\"left\":\"plenty\"}}"));
    JsonCreditSource custom = new JsonCreditSource("http", server.url("/me?token=sk-in-query").toString(), Map.of("X-Token", KEY),
        "/wallet/left", null, http(0), spent::get, CLOCK);

    assertThatThrownBy(custom::fetch).hasMessageContaining("http credit API " + server.url("/me").toString().replaceAll("/$", ""))
        .hasMessageContaining("without a number at /wallet/left").message().doesNotContain("sk-in-query").doesNotContain(KEY);
  }

  @Test
  void fetch_balanceChangesBetweenReads_eachReadIsTheNewTruth() throws Exception {
    server.enqueue(json("{\"data\":{\"total_credits\":10,\"total_usage\":1}}"));
    server.enqueue(json("{\"data\":{\"total_credits\":10,\"total_usage\":4}}"));
    OpenRouterCreditSource source = openRouter(0);

    long first = source.fetch().balanceNanos;
    spent.set(300 * CREDIT);
    BalanceSnapshot second = source.fetch();

    assertThat(first).isEqualTo(900 * CREDIT);
    assertThat(second.balanceNanos).isEqualTo(600 * CREDIT);
    assertThat(second.spentWatermarkNanos).isEqualTo(300 * CREDIT);
  }

  @Test
  void retryAfter_httpDate_isMillisecondsFromNow() {
    Instant now = Instant.parse("2026-01-02T03:04:05Z");
    assertThat(SourceHttp.retryAfterMillis("Fri, 02 Jan 2026 03:04:07 GMT", now)).isEqualTo(2000);
    assertThat(SourceHttp.retryAfterMillis("99999999999999", now)).isEqualTo(SourceHttp.MAX_WAIT_MILLIS);
    assertThat(SourceHttp.retryAfterMillis("soon", now)).isEqualTo(-1);
    assertThat(SourceHttp.retryAfterMillis(null, now)).isEqualTo(-1);
  }
}
