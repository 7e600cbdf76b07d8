package dev.tollgate.benchmarks.e2e;

import java.util.Locale;

/** One client and scenario's rounds, without and with the agent; medians over rounds, ratios with / without. */
final class Comparison {
  private final double[][] throughput;
  private final double[][] p50;
  private final double[][] p99;
  private final double[][] cpu;
  String java;

  Comparison(int rounds) {
    throughput = new double[2][rounds];
    p50 = new double[2][rounds];
    p99 = new double[2][rounds];
    cpu = new double[2][rounds];
  }

  void add(Agent agent, int round, Child child) {
    int side = agent == Agent.NONE ? 0 : 1;
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
}
