package dev.tollgate.benchmarks.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A forked child JVM: its command, and what it printed, timed from spawn to its first line. */
final class Child {
  final long firstLineNanos;
  final List<String> lines;

  Child(long firstLineNanos, List<String> lines) {
    this.firstLineNanos = firstLineNanos;
    this.lines = lines;
  }

  static List<String> command(Options options, List<String> jvmArgs, Class<?> main, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add(options.java);
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(Options.childClasspath());
    cmd.add(main.getName());
    cmd.addAll(List.of(args));
    return cmd;
  }

  /** Runs the command to its end; fails with its output if it exits non-zero. */
  static Child run(List<String> command) throws IOException, InterruptedException {
    Path stderr = Files.createTempFile("e2e-child", ".err");
    ProcessBuilder pb = new ProcessBuilder(command).redirectError(stderr.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("TOLLGATE_") || k.startsWith("OTEL_") || k.equals("JAVA_TOOL_OPTIONS"));
    long start = System.nanoTime();
    Process process = pb.start();
    List<String> lines = new ArrayList<>();
    long firstLine = -1;
    try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = out.readLine()) != null;) {
        if (firstLine < 0) {
          firstLine = System.nanoTime() - start;
        }
        lines.add(line);
      }
    }
    if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IllegalStateException("child failed: " + command + "\nstdout:\n" + String.join("\n", lines)
          + "\nstderr:\n" + Files.readString(stderr));
    }
    Files.delete(stderr);
    return new Child(firstLine, lines);
  }

  /** The value after {@code prefix + " "} on the line that starts with it. */
  String value(String prefix) {
    for (String line : lines) {
      if (line.startsWith(prefix + " ")) {
        return line.substring(prefix.length() + 1).trim();
      }
    }
    throw new IllegalStateException("no " + prefix + " line in " + lines);
  }

  /** {@code key=value} from the line that starts with {@code prefix}. */
  String field(String prefix, String key) {
    for (String field : value(prefix).split(" ")) {
      if (field.startsWith(key + "=")) {
        return field.substring(key.length() + 1);
      }
    }
    throw new IllegalStateException("no " + key + " in " + value(prefix));
  }
}
