package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reconciliation in a real JVM: a fake OpenRouter whose {@code total_usage} rises by the app's
 * metered call plus 0.5 that a second client spent on the same key. The agent records the window,
 * tells listeners about the drift and corrects the available balance to the remote truth.
 */
class ReconcileIT extends LoopbackTest {
  private final MockWebServer credits = new MockWebServer();
  private final AtomicInteger reads = new AtomicInteger();

  @BeforeEach
  void startCredits() throws Exception {
    credits.start();
    credits.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        // Until the app's call reaches the provider the key has used 1; from then on OpenRouter also
        // counts that call (0.000345) and 0.5 a second client spent on the same key.
        reads.incrementAndGet();
        String usage = server.getRequestCount() == 0 ? "1" : "1.500345";
        return Fixtures.json("{\"data\":{\"total_credits\":10,\"total_usage\":" + usage + "}}");
      }
    });
  }

  @AfterEach
  void stopCredits() {
    credits.close();
  }

  private Fork app(String reconcileInterval, String option) {
    return Fork.app("okhttp4", OkHttpApp.class)
        .prop("tollgate.data-dir", dataDir)
        .prop("tollgate.wallet", "openrouter")
        .prop("tollgate.openrouter.url", credits.url("/api/v1").toString())
        .prop("tollgate.openrouter.key", "sk-or-v1-it-management-key")
        .prop("tollgate.reconcile-interval", reconcileInterval)
        .endpoint("fake-openai", url("/v1"), "openai")
        .args("sync", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, option);
  }

  @Test
  void secondClientOnTheSameKey_isDriftRecordedAndReported_andTheBalanceFollowsTheRemote() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app("1s", "--await-drift").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    List<String> drift = r.lines("DRIFT ");
    assertThat(drift).as(r.toString()).isNotEmpty();
    String[] d = drift.get(0).split(" ");
    assertThat(d[0]).isEqualTo("openrouter");
    assertThat(new BigDecimal(d[3])).isGreaterThanOrEqualTo(new BigDecimal("0.5")); // remote − local: the other client
    // After the drift the wallet follows the remote: 10 − 1.500345, less the app's call if the window
    // closed before that call settled (then it is spend since the read).
    assertThat(r.lines("BALANCE ")).singleElement().satisfies(b -> assertThat(new BigDecimal(b)).isBetween(new BigDecimal("8.49931"),
        new BigDecimal("8.499655")));
    assertThat(r.agentLog()).filteredOn(l -> l.contains("drift")).isNotEmpty();

    List<JsonNode> lines = Journal.records(dataDir);
    List<JsonNode> windows = lines.stream().filter(n -> "reconciliation".equals(n.path("kind").asText())).collect(Collectors.toList());
    assertThat(windows).as(lines.toString()).isNotEmpty();
    JsonNode w = windows.get(0);
    assertThat(w.get("source").asText()).isEqualTo("openrouter");
    assertThat(w.get("remote").decimalValue()).isEqualByComparingTo(w.get("local").decimalValue().add(w.get("drift").decimalValue()));
    assertThat(lines.stream().filter(n -> n.has("status")).map(n -> n.get("cost").decimalValue()))
        .singleElement().satisfies(c -> assertThat(c).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST));
  }

  @Test
  void reconcileOnDemand_returnsTheWindowExactly() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app("1h", "--reconcile").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    // Remote: 1.500345 − 1; local: the one call, 0.000345; drift: the other client's 0.5.
    String[] w = r.lines("RECONCILED ").get(0).split(" ");
    assertThat(new BigDecimal(w[0])).isEqualByComparingTo("0.500345");
    assertThat(new BigDecimal(w[1])).isEqualByComparingTo("0.000345");
    assertThat(new BigDecimal(w[2])).isEqualByComparingTo("0.5");
  }
}
