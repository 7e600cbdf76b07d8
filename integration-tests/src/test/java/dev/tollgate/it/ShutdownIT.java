package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.ShutdownApp;
import java.util.List;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * An application whose main just returns, with a remote credit source, balance refresh and the
 * reconciler running (so the agent has background threads): the JVM ends on its own (the fork's
 * timeout is the hang guard, not a timing assertion), every {@code tollgate-*} thread is a daemon,
 * and the last call's record is in the journal. A call made inside a shutdown hook is still
 * journaled: {@link RobustnessIT#callMadeDuringShutdown_isStillJournaled}.
 */
class ShutdownIT extends LoopbackTest {
  private final MockWebServer credits = new MockWebServer();

  @BeforeEach
  void startCredits() throws Exception {
    credits.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        return Fixtures.json("{\"data\":{\"total_credits\":10,\"total_usage\":1}}");
      }
    });
    credits.start();
  }

  @AfterEach
  void stopCredits() {
    credits.close();
  }

  @Test
  void mainReturnsWithBackgroundWorkScheduled_jvmExitsAndTheLastRecordIsJournaled() {
    for (int i = 0; i < 3; i++) {
      server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    }

    Fork.Result r = Fork.app("jdk", ShutdownApp.class)
        .prop("tollgate.data-dir", dataDir)
        .prop("tollgate.wallet", "openrouter")
        .prop("tollgate.openrouter.url", credits.url("/api/v1").toString())
        .prop("tollgate.openrouter.key", "sk-or-v1-shutdown")
        .prop("tollgate.balance-refresh", "1s")
        .prop("tollgate.reconcile-interval", "1s")
        .endpoint("fake-openai", url("/v1"), "openai")
        .args(url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, 3)
        .run();

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.lines("STATUS ")).containsExactly("200", "200", "200");
    assertThat(r.lines("RETURNING")).hasSize(1);
    List<String> threads = r.lines("THREAD ");
    assertThat(threads).anySatisfy(t -> assertThat(t).startsWith("tollgate-background "));
    assertThat(threads).allSatisfy(t -> assertThat(t).endsWith(" daemon=true"));
    assertThat(credits.getRequestCount()).isPositive();
    List<JsonNode> records = Journal.records(dataDir);
    assertThat(records).filteredOn(n -> !n.has("kind")).hasSize(3)
        .allSatisfy(n -> assertThat(n.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST));
  }
}
