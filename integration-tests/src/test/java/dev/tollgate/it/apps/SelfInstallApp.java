package dev.tollgate.it.apps;

import dev.tollgate.agent.TollgateAgent;

/** An app that cannot change its JVM flags: it installs the agent itself, first thing in main. */
public final class SelfInstallApp {
  public static void main(String[] argv) throws Exception {
    System.out.println("INSTALLED " + TollgateAgent.install(argv[0]));
    System.out.println("AGAIN " + TollgateAgent.install(argv[0]));
    OkHttpApp.main(java.util.Arrays.copyOfRange(argv, 1, argv.length));
  }
}
