package dev.tollgate.benchmarks.e2e;

import java.util.Locale;

/**
 * One client and scenario's rounds, without and with the agent (and, with {@code --baseline}, with an earlier
 * agent jar); medians over rounds, ratios with / without.
 */
final class Comparison {
  static final int NONE = 0;
  static final int AGENT = 1;
  static final int BASELINE = 2;

  private final double[][] throughput;
  private final double[][] p50;
  private final double[][] p99;
  private final double[][] cpu;
  String java;

  Comparison(int rounds) {
    throughput = new double[3][rounds];
    p50 = new double[3][rounds];
    p99 = new double[3][rounds];
    cpu = new double[3][rounds];
  }

  void add(int side, int round, Child child) {
    throughput[side][round] = throughput(child);
    p50[side][round] = Double.parseDouble(child.field("RESULT", "p50")) / 1e3;
    p99[side][round] = Double.parseDouble(child.field("RESULT", "p99")) / 1e3;
    cpu[side][round] = Double.parseDouble(child.field("RESULT", "cpu")) / 1e3;
    java = child.value("JAVA");
  }

  static double throughput(Child child) {
    return Long.parseLong(child.field("RESULT", "calls")) / Double.parseDouble(child.field("RESULT", "seconds"));
  }

  String row(String client, Scenario scenario) {
    double tWithout = Stats.median(throughput[0]);
    double tWith = Stats.median(throughput[1]);
    return String.format(Locale.ROOT,
        "| %s | %s | %.0f | %.0f | **%.3f** | %s | %.1f µs | %.1f µs | %.3f | %.1f µs | %.1f µs | %.3f | %.1f µs | %.1f µs | %.3f |",
        client.equals("okhttp") ? "OkHttp" : "JDK HttpClient", scenario.label(), tWithout, tWith, tWith / tWithout,
        pairedRange(), Stats.median(p50[0]), Stats.median(p50[1]), Stats.median(p50[1]) / Stats.median(p50[0]),
        Stats.median(p99[0]), Stats.median(p99[1]), Stats.median(p99[1]) / Stats.median(p99[0]),
        Stats.median(cpu[0]), Stats.median(cpu[1]), Stats.median(cpu[1]) / Stats.median(cpu[0]));
  }

  /** Each round's own with / without throughput ratio, lowest to highest: how much the rounds agree. */
  private String pairedRange() {
    double[] ratios = new double[throughput[0].length];
    for (int i = 0; i < ratios.length; i++) {
      ratios[i] = throughput[1][i] / throughput[0][i];
    }
    return String.format(Locale.ROOT, "%.3f–%.3f", Stats.percentile(ratios, 0), Stats.percentile(ratios, 100));
  }

  /** The median latency and CPU time Tollgate adds to a stream, spread over its events. */
  String perChunkNote(String client, Scenario scenario) {
    double latency = Stats.median(p50[1]) - Stats.median(p50[0]);
    double cpuTime = Stats.median(cpu[1]) - Stats.median(cpu[0]);
    int events = OpenAiBodies.STREAM_EVENTS;
    return String.format(Locale.ROOT, "- %s, %s (%d events): %+.1f µs latency per call at p50 (%+.2f µs per event), "
        + "%+.1f µs CPU per call (%+.2f µs per event).", client.equals("okhttp") ? "OkHttp" : "JDK HttpClient",
        scenario.label(), events, latency, latency / events, cpuTime, cpuTime / events);
  }

  /**
   * The CPU per call the agent and the baseline jar each add to no agent (medians over rounds), and what the agent
   * adds or saves against the baseline: the median of each round's own difference, with the rounds' range. Each
   * round ran the three children back to back, so a difference within a round shares that round's machine load.
   */
  String baselineRow(String client, Scenario scenario) {
    int rounds = cpu[0].length;
    double[] diff = new double[rounds];
    for (int i = 0; i < rounds; i++) {
      diff[i] = cpu[AGENT][i] - cpu[BASELINE][i];
    }
    double none = Stats.median(cpu[NONE]);
    return String.format(Locale.ROOT, "| %s | %s | %.1f µs | %+.1f µs | %+.1f µs | **%+.1f µs** | %+.1f to %+.1f µs | %.3f | %.3f |",
        client.equals("okhttp") ? "OkHttp" : "JDK HttpClient", scenario.label(), none, Stats.median(cpu[BASELINE]) - none,
        Stats.median(cpu[AGENT]) - none, Stats.median(diff), Stats.percentile(diff, 0), Stats.percentile(diff, 100),
        Stats.median(throughput[BASELINE]) / Stats.median(throughput[NONE]),
        Stats.median(throughput[AGENT]) / Stats.median(throughput[NONE]));
  }
}
