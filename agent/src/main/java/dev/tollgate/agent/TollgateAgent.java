package dev.tollgate.agent;

import java.lang.instrument.Instrumentation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The agent jar's entry points: {@code premain} ({@code -javaagent}), {@code agentmain} (runtime
 * attach) and {@code main} (the CLI). Touches nothing but the bootstrap injector until the shared
 * classes are on the bootstrap class path, and never lets a failure reach the application.
 */
public final class TollgateAgent {
  private TollgateAgent() {}

  public static void premain(String args, Instrumentation inst) {
    start(args, inst);
  }

  public static void agentmain(String args, Instrumentation inst) {
    start(args, inst);
  }

  /** {@link #install(String)} with the configuration from system properties, environment and file only. */
  public static boolean install() {
    return install("");
  }

  /**
   * Installs the agent into this JVM, for applications that cannot change their JVM flags: call it
   * once, first thing in {@code main}, with this jar on the class path. It attaches through a short
   * child JVM ({@code java -jar tollgate-agent.jar attach <this pid>}), because a JVM may not
   * attach to itself by default. Calling it again, or under {@code -javaagent}, is harmless.
   *
   * <p>Never throws: on failure it prints one line and returns false, and the application runs
   * unmetered.
   *
   * @param options agent arguments, {@code key=value} separated by commas ({@code tollgate.} optional)
   * @return true when the agent is attached to this JVM
   */
  public static boolean install(String options) {
    try {
      String javaBin = ProcessHandle.current().info().command().orElse(System.getProperty("java.home") + "/bin/java");
      String jar = Path.of(TollgateAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
      List<String> cmd = new ArrayList<>(List.of(javaBin, "-jar", jar, "attach", Long.toString(ProcessHandle.current().pid())));
      for (String option : options.split(",")) {
        if (!option.isBlank()) {
          cmd.add(option.trim());
        }
      }
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      if (p.waitFor() != 0) {
        System.err.println("[tollgate] ERROR self-install failed; the application runs unmetered (" + output + ")");
        return false;
      }
      return true;
    } catch (Exception e) {
      System.err.println("[tollgate] ERROR self-install failed; the application runs unmetered (" + e + ")");
      return false;
    }
  }

  public static void main(String[] args) {
    System.exit(dev.tollgate.agent.cli.Cli.run(args, System.out, System.err));
  }

  private static void start(String args, Instrumentation inst) {
    try {
      if (!BootstrapInjector.inject(inst)) {
        System.err.println("[tollgate] INFO agent already attached to this JVM; nothing to do");
        return;
      }
      AgentInstaller.install(args, inst);
    } catch (Throwable t) {
      System.err.println("[tollgate] ERROR agent failed to start; the application runs unmetered (" + t + ")");
    }
  }
}
