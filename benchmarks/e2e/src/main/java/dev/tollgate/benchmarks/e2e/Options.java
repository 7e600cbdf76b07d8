package dev.tollgate.benchmarks.e2e;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The harness's command line: {@code overhead|startup [--option value …]}, defaults for the repository root. */
final class Options {
  String command;
  String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
  Path agentJar = Path.of("agent/target/tollgate-agent.jar").toAbsolutePath();
  Path otelJar = harnessJar().resolveSibling("opentelemetry-javaagent.jar");
  /** Overhead: an earlier Tollgate jar run in the same rounds, so two builds compare under the same load. */
  Path baselineJar;
  /**
   * {@code --baseline work:N}: the baseline is no agent with N µs of the application's own CPU work after each call
   * (a control: what any per-call work of that size costs the client, agent or not); -1 when not given.
   */
  long baselineWorkNanos = -1;
  int rounds = 5;
  int warmupSeconds = 5;
  int measureSeconds = 5;
  int startupRuns = 10;
  List<String> clients = List.of("okhttp", "jdk");
  List<String> scenarios = List.of("metered-json", "plain-json", "metered-stream");
  /** Startup: Tollgate configurations (system properties) to compare, instead of Tollgate as is and the OpenTelemetry agent. */
  List<Map<String, String>> variants = List.of();
  /** When set, Tollgate children record a JFR profile into this directory. */
  Path jfrDir;

  /** Whether each round also runs a baseline: an earlier jar, or no agent with the application's own work. */
  boolean hasBaseline() {
    return baselineJar != null || baselineWorkNanos >= 0;
  }

  static Options parse(String[] argv) {
    Options o = new Options();
    if (argv.length == 0 || !(argv[0].equals("overhead") || argv[0].equals("startup"))) {
      throw new IllegalArgumentException(usage());
    }
    o.command = argv[0];
    for (int i = 1; i < argv.length; i += 2) {
      if (i + 1 >= argv.length) {
        throw new IllegalArgumentException(argv[i] + " needs a value\n" + usage());
      }
      o.set(argv[i], argv[i + 1]);
    }
    o.requireFile(o.agentJar, "--agent (build it: ./mvnw -q -pl benchmarks/e2e -am package -DskipTests)");
    o.requireFile(Path.of(o.java), "--java");
    if (o.baselineJar != null) {
      o.requireFile(o.baselineJar, "--baseline");
    }
    if (o.command.equals("startup") && o.variants.isEmpty()) {
      o.requireFile(o.otelJar, "--otel");
    }
    return o;
  }

  private void set(String key, String value) {
    switch (key) {
      case "--java":
        java = value;
        break;
      case "--agent":
        agentJar = Path.of(value).toAbsolutePath();
        break;
      case "--baseline":
        if (value.startsWith("work:")) {
          baselineWorkNanos = 1000L * positive(key, value.substring("work:".length()));
        } else {
          baselineJar = Path.of(value).toAbsolutePath();
        }
        break;
      case "--otel":
        otelJar = Path.of(value).toAbsolutePath();
        break;
      case "--rounds":
        rounds = positive(key, value);
        break;
      case "--warmup":
        warmupSeconds = positive(key, value);
        break;
      case "--measure":
        measureSeconds = positive(key, value);
        break;
      case "--runs":
        startupRuns = positive(key, value);
        break;
      case "--clients":
        clients = List.of(value.split(","));
        break;
      case "--scenarios":
        scenarios = List.of(value.split(","));
        break;
      case "--variants":
        variants = variants(value);
        break;
      case "--jfr":
        jfrDir = Path.of(value).toAbsolutePath();
        break;
      default:
        throw new IllegalArgumentException("unknown option " + key + "\n" + usage());
    }
  }

  /** {@code k=v,k=v;k=v}: configurations separated by {@code ;}, each its properties. */
  static List<Map<String, String>> variants(String value) {
    List<Map<String, String>> out = new ArrayList<>();
    for (String variant : value.split(";")) {
      Map<String, String> props = new LinkedHashMap<>();
      for (String pair : variant.split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0) {
          throw new IllegalArgumentException("--variants: each property is key=value, but was '" + pair + "'");
        }
        props.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
      out.add(props);
    }
    return out;
  }

  private static int positive(String key, String value) {
    int n = Integer.parseInt(value);
    if (n <= 0) {
      throw new IllegalArgumentException(key + " must be greater than 0 but was " + value);
    }
    return n;
  }

  private void requireFile(Path file, String option) {
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException(file + " not found; set " + option);
    }
  }

  /** The harness jar (whose manifest class path the children share), or the classes directory in an IDE. */
  static Path harnessJar() {
    try {
      return Path.of(Options.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The children's class path: the harness jar, whose manifest names target/lib/*. */
  static String childClasspath() {
    return harnessJar().toString();
  }

  static String usage() {
    List<String> lines = new ArrayList<>();
    lines.add("usage: java -jar benchmarks/e2e/target/e2e.jar overhead|startup [options]   (from the repository root)");
    lines.add("  --java PATH        the children's java (default: this JVM's)");
    lines.add("  --agent JAR        default agent/target/tollgate-agent.jar");
    lines.add("  --baseline JAR     overhead: also run this earlier agent jar in every round (no agent, it and --agent");
    lines.add("                     in rotating order) and report what --agent adds or saves per call against it;");
    lines.add("                     'work:N' instead runs no agent with N us of the application's own CPU work per call");
    lines.add("  --otel JAR         default target/opentelemetry-javaagent.jar next to e2e.jar (startup)");
    lines.add("  --rounds N         overhead rounds, each one child without and one with the agent (5)");
    lines.add("  --warmup S         seconds of warm-up per child (5; the first OpenAI call loads the tokenizer)");
    lines.add("  --measure S        seconds measured per child (5)");
    lines.add("  --clients LIST     okhttp,jdk");
    lines.add("  --scenarios LIST   metered-json,plain-json,metered-stream,plain-stream");
    lines.add("  --jfr DIR          record a JFR profile of every Tollgate child into DIR");
    lines.add("  --runs N           startup runs per configuration (10)");
    lines.add("  --variants LIST    startup: compare Tollgate configurations instead of Tollgate and the OpenTelemetry agent;");
    lines.add("                     ';' between configurations, each 'key=value,…' system properties, e.g.");
    lines.add("                     'tollgate.unmetered-traffic=off;tollgate.unmetered-traffic=warn'");
    return String.join("\n", lines);
  }
}
