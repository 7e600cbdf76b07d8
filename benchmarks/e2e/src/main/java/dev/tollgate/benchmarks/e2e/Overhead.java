package dev.tollgate.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The end-to-end overhead: per client and scenario, {@code rounds} pairs of children, one without and one with
 * Tollgate, in alternating order (so drift in machine load hits both sides alike), each warming up and then
 * calling back to back for a measured window. Prints one Markdown row per client and scenario. With
 * {@code --baseline}, every round also runs an earlier agent jar (or, with {@code work:N}, no agent and N µs of the
 * application's own work after each call), the three in rotating order, and a second table gives what {@code
 * --agent} adds or saves per call against it, paired round by round.
 */
final class Overhead {
  private final Options options;
  private final String baseUrl;
  private final Map<String, String> tollgateProps;

  private Overhead(Options options, int port) {
    this.options = options;
    this.baseUrl = "http://127.0.0.1:" + port;
    // A budget no run can spend (each call costs about 0.0001), so nothing ever blocks.
    this.tollgateProps = Map.of(
        "tollgate.endpoint.bench.url", baseUrl + Scenario.METERED_PREFIX,
        "tollgate.endpoint.bench.format", "openai",
        "tollgate.budget", "1000000000");
  }

  static void run(Options options) throws Exception {
    try (LoopbackServer server = new LoopbackServer()) {
      Overhead overhead = new Overhead(options, server.port());
      List<String> rows = new ArrayList<>();
      List<String> baselineRows = new ArrayList<>();
      List<String> notes = new ArrayList<>();
      String java = null;
      for (String client : options.clients) {
        for (String name : options.scenarios) {
          Scenario scenario = Scenario.named(name);
          Comparison c = overhead.compare(client, scenario);
          rows.add(c.row(client, scenario));
          if (options.hasBaseline()) {
            baselineRows.add(c.baselineRow(client, scenario));
          }
          if (scenario.stream) {
            notes.add(c.perChunkNote(client, scenario));
          }
          java = c.java;
        }
      }
      print(options, java, rows, baselineRows, notes);
    }
  }

  private Comparison compare(String client, Scenario scenario) throws Exception {
    Comparison c = new Comparison(options.rounds);
    for (int round = 0; round < options.rounds; round++) {
      for (int side : order(options.hasBaseline(), round)) {
        Child child = child(client, scenario, side, round);
        c.add(side, round, child);
        System.err.printf(Locale.ROOT, "%s %s round %d/%d %-9s %8.0f calls/s  p50 %6.1f us  p99 %6.1f us  cpu %6.1f us%n", client,
            scenario.label(), round + 1, options.rounds,
            side == Comparison.NONE ? "no agent" : side == Comparison.AGENT ? "Tollgate"
                : options.baselineWorkNanos >= 0 ? "work" : "baseline",
            Comparison.throughput(child), Double.parseDouble(child.field("RESULT", "p50")) / 1e3,
            Double.parseDouble(child.field("RESULT", "p99")) / 1e3, Double.parseDouble(child.field("RESULT", "cpu")) / 1e3);
      }
    }
    return c;
  }

  /** The children of one round, each side leading in turn, so drift in machine load hits every side alike. */
  static int[] order(boolean baseline, int round) {
    int[] sides = baseline ? new int[] {Comparison.NONE, Comparison.BASELINE, Comparison.AGENT}
        : new int[] {Comparison.NONE, Comparison.AGENT};
    int[] order = new int[sides.length];
    for (int i = 0; i < sides.length; i++) {
      order[i] = sides[(i + round) % sides.length];
    }
    return order;
  }

  private Child child(String client, Scenario scenario, int side, int round) throws Exception {
    boolean work = side == Comparison.BASELINE && options.baselineWorkNanos >= 0;
    Agent agent = side == Comparison.NONE || work ? Agent.NONE : Agent.TOLLGATE;
    List<String> jvmArgs = new ArrayList<>(
        agent.jvmArgs(options, side == Comparison.BASELINE ? options.baselineJar : options.agentJar, tollgateProps));
    if (work) {
      jvmArgs.add("-D" + Workload.WORK_NANOS + "=" + options.baselineWorkNanos);
    }
    if (agent == Agent.TOLLGATE && options.jfrDir != null) {
      Files.createDirectories(options.jfrDir);
      jvmArgs.add("-XX:StartFlightRecording=settings=profile,jdk.ExecutionSample#period=1ms,filename="
          + options.jfrDir.resolve((side == Comparison.BASELINE ? "baseline-" : "") + client + "-" + scenario.name().toLowerCase(
              Locale.ROOT) + "-" + (round + 1) + ".jfr"));
    }
    Child child = Child.run(Child.command(options, jvmArgs, Workload.class, client, scenario.stream ? "stream" : "json",
        baseUrl + scenario.path, String.valueOf(options.warmupSeconds), String.valueOf(options.measureSeconds)));
    if (agent == Agent.TOLLGATE) {
      checkJournal(Agent.dataDir(jvmArgs), scenario, Long.parseLong(child.field("RESULT", "total")));
      Agent.deleteDataDir(jvmArgs);
    }
    return child;
  }

  /** Every metered call, and no other, must be in the journal: otherwise the run did not measure metering. */
  private static void checkJournal(Path dataDir, Scenario scenario, long calls) {
    long records = journalRecords(dataDir);
    long expected = scenario.metered ? calls : 0;
    if (records != expected) {
      System.err.printf(Locale.ROOT, "WARNING: %s journal holds %d records for %d calls (expected %d)%n",
          scenario.label(), records, calls, expected);
    }
  }

  private static long journalRecords(Path dataDir) {
    Path dir = dataDir.resolve("journal");
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.list(dir)) {
      long records = 0;
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".jsonl"))::iterator) {
        try (Stream<String> lines = Files.lines(f)) {
          records += lines.filter(l -> !l.isBlank()).count();
        }
      }
      return records;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static void print(Options options, String java, List<String> rows, List<String> baselineRows, List<String> notes) {
    System.out.printf(Locale.ROOT, "Java %s (%s), %d CPUs, %s; %d rounds x (%d s warm-up + %d s measured) per side, "
        + "1 client thread, server in the harness JVM.%n%n", java, options.java, Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name") + " " + System.getProperty("os.arch"), options.rounds, options.warmupSeconds,
        options.measureSeconds);
    System.out.println("| client | scenario | calls/s without | calls/s with | throughput ratio | rounds' ratios "
        + "| p50 without | p50 with | p50 ratio | p99 without | p99 with | p99 ratio | CPU/call without | CPU/call with | CPU ratio |");
    System.out.println("|---|---|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    rows.forEach(System.out::println);
    System.out.println();
    if (!baselineRows.isEmpty()) {
      System.out.printf(Locale.ROOT, "--agent %s against --baseline %s, CPU per call (with --agent minus with the baseline: "
          + "the median of each round's own difference):%n%n", options.agentJar, options.baselineWorkNanos < 0 ? options.baselineJar
              : "no agent and " + options.baselineWorkNanos / 1000 + " us of the application's own CPU work per call");
      System.out.println("| client | scenario | CPU/call without | baseline adds | agent adds | agent − baseline | rounds' range "
          + "| throughput ratio, baseline | throughput ratio, agent |");
      System.out.println("|---|---|---:|---:|---:|---:|---|---:|---:|");
      baselineRows.forEach(System.out::println);
      System.out.println();
    }
    notes.forEach(System.out::println);
  }
}
