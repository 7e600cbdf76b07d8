package dev.tollgate.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class OverheadTest {
  @Test
  void order_withoutBaseline_alternatesWhoGoesFirst() {
    assertThat(Overhead.order(false, 0)).containsExactly(Comparison.NONE, Comparison.AGENT);
    assertThat(Overhead.order(false, 1)).containsExactly(Comparison.AGENT, Comparison.NONE);
  }

  @Test
  void order_withBaseline_rotatesSoEachSideLeadsOnceInThreeRounds() {
    assertThat(Overhead.order(true, 0)).containsExactly(Comparison.NONE, Comparison.BASELINE, Comparison.AGENT);
    assertThat(Overhead.order(true, 1)).containsExactly(Comparison.BASELINE, Comparison.AGENT, Comparison.NONE);
    assertThat(Overhead.order(true, 2)).containsExactly(Comparison.AGENT, Comparison.NONE, Comparison.BASELINE);
  }

  @Test
  void baselineRow_pairsTheDifferenceRoundByRound() {
    Comparison c = new Comparison(3);
    // Load drifts from round to round: 60, 90, 70 µs without the agent. The agent costs 5 µs less than the baseline
    // in every round, which the difference of the medians (+40 vs +42) would not show as cleanly.
    double[][] cpu = {{60, 90, 70}, {100, 125, 112}, {105, 130, 117}};
    for (int side = 0; side < 3; side++) {
      for (int round = 0; round < 3; round++) {
        c.add(side, round, child(1000, cpu[side][round]));
      }
    }

    assertThat(c.baselineRow("okhttp", Scenario.named("metered-json")))
        .isEqualTo("| OkHttp | metered 1 KB JSON | 70.0 µs | +47.0 µs | +42.0 µs | **-5.0 µs** | -5.0 to -5.0 µs | 1.000 | 1.000 |");
  }

  private static Child child(long calls, double cpuMicros) {
    return new Child(0, List.of("JAVA 17", String.format(java.util.Locale.ROOT,
        "RESULT calls=%d total=%d seconds=1.0 p50=1000 p99=2000 cpu=%d", calls, calls, (long) (cpuMicros * 1000))));
  }
}
