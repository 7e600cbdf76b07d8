package dev.tollgate.benchmarks.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Start-up and footprint: a hello world, timed from spawn to its first line as the harness reads it, without an
 * agent, with Tollgate and with the OpenTelemetry agent (exporters off), {@code runs} rounds with the order
 * rotated each round. Also what each JVM holds once started (heap and non-heap after a GC, classes loaded). With
 * {@code --variants}, Tollgate under each configuration given instead of Tollgate as is and the OpenTelemetry agent.
 */
final class Startup {
  private Startup() {}

  /** What one child runs with: an agent, and for Tollgate the system properties of a variant. */
  static final class Config {
    final String label;
    final Agent agent;
    final Map<String, String> props;

    Config(Agent agent, Map<String, String> props) {
      this.agent = agent;
      this.props = props;
      this.label = props.isEmpty() ? agent.label : agent.label + " " + props.entrySet().stream()
          .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
  }

  static List<Config> configs(Options options) {
    List<Config> configs = new ArrayList<>();
    configs.add(new Config(Agent.NONE, Map.of()));
    if (options.variants.isEmpty()) {
      configs.add(new Config(Agent.TOLLGATE, Map.of()));
      configs.add(new Config(Agent.OTEL, Map.of()));
    } else {
      options.variants.forEach(v -> configs.add(new Config(Agent.TOLLGATE, v)));
    }
    return configs;
  }

  static void run(Options options) throws Exception {
    List<Config> configs = configs(options);
    Map<Config, double[][]> samples = new LinkedHashMap<>();
    for (Config c : configs) {
      samples.put(c, new double[5][options.startupRuns]);
    }
    String java = null;
    for (int run = 0; run < options.startupRuns; run++) {
      for (int i = 0; i < configs.size(); i++) {
        Config config = configs.get((run + i) % configs.size());
        List<String> jvmArgs = config.agent.jvmArgs(options, config.props);
        Child child = Child.run(Child.command(options, jvmArgs, HelloWorld.class));
        Agent.deleteDataDir(jvmArgs);
        double[][] s = samples.get(config);
        s[0][run] = child.firstLineNanos / 1e6;
        s[1][run] = Long.parseLong(child.value("HEAP")) / 1048576.0;
        s[2][run] = Long.parseLong(child.value("NONHEAP")) / 1048576.0;
        s[3][run] = Long.parseLong(child.value("CLASSES"));
        s[4][run] = Long.parseLong(child.value("CPU")) / 1e6;
        java = child.value("JAVA");
        System.err.printf(Locale.ROOT, "run %d/%d %-19s %5.0f ms to first line%n", run + 1, options.startupRuns, config.label, s[0][run]);
      }
    }
    print(options, java, samples);
  }

  private static void print(Options options, String java, Map<Config, double[][]> samples) throws Exception {
    System.out.printf(Locale.ROOT, "Java %s (%s), %d CPUs, %s; %d runs per configuration, order rotated each run.%n%n",
        java, options.java, Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), options.startupRuns);
    System.out.println("| configuration | first line, median | p90 | added (median) | CPU to first line | added CPU "
        + "| heap used after GC | non-heap used | classes loaded |");
    System.out.println("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
    double[][] none = samples.values().iterator().next(); // the first configuration: no agent
    double base = Stats.median(none[0]);
    double baseCpu = Stats.median(none[4]);
    for (Map.Entry<Config, double[][]> e : samples.entrySet()) {
      double[][] s = e.getValue();
      double median = Stats.median(s[0]);
      double cpu = Stats.median(s[4]);
      boolean isBase = s == none;
      System.out.printf(Locale.ROOT, "| %s | %.0f ms | %.0f ms | %s | %.0f ms | %s | %.1f MB | %.1f MB | %.0f |%n", e.getKey().label,
          median, Stats.percentile(s[0], 90), isBase ? "—" : String.format(Locale.ROOT, "%+.0f ms", median - base), cpu,
          isBase ? "—" : String.format(Locale.ROOT, "%+.0f ms", cpu - baseCpu), Stats.median(s[1]), Stats.median(s[2]),
          Stats.median(s[3]));
    }
    System.out.println();
    List<Path> jars = new ArrayList<>(List.of(options.agentJar));
    if (samples.keySet().stream().anyMatch(c -> c.agent == Agent.OTEL)) {
      jars.add(options.otelJar);
    }
    for (Path jar : jars) {
      System.out.printf(Locale.ROOT, "- %s: %.1f MB%n", jar.getFileName(), Files.size(jar) / 1048576.0);
    }
  }
}
