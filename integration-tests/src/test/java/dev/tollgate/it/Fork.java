package dev.tollgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real JVM, forked with {@code -javaagent:agent/target/tollgate-agent.jar}, running one of the
 * app mains in {@code apps/} on one of the {@code it-classpaths/} scenario classpaths.
 */
final class Fork {
  static final Path ROOT = Path.of(System.getProperty("tollgate.it.root", "..")).toAbsolutePath().normalize();
  static final Path AGENT_JAR = ROOT.resolve("agent/target/tollgate-agent.jar");
  static final String JAVA = System.getProperty("tollgate.it.java", Path.of(System.getProperty("java.home"), "bin", "java").toString());

  /**
   * JVM options for a JVM that lives for seconds: C1 alone and the serial collector, the usual choice for short JVMs (a
   * one-call OkHttp fork with the agent: 2.2 to 2.8 s of CPU against 3.0 to 3.6 s with the defaults; a CLI {@code report}
   * of a small data dir 0.34 to 0.40 s of user CPU against 0.46 to 0.54 s). Nothing a test asserts depends on the JIT or
   * the collector. A fork that computes for many seconds does better with the defaults ({@link #withDefaultJit}).
   */
  static final List<String> SHORT_LIVED = List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

  private final String scenario;
  private final String mainClass;
  private boolean agent = true;
  private boolean agentOnClasspath;
  private boolean nestedLoader;
  private boolean c1Only = true;
  private final List<String> jvmArgs = new ArrayList<>();
  private final List<String> launcher = new ArrayList<>();
  private String agentArgs;
  private final Map<String, String> props = new LinkedHashMap<>();
  private final List<String> args = new ArrayList<>();
  private final Map<String, String> env = new LinkedHashMap<>();
  private Path stdin;
  private String countedAs = "";

  private Fork(String scenario, String mainClass) {
    this.scenario = scenario;
    this.mainClass = mainClass;
  }

  static Fork app(String scenario, Class<?> main) {
    return new Fork(scenario, main.getName());
  }

  /** Runs the agent jar's CLI: {@code java -jar tollgate-agent.jar <args>}. */
  static Result cli(String... cliArgs) {
    return cli(Map.of(), cliArgs);
  }

  /**
   * Runs the CLI with system properties ({@code java -Dk=v … -jar tollgate-agent.jar <args>}) and no {@code TOLLGATE_} variable,
   * with the {@linkplain #SHORT_LIVED short-lived JVM's options}, as every app fork.
   */
  static Result cli(Map<String, String> props, String... cliArgs) {
    return cli(60, SHORT_LIVED, props, cliArgs);
  }

  /**
   * Runs the CLI with exactly these JVM options (such as {@code -Xmx64m}; none of {@link #SHORT_LIVED}'s unless given), failing
   * after {@code timeoutSeconds} (a deadline for a stuck fork).
   */
  static Result cli(int timeoutSeconds, List<String> jvmArgs, Map<String, String> props, String... cliArgs) {
    List<String> cmd = new ArrayList<>(List.of(JAVA));
    cmd.addAll(jvmArgs);
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.addAll(List.of("-jar", AGENT_JAR.toString()));
    cmd.addAll(List.of(cliArgs));
    countFork("");
    ProcessBuilder pb = new ProcessBuilder(cmd);
    pb.environment().keySet().removeIf(k -> k.startsWith("TOLLGATE_"));
    return exec(pb, timeoutSeconds);
  }

  /** Counts this JVM in {@code forks.log} as {@code owner}'s (by default, the IT class on the stack). */
  Fork countedAs(String owner) {
    countedAs = owner;
    return this;
  }

  Fork withoutAgent() {
    agent = false;
    return this;
  }

  /** Runs without {@code -javaagent}, with the agent jar on the class path (for self-install). */
  Fork withAgentJarOnClasspath() {
    agent = false;
    agentOnClasspath = true;
    return this;
  }

