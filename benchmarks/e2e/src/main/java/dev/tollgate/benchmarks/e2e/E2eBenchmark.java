package dev.tollgate.benchmarks.e2e;

/**
 * The harness's entry point, run from the repository root after
 * {@code ./mvnw -q -pl benchmarks/e2e -am package -DskipTests}:
 *
 * <pre>
 * java -jar benchmarks/e2e/target/e2e.jar overhead [options]   # throughput and latency, with / without the agent
 * java -jar benchmarks/e2e/target/e2e.jar startup [options]    # time to first line, heap, classes, jar size
 * </pre>
 *
 * Progress goes to standard error, the Markdown tables to standard output.
 */
public final class E2eBenchmark {
  private E2eBenchmark() {}

  public static void main(String[] args) throws Exception {
    Options options;
    try {
      options = Options.parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    if (options.command.equals("overhead")) {
      Overhead.run(options);
    } else {
      Startup.run(options);
    }
  }
}
