package dev.tollgate.benchmarks.e2e;

import java.util.Arrays;

/** Order statistics over a handful of rounds or many call latencies. */
final class Stats {
  private Stats() {}

  /** The nearest-rank percentile of already sorted values. */
  static long percentile(long[] sorted, double p) {
    return sorted[index(sorted.length, p)];
  }

  static double percentile(double[] values, double p) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    return sorted[index(sorted.length, p)];
  }

  private static int index(int count, double p) {
    if (count == 0) {
      throw new IllegalArgumentException("no values");
    }
    int rank = (int) Math.ceil(p / 100 * count);
    return Math.max(0, Math.min(count - 1, rank - 1));
  }

  /** The median; for an even count, the mean of the two middle values. */
  static double median(double[] values) {
    double[] sorted = values.clone();
    Arrays.sort(sorted);
    int mid = sorted.length / 2;
    return sorted.length % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  }
}
