package dev.tollgate.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatsTest {
  @Test
  void percentile_isNearestRank() {
    long[] sorted = new long[100];
    for (int i = 0; i < sorted.length; i++) {
      sorted[i] = i + 1;
    }
    assertThat(Stats.percentile(sorted, 50)).isEqualTo(50);
    assertThat(Stats.percentile(sorted, 99)).isEqualTo(99);
    assertThat(Stats.percentile(new double[] {3, 1, 2}, 0)).isEqualTo(1);
    assertThat(Stats.percentile(new double[] {3, 1, 2}, 100)).isEqualTo(3);
  }

  @Test
  void median_ofAnEvenCount_isTheMeanOfTheMiddleTwo() {
    assertThat(Stats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
    assertThat(Stats.median(new double[] {5, 1, 3})).isEqualTo(3);
  }
}
