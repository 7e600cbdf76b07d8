package dev.tollgate.benchmarks.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a child JVM runs with: no agent, Tollgate, or the OpenTelemetry agent as a reference. */
enum Agent {
  NONE("no agent"),
  TOLLGATE("Tollgate"),
  OTEL("OpenTelemetry agent");

  final String label;

  Agent(String label) {
    this.label = label;
  }

  /** The JVM options that attach this agent; Tollgate's get a fresh data dir and the given properties. */
  List<String> jvmArgs(Options options, Map<String, String> tollgateProps) {
    return jvmArgs(options, options.agentJar, tollgateProps);
  }

  /** As {@link #jvmArgs(Options, Map)}, Tollgate's from {@code tollgateJar} (an earlier build, to compare two). */
  List<String> jvmArgs(Options options, Path tollgateJar, Map<String, String> tollgateProps) {
    List<String> args = new ArrayList<>();
    if (this == TOLLGATE) {
      args.add("-javaagent:" + tollgateJar);
      args.add("-Dtollgate.data-dir=" + freshDataDir());
      tollgateProps.forEach((k, v) -> args.add("-D" + k + "=" + v));
    } else if (this == OTEL) {
      args.add("-javaagent:" + options.otelJar);
      args.addAll(List.of("-Dotel.traces.exporter=none", "-Dotel.metrics.exporter=none", "-Dotel.logs.exporter=none"));
    }
    return args;
  }

  static Path dataDir(List<String> jvmArgs) {
    for (String arg : jvmArgs) {
      if (arg.startsWith("-Dtollgate.data-dir=")) {
        return Path.of(arg.substring("-Dtollgate.data-dir=".length()));
      }
    }
    throw new IllegalArgumentException("no data dir in " + jvmArgs);
  }

  /** Removes the fresh data dir a Tollgate child got, if it got one. */
  static void deleteDataDir(List<String> jvmArgs) throws IOException {
    if (jvmArgs.stream().noneMatch(a -> a.startsWith("-Dtollgate.data-dir="))) {
      return;
    }
    try (java.util.stream.Stream<Path> files = Files.walk(dataDir(jvmArgs))) {
      for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  private static Path freshDataDir() {
    try {
      return Files.createTempDirectory("tollgate-bench");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
