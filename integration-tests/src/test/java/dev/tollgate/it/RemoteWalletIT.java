package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tollgate.wallet=openrouter} in a real JVM: a second loopback server plays OpenRouter's
 * credits API, and calls are blocked once the remote balance is spent.
 */
class RemoteWalletIT extends LoopbackTest {
  private static final String KEY = "sk-or-v1-it-management-key";
  private final MockWebServer credits = new MockWebServer();
  private final AtomicInteger creditReads = new AtomicInteger();
  private volatile String authorization;

  @BeforeEach
  void startCredits() throws Exception {
    credits.start();
  }

  @AfterEach
  void stopCredits() {
    credits.close();
  }

  /** Answers every credits read with {@code response}, recording what it was sent. */
  private void creditsAnswer(MockResponse response) {
    credits.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        creditReads.incrementAndGet();
        authorization = request.getHeaders().get("Authorization");
        return request.getUrl().encodedPath().equals("/api/v1/credits") ? response : new MockResponse.Builder().code(404).build();
      }
    });
  }

  private Fork app(int calls) {
    return Fork.app("okhttp4", OkHttpApp.class)
        .prop("tollgate.data-dir", dataDir)
        .prop("tollgate.wallet", "openrouter")
        .prop("tollgate.openrouter.url", credits.url("/api/v1").toString())
        .prop("tollgate.openrouter.key", KEY)
        .prop("tollgate.source-retries", "0")
        .endpoint("fake-openai", url("/v1"), "openai")
        .args("sync", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "--calls", String.valueOf(calls));
  }

  @Test
  void remoteBalanceSpent_nextCallsBlocked_andNeverReachTheProvider() throws Exception {
    // 0.0004 USD left at 1 credit/USD: the first call (worst case 0.0000618, real cost 0.000345) fits;
    // then 0.000055 is left, less than the next call's worst case.
    creditsAnswer(Fixtures.json("{\"data\":{\"total_credits\":1.0004,\"total_usage\":1}}"));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(3).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200", "402", "402");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(creditReads.get()).isPositive();
    assertThat(authorization).isEqualTo("Bearer " + KEY);
    List<JsonNode> recs = Journal.records(dataDir);
    assertThat(recs).extracting(n -> n.get("status").asText()).containsExactly("ok", "blocked", "blocked");
    assertThat(recs.get(0).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(Journal.json(r.lines("BODY ").get(1)).get("error").get("message").asText()).contains("0.000055 are available");
    assertThat(r.toString()).doesNotContain(KEY);
  }

  /**
   * The first balance read, still under way when the first call comes, is made again on the calling
   * thread. A thread whose interrupt flag is set (a task cancelled as it runs) used to fail that read
   * at once (okio's timeouts throw on the flag), which blocked the call, reported the source down,
   * and left every call blocked until the next read; the read now runs with the flag clear, and the
   * application gets its flag back.
   */
  @Test
  void firstCallFromAnInterruptedThread_waitsForTheBalance_andIsNotBlocked() throws Exception {
    creditsAnswer(new MockResponse.Builder(Fixtures.json("{\"data\":{\"total_credits\":2,\"total_usage\":1}}"))
        .headersDelay(700, java.util.concurrent.TimeUnit.MILLISECONDS).build());
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = Fork.app("jdk", dev.tollgate.it.apps.UrlConnectionApp.class)
        .prop("tollgate.data-dir", dataDir)
        .prop("tollgate.wallet", "openrouter")
        .prop("tollgate.openrouter.url", credits.url("/api/v1").toString())
        .prop("tollgate.openrouter.key", KEY)
        .endpoint("fake-openai", url("/v1"), "openai")
        .args("interrupted", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    assertThat(r.lines("INTERRUPTED ")).containsExactly("true");
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("ok");
    assertThat(r.agentLog()).as("no source failure reported").noneMatch(l -> l.contains("credit source"));
  }

  @Test
  void creditApiDown_closed_blocksWithOneLogLine() throws Exception {
    creditsAnswer(new MockResponse.Builder().code(500).body("down").build());

    Fork.Result r = app(2).prop("tollgate.on-source-failure", "closed").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("402", "402");
    assertThat(server.getRequestCount()).isZero();
    assertThat(r.agentLog()).filteredOn(l -> l.contains("credit source")).singleElement().asString()
        .contains("openrouter credit API").contains("answered HTTP 500").contains("on-source-failure=closed");
    assertThat(r.toString()).doesNotContain(KEY);
  }

  @Test
  void creditApiDown_open_letsCallsThrough() throws Exception {
    creditsAnswer(new MockResponse.Builder().code(401).build());
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(1).prop("tollgate.on-source-failure", "open").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(r.agentLog()).filteredOn(l -> l.contains("credit source")).singleElement().asString()
        .contains("HTTP 401: invalid key").contains("go through unlimited");
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("ok");
  }
}
