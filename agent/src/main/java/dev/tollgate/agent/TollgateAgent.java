package dev.tollgate.agent;

import java.lang.instrument.Instrumentation;

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
