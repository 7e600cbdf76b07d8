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
  /**
   * Set in a JVM the agent started in (to its version): {@code attach} reads it through the attach API
   * and says the agent is already there, rather than loading it again to no effect; {@link #install}
   * reads it in its own JVM. Not a {@code tollgate.} key, which the configuration would read.
   */
  public static final String ATTACHED_PROPERTY = "dev.tollgate.agent.attached";

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
    if (System.getProperty(ATTACHED_PROPERTY) != null) {
      if (!options.isBlank()) {
        System.err.println("[tollgate] WARN agent already attached to this JVM; " + notApplied(List.of(options.split(","))));
      }
      return true;
    }
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

  /**
   * What an attach to a JVM that already runs the agent did not change: the settings' keys only (a
   * value may be a secret). Settings take effect when the agent starts.
   */
  public static String notApplied(List<String> options) {
    List<String> keys = new ArrayList<>();
    for (String option : options) {
      String o = option.trim();
      if (!o.isEmpty()) {
        keys.add(o.indexOf('=') > 0 ? o.substring(0, o.indexOf('=')) : o);
      }
    }
    return "the settings given (" + String.join(", ", keys) + ") were not applied: the agent reads its settings when it starts; "
        + "restart the application with them";
  }

  private static String version() {
    String v = TollgateAgent.class.getPackage().getImplementationVersion();
    return v == null ? "unknown" : v;
  }

  private static void start(String args, Instrumentation inst) {
    try {
      if (!BootstrapInjector.inject(inst)) {
        System.err.println("[tollgate] INFO agent already attached to this JVM; nothing to do");
        return;
      }
      System.setProperty(ATTACHED_PROPERTY, version());
      AgentInstaller.install(args, inst);
    } catch (Throwable t) {
      System.err.println("[tollgate] ERROR agent failed to start; the application runs unmetered (" + t + ")");
    }
  }
}