  /** Runs the app in a child class loader holding the scenario's libraries (see {@code NestedLoaderApp}). */
  Fork inNestedLoader() {
    nestedLoader = true;
    return this;
  }

  Fork agentArgs(String a) {
    agentArgs = a;
    return this;
  }

  /**
   * Starts the JVM through a bash {@code script} run first in the same process (for example {@code
   * ulimit -f 4}); with {@code prefix}, through that command (for example {@code unshare -m}) running bash.
   */
  Fork launchedBy(String script, String... prefix) {
    launcher.addAll(List.of(prefix));
    launcher.addAll(List.of("bash", "-c", script + " && exec \"$@\"", "bash"));
    return this;
  }

  /**
   * Leaves the JIT at the JVM's default (C1 then C2) instead of C1 alone: for a fork that computes for
   * many seconds, where C2 pays for itself (HistoryScaleIT's first start, reading a million journal
   * records: 18.7 s of user CPU with C1 alone, 9.5 to 13.3 s with C2). Nothing a test asserts depends on the JIT.
   */
  Fork withDefaultJit() {
    c1Only = false;
    return this;
  }

  /** A JVM option such as {@code -Xmx64m}. */
  Fork jvmArgs(String... args) {
    jvmArgs.addAll(List.of(args));
    return this;
  }

  Fork jvmArg(String arg) {
    jvmArgs.add(arg);
    return this;
  }

  Fork props(Map<String, String> all) {
    props.putAll(all);
    return this;
  }

  Fork prop(String key, Object value) {
    props.put(key, String.valueOf(value));
    return this;
  }

  /** Sets {@code tollgate.endpoint.<name>.url} and {@code .format}. */
  Fork endpoint(String name, String url, String format) {
    return prop("tollgate.endpoint." + name + ".url", url).prop("tollgate.endpoint." + name + ".format", format);
  }

  Fork env(String key, Object value) {
    env.put(key, String.valueOf(value));
    return this;
  }

  Fork args(Object... a) {
    for (Object o : a) {
      args.add(String.valueOf(o));
    }
    return this;
  }

  /** Feeds the file to the JVM's standard input (a {@code ScenarioDriver} script). */
  Fork stdin(Path file) {
    stdin = file;
    return this;
  }

  Result run() {
    return run(120);
  }

  /** Runs the JVM to its end, failing after {@code timeoutSeconds} (a deadline for a stuck fork, not a timing assertion). */
  Result run(int timeoutSeconds) {
    return exec(builder(), timeoutSeconds);
  }

  Process start() throws IOException {
    return builder().start();
  }

  /** Starts the JVM with its standard error going to {@code stderr}, so only standard output needs reading. */
  Process start(Path stderr) throws IOException {
    return builder().redirectError(stderr.toFile()).start();
  }

  private ProcessBuilder builder() {
    countFork(countedAs);
    ProcessBuilder pb = new ProcessBuilder(command());
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    pb.environment().keySet().removeIf(k -> k.startsWith("TOLLGATE_"));
    pb.environment().putAll(env);
    return pb;
  }

