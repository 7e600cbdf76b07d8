package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * A call at any moment of a short JVM's life is reserved, metered and journaled: in its first
 * millisecond, before the meter (built on a background thread after {@code premain}) is ready, and in
 * a shutdown hook of a {@code main} that returned at once, when the meter is built after the JVM began
 * to shut down. {@code tollgate.internal.start-after-first-call} holds the build back until the call
 * has arrived, so each test provably takes the late path.
 */
class ShortLivedJvmIT extends LoopbackTest {
  /**
   * The unlatched net below: each JVM is one sample of the start-up race, at about two seconds of CPU
   * apiece. Both of the race's orderings are proven deterministically by the latched tests (the call
   * before the meter, in the first millisecond and in a shutdown hook; the meter before the call is
   * every other IT), so the net is a few samples, not a statistical search (16 until 2026-12-07).
   */
  private static final int EXIT_FAST_JVMS = 6;

  private Fork app(Path data, String... flags) {
    return Fork.app("okhttp4", OkHttpApp.class).prop("tollgate.data-dir", data).endpoint("fake", url("/v1"), "openai")
        .args("sync", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST).args((Object[]) flags);
  }

  @Test
  void callInTheFirstMillisecond_waitsForTheMeter_andIsReservedAndJournaled() {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(dataDir, "--balance").prop("tollgate.internal.start-after-first-call", "true").prop("tollgate.budget", "1").run();

    assertThat(r.agentLog()).as(r.toString()).isEmpty();
    assertThat(r.lines("BALANCE ")).containsExactly(BigDecimal.ONE.subtract(new BigDecimal(Fixtures.OPENAI_JSON_COST)).toPlainString());
    assertThat(Journal.only(dataDir).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
  }

  /** Regression: the meter's build registered its shutdown hook, which throws once shutdown began, and the call left unmetered. */
  @Test
  void callMadeDuringShutdown_meterBuiltAfterMainReturned_isStillJournaled() {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(dataDir, "--in-shutdown-hook").prop("tollgate.internal.start-after-first-call", "true").prop("tollgate.budget", "1")
        .run();

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.agentLog()).isEmpty();
    assertThat(Journal.only(dataDir).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
  }

  /**
   * Without the latch, whatever the timing: many JVMs whose {@code main} returns at once and whose
   * only call is in a shutdown hook each journal exactly that call.
   */
  @Test
  void mainThatReturnsAtOnce_callInShutdownHook_isJournaledInEveryJvm() throws Exception {
    for (int i = 0; i < EXIT_FAST_JVMS; i++) {
      server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    }
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      List<Future<Fork.Result>> runs = new ArrayList<>();
      for (int i = 0; i < EXIT_FAST_JVMS; i++) {
        Fork fork = app(tmp.resolve("jvm-" + i), "--in-shutdown-hook");
        runs.add(pool.submit(() -> fork.run()));
      }
      for (int i = 0; i < EXIT_FAST_JVMS; i++) {
        Fork.Result r = runs.get(i).get();
        assertThat(r.agentLog()).as(r.toString()).isEmpty();
        JsonNode rec = Journal.only(tmp.resolve("jvm-" + i));
        assertThat(rec.get("cost").decimalValue()).as("JVM %d", i).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
