package dev.tollgate.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * {@code java -jar tollgate-agent.jar attach <pid> [key=value …]}: loads this jar as an agent into a
 * running JVM. Clients it already built are metered too (their classes are retransformed);
 * attaching again is harmless. The options are the agent arguments, {@code tollgate.} optional.
 */
final class Attach {
  private Attach() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length < 2 || !args[1].matches("\\d+")) {
      err.println("usage: java -jar tollgate-agent.jar attach <pid> [key=value ...]");
      return 2;
    }
    String pid = args[1];
    String options = String.join(",", Arrays.copyOfRange(args, 2, args.length));
    try {
      String jar = Path.of(Attach.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
      VirtualMachine vm;
      try {
        vm = VirtualMachine.attach(pid);
      } catch (AttachNotSupportedException | IOException e) {
        err.println("tollgate: cannot attach to " + pid + ": " + e.getMessage()
            + " (the target must be a running JVM of the same user, and this command must run on a JDK)");
        return 1;
      }
      try {
        vm.loadAgent(jar, options.isEmpty() ? null : options);
      } finally {
        vm.detach();
      }
      out.println("tollgate: attached to " + pid + "; the agent logs to that JVM's stderr");
      return 0;
    } catch (AgentLoadException | AgentInitializationException | IOException | URISyntaxException e) {
      err.println("tollgate: attaching to " + pid + " failed: " + e.getMessage());
    }
    return 1;
  }
}
