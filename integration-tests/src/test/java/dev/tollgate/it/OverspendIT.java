package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.LoadApp;
import java.math.BigDecimal;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * 64 threads, then 256 virtual ones, race for a local budget: what reaches the provider never costs more than the budget
 * plus the largest amount by which one call's real cost exceeded its reservation, and no blocked
 * call reaches the provider.
 */
class OverspendIT extends LoopbackTest {
  private static final int THREADS = 64;
  private static final int CALLS_PER_THREAD = 5;
  private static final BigDecimal BUDGET = new BigDecimal("0.01");
  /**
   * The provider bills what the reservation allowed for: 9 input tokens and all 100 max_tokens, 9 × 0.15
   * + 100 × 0.60 per 1M = 0.00006135, under the 0.0000618 each call reserves (12 input tokens by the
   * heuristic, which over-counts, + 100 × 0.60).
   */
  static final String FULL_LENGTH = Fixtures.OPENAI_JSON.replace("\"prompt_tokens\":1200,\"completion_tokens\":300,\"total_tokens\":1500,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":200}", "\"prompt_tokens\":9,\"completion_tokens\":100,\"total_tokens\":109,"
          + "\"prompt_tokens_details\":{\"cached_tokens\":0}");
  static final BigDecimal FULL_LENGTH_COST = new BigDecimal("0.00006135");

  @Test
  void sixtyFourThreads_spendAtMostTheBudgetPlusOneReservationsError_andBlockedCallsReachNoServer() {
    race("budget", THREADS, CALLS_PER_THREAD);
  }

  /**
   * 256 virtual threads on the machine's few carriers, through OkHttp, the JDK client and {@code HttpURLConnection}
   * (whose rare steps run inside a monitor): the same bound, no call lost or stuck. JDK 21 and later (the JDK 25 pass
   * of {@code .ci/run}); skipped on an older JDK.
   */
  @Test
  void virtualThreads_spendAtMostTheBudgetPlusOneReservationsError_andBlockedCallsReachNoServer() {
    race("budget-virtual", 256, 2);
  }

  private void race(String mode, int threads, int callsPerThread) {
    LoadServer load = new LoadServer(FULL_LENGTH);
    server.setDispatcher(load);

    Fork.Result r = Fork.app("okhttp4", LoadApp.class).prop("tollgate.data-dir", dataDir).prop("tollgate.budget", BUDGET)
        .prop("tollgate.tokenizer", "heuristic").endpoint("fake", url("/v1"), "openai")
        .args(mode, url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, threads, callsPerThread).run();
    assumeThat(r.lines("NO_VIRTUAL_THREADS")).as("virtual threads need JDK 21").isEmpty();

    List<JsonNode> records = Journal.records(dataDir);
    List<JsonNode> ok = records.stream().filter(n -> n.get("status").asText().equals("ok")).collect(Collectors.toList());
    long blocked = records.stream().filter(n -> n.get("status").asText().equals("blocked")).count();
    assertThat(r.lines("OK ")).as(r.toString()).containsExactly(String.valueOf(ok.size()));
    assertThat(r.lines("BLOCKED ")).containsExactly(String.valueOf(blocked));
    assertThat(ok.size() + blocked).isEqualTo(threads * callsPerThread);
    assertThat(blocked).as("the budget ran out").isPositive();
    // Blocked calls reached no server: every request the server saw is an ok record, and vice versa.
    assertThat(load.metered()).isEqualTo(ok.size());

    BigDecimal sent = FULL_LENGTH_COST.multiply(BigDecimal.valueOf(load.metered()));
    BigDecimal journaled = ok.stream().map(n -> n.get("cost").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
    BigDecimal largestError = ok.stream().map(n -> n.get("cost").decimalValue().subtract(n.get("reservation").decimalValue()))
        .reduce(BigDecimal.ZERO, BigDecimal::max);
    assertThat(journaled).isEqualByComparingTo(sent);
    assertThat(sent).as("sent %s, budget %s, largest reservation error %s", sent, BUDGET, largestError)
        .isLessThanOrEqualTo(BUDGET.add(largestError));
    assertThat(r.lines("OPEN ")).containsExactly("0");
    System.out.println("OverspendIT: " + threads + (mode.equals("budget") ? "" : " virtual") + " threads, " + ok.size() + " calls sent ("
        + sent.toPlainString() + " of budget "
        + BUDGET + ", largest reservation error " + largestError.toPlainString() + "), " + blocked + " blocked, "
        + load.metered() + " requests at the server");
  }
}