  List<String> command() {
    List<String> cmd = new ArrayList<>();
    String times = System.getenv("IT_FORK_TIMES");
    if (times != null) {
      // Measuring only (docs/contributing/running-tests.md): each JVM's wall, user and system seconds and its IT, a line in that file.
      // A test that kills its JVM then kills /usr/bin/time instead, and fails: not for those.
      cmd.addAll(List.of("/usr/bin/time", "-a", "-o", times, "-f", "%e %U %S " + (countedAs.isEmpty() ? caller() : countedAs)));
    }
    cmd.addAll(launcher);
    cmd.add(JAVA);
    cmd.add("-Xshare:auto");
    String extra = System.getenv("IT_FORK_JVM_ARGS");
    if (extra != null) {
      cmd.addAll(List.of(extra.trim().split(" +"))); // measuring only: JVM options to time against the ones below
    }
    // Forked apps live for seconds: SHORT_LIVED's options, C1 alone unless withDefaultJit().
    cmd.addAll(c1Only ? SHORT_LIVED : List.of("-XX:+UseSerialGC"));
    cmd.addAll(jvmArgs);
    if (agent) {
      cmd.add("-javaagent:" + AGENT_JAR + (agentArgs == null ? "" : "=" + agentArgs));
    }
    String after = System.getenv("IT_FORK_JVM_ARGS_AFTER_AGENT");
    if (after != null) {
      cmd.addAll(List.of(after.trim().split(" +"))); // by hand only: another Java agent listed after Tollgate's
    }
    props.forEach((k, v) -> cmd.add("-D" + k + "=" + v));
    cmd.add("-cp");
    if (nestedLoader) {
      cmd.add(classpath("jdk"));
      cmd.add(dev.tollgate.it.apps.NestedLoaderApp.class.getName());
      cmd.add(classpath(scenario));
    } else {
      cmd.add(classpath(scenario) + (agentOnClasspath ? java.io.File.pathSeparator + AGENT_JAR : ""));
    }
    cmd.add(mainClass);
    cmd.addAll(args);
    return cmd;
  }

  /** The IT class on the stack (for a test method a class inherits, the class that declares it). */
  private static String caller() {
    return StackWalker.getInstance().walk(frames -> frames.map(StackWalker.StackFrame::getClassName)
        .filter(c -> c.endsWith("IT")).findFirst().orElse("?"));
  }

  /**
   * Appends {@code owner} (by default the calling IT class) to {@code integration-tests/target/forks.log}, one line per forked
   * JVM, so a build can count its forks ({@code sort | uniq -c}); see docs/contributing/running-tests.md.
   */
  private static void countFork(String owner) {
    String caller = owner.isEmpty() ? caller() : owner;
    try {
      Files.writeString(ROOT.resolve("integration-tests/target/forks.log"), caller + "\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String classpath(String scenario) {
    try {
      // "jdk": an app that needs nothing beyond the JDK (and the Tollgate API).
      String libs = scenario.equals("jdk") ? "" : Files.readString(ROOT.resolve("it-classpaths/" + scenario + "/target/classpath.txt"))
          .trim();
      return String.join(java.io.File.pathSeparator,
          ROOT.resolve("integration-tests/target/test-classes").toString(),
          ROOT.resolve("api/target/classes").toString(),
          libs);
    } catch (IOException e) {
      throw new UncheckedIOException("scenario classpath " + scenario + " not built: run ./mvnw verify from the root", e);
    }
  }

  private static Result exec(ProcessBuilder pb, int timeoutSeconds) {
    List<String> cmd = pb.command();
    try {
      Path out = Files.createTempFile("fork", ".out");
      Path err = Files.createTempFile("fork", ".err");
      Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
      if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor();
        throw new AssertionError("forked JVM did not finish in " + timeoutSeconds + "s: " + cmd + "\nstdout:\n"
            + Files.readString(out) + "\nstderr:\n" + Files.readString(err));
      }
      Result r = new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
      Files.delete(out);
      Files.delete(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  /** What a forked JVM printed. */
  static final class Result {
    final int exit;
    final String stdout;
    final String stderr;

    Result(int exit, String stdout, String stderr) {
      this.exit = exit;
      this.stdout = stdout;
      this.stderr = stderr;
    }

    List<String> lines(String prefix) {
      List<String> result = new ArrayList<>();
      for (String line : stdout.split("\n")) {
        if (line.startsWith(prefix)) {
          result.add(line.substring(prefix.length()).trim());
        }
      }
      return result;
    }

    /** The stderr lines the agent printed. */
    List<String> agentLog() {
      List<String> result = new ArrayList<>();
      for (String line : stderr.split("\n")) {
        if (line.startsWith("[tollgate]")) {
          result.add(line);
        }
      }
      return result;
    }

    @Override
    public String toString() {
      return "exit=" + exit + "\n--- stdout\n" + stdout + "--- stderr\n" + stderr;
    }
  }
}
