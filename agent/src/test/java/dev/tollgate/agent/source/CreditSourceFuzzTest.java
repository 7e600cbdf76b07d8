package dev.tollgate.agent.source;

import static dev.tollgate.agent.fuzz.Fuzz.neverThrows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.fuzz.Fuzz;
import dev.tollgate.agent.fuzz.Mutation;
import dev.tollgate.agent.wallet.BalanceSnapshot;
import dev.tollgate.agent.wallet.CreditSource;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import okhttp3.mockwebserver.Dispatcher;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import okhttp3.mockwebserver.RecordedRequest;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Each credit API answering a damaged body ({@link Mutation}) over loopback: the source returns a
 * balance the wallet can use, or fails with a {@link SourceException} (which the balance cache turns
 * into its on-source-failure policy and one log line); nothing else escapes, nothing hangs.
 */
class CreditSourceFuzzTest {
  private static final String KEY = "sk-or-v1-fuzz-management-key";
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-01-02T03:04:05Z"), ZoneOffset.UTC);
  private static final String[] BODIES = {
      "{\"data\":{\"total_credits\":12.5,\"total_usage\":2.125}}",
      "{\"credit\":50.00,\"free_credit\":20.00,\"referral_credits\":5.00,\"total_credits\":75.00}",
      "{\"client_id\":\"c1\",\"balance_credits\":120.5,\"warning_low\":false,\"buckets\":["
          + "{\"source_type\":\"promo\",\"balance\":20.5,\"expires_at\":\"2026-02-01T00:00:00+00:00\"},"
          + "{\"source_type\":\"paid\",\"balance\":100,\"expires_at\":null}]}",
      "{\"entries\":[{\"ledger_id\":\"l-1\",\"entry_type\":\"debit\",\"delta\":-1.5,\"metric_type\":\"llm_input_tokens\","
          + "\"category\":\"retrieval\",\"created_at\":\"2026-01-02T03:01:00Z\"},{\"ledger_id\":\"l-2\",\"entry_type\":\"credit\","
          + "\"delta\":50,\"metric_type\":\"topup\",\"category\":null,\"created_at\":\"2026-01-02T03:02:00+00:00\"}],"
          + "\"total\":2,\"limit\":100,\"offset\":0}",
      "{\"wallet\":{\"left\":4.000000001,\"buckets\":[{\"source_type\":\"paid\",\"balance\":4.000000001,\"expires_at\":null}]}}"};

  static {
    java.util.logging.Logger.getLogger(MockWebServer.class.getName()).setLevel(java.util.logging.Level.OFF);
  }

  private final MockWebServer server = new MockWebServer();
  private volatile byte[] answer = new byte[0];

  @BeforeEach
  void start() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return new MockResponse().setHeader("Content-Type", "application/json").setBody(new Buffer().write(answer));
      }
    });
    server.start();
  }

  @AfterEach
  void stop() throws IOException {
    server.shutdown();
  }

  @Test
  void fetch_damagedCreditApiAnswer_isABalanceOrASourceException() {
    Fuzz.qt(150).forAll(Fuzz.between(0, BODIES.length - 1), Fuzz.mutations(3)).checkAssert((which, mutations) -> {
      answer = Mutation.applyAll(BODIES[which].getBytes(StandardCharsets.UTF_8), mutations);
      neverThrows(which + " " + mutations, () -> {
        try {
          read(which);
        } catch (SourceException expected) {
          assertThat(expected.getMessage()).doesNotContain(KEY);
        }
      });
    });
  }

  /** Reads what source {@code which} makes of the answer; a snapshot must hold a usable balance. */
  private void read(int which) throws IOException {
    SourceHttp http = new SourceHttp(Duration.ofSeconds(5), 0, millis -> {});
    String url = server.url("/api").toString();
    CreditSource source;
    switch (which) {
      case 0:
        source = new OpenRouterCreditSource(url, KEY, new BigDecimal("100"), http, () -> 0, CLOCK);
        break;
      case 1:
        source = new SwarmsCreditSource(url, KEY, BigDecimal.ONE, http, () -> 0, CLOCK);
        break;
      case 2:
        source = new SynapCreditSource(url, "/b", "/l", KEY, http, () -> 0, CLOCK);
        break;
      case 3:
        long spent = new SynapCreditSource(url, "/b", "/l", KEY, http, () -> 0, CLOCK).spentBetween(
            new BalanceSnapshot(0, 0, List.of(), Instant.parse("2026-01-02T03:00:00Z"), null),
            new BalanceSnapshot(0, 0, List.of(), Instant.parse("2026-01-02T03:05:00Z"), null));
        assertThat(spent).isNotNull();
        return;
      default:
        source = new JsonCreditSource("http", url, Map.of("Authorization", KEY), "/wallet/left", "/wallet/buckets", http, () -> 0, CLOCK);
    }
    BalanceSnapshot s = source.fetch();
    assertThat(s.buckets).isNotNull();
  }
}
