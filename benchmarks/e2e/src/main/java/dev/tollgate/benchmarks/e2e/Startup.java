package dev.tollgate.benchmarks.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Start-up and footprint: a hello world, timed from spawn to its first line as the harness reads it, without an
 * agent, with Tollgate and with the OpenTelemetry agent (exporters off), {@code runs} rounds with the order
 * rotated each round. Also what each JVM holds once started (heap and non-heap after a GC, classes loaded).
 */
final class Startup {
  private Startup() {}

  static void run(Options options) throws Exception {
    Map<Agent, double[][]> samples = new EnumMap<>(Agent.class);
    Agent[] agents = Agent.values();
    for (Agent agent : agents) {
      samples.put(agent, new double[5][options.startupRuns]);
    }
    String java = null;
    for (int run = 0; run < options.startupRuns; run++) {
      for (int i = 0; i < agents.length; i++) {
        Agent agent = agents[(run + i) % agents.length];
        List<String> jvmArgs = agent.jvmArgs(options, Map.of());
        Child child = Child.run(Child.command(options, jvmArgs, HelloWorld.class));
        Agent.deleteDataDir(jvmArgs);
        double[][] s = samples.get(agent);
        s[0][run] = child.firstLineNanos / 1e6;
        s[1][run] = Long.parseLong(child.value("HEAP")) / 1048576.0;
        s[2][run] = Long.parseLong(child.value("NONHEAP")) / 1048576.0;
        s[3][run] = Long.parseLong(child.value("CLASSES"));
        s[4][run] = Long.parseLong(child.value("CPU")) / 1e6;
        java = child.value("JAVA");
        System.err.printf(Locale.ROOT, "run %d/%d %-19s %5.0f ms to first line%n", run + 1, options.startupRuns, agent.label, s[0][run]);
      }
    }
    print(options, java, samples);
  }

  private static void print(Options options, String java, Map<Agent, double[][]> samples) throws Exception {
    System.out.printf(Locale.ROOT, "Java %s (%s), %d CPUs, %s; %d runs per configuration, order rotated each run.%n%n",
        java, options.java, Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), options.startupRuns);
    System.out.println("| configuration | first line, median | p90 | added (median) | CPU to first line | added CPU "
        + "| heap used after GC | non-heap used | classes loaded |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    double base = Stats.median(samples.get(Agent.NONE)[0]);
    double baseCpu = Stats.median(samples.get(Agent.NONE)[4]);
    for (Map.Entry<Agent, double[][]> e : samples.entrySet()) {
      double[][] s = e.getValue();
      double median = Stats.median(s[0]);
      double cpu = Stats.median(s[4]);
      boolean none = e.getKey() == Agent.NONE;
      System.out.printf(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %s | %.0f ms | %s | %.1f MB | %.1f MB | %.0f |%n", e.getKey().label,
          median, Stats.percentile(s[0], 90), none ? "—" : String.format(Locale.ROOT, "%+.0f ms", median - base), cpu,
          none ? "—" : String.format(Locale.ROOT, "%+.0f ms", cpu - baseCpu), Stats.median(s[1]), Stats.median(s[2]),
          Stats.median(s[3]));
    }
    System.out.println();
    for (Path jar : List.of(options.agentJar, options.otelJar)) {
      System.out.printf(Locale.ROOT, "- %s: %.1f MB%n", jar.getFileName(), Files.size(jar) / 1048576.0);
    }
  }
}
