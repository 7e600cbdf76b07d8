package dev.tollgate.agent.cli;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.TollgateAgent;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar tollgate-agent.jar attach <pid> [--data-dir DIR] [--json] [key=value …]}: loads
 * this jar as an agent into a running JVM. Clients it already built are metered too (their classes
 * are retransformed). The options are the agent arguments, {@code
 * tollgate.} optional; {@code --data-dir DIR} is {@code data-dir=DIR}. With {@code --json} the result
 * is one line, {@code {"attached","pid"[,"already_attached"][,"error"]}}, on standard output. A JVM that already
 * runs the agent is left as it is: with settings given, that is a failure naming them.
 */
final class Attach {
  private static final String USAGE = "usage: java -jar tollgate-agent.jar attach <pid> [--data-dir DIR] [--json] [key=value ...]";

  private Attach() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    String pid = null;
    boolean json = false;
    List<String> options = new ArrayList<>();
    try {
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        if (a.equals("--json")) {
          json = true;
        } else if (a.equals("--data-dir")) {
          options.add("data-dir=" + dataDirArgument(Cli.value(args, ++i, a)));
        } else if (pid == null && a.matches("\\d+")) {
          pid = a;
        } else if (a.indexOf('=') > 0 && !a.startsWith("-")) {
          options.add(a);
        } else {
          throw new IllegalArgumentException("unexpected argument '" + a + "'");
        }
      }
      if (pid == null) {
        throw new IllegalArgumentException("attach needs the pid of a running JVM");
      }
    } catch (IllegalArgumentException e) {
      err.println("tollgate: " + e.getMessage() + "\n" + USAGE);
      return 2;
    }
    String failure;
    boolean already = false;
    try {
      already = attach(pid, String.join(",", options));
      // The settings of a JVM that already runs the agent stay as it started with: say so, never "attached".
      failure = already && !options.isEmpty() ? "the agent is already attached to " + pid + "; " + TollgateAgent.notApplied(options)
          : null;
    } catch (IOException e) {
      failure = e.getMessage();
    }
    if (json) {
      ObjectNode n = Cli.JSON.createObjectNode().put("attached", failure == null).put("pid", Long.parseLong(pid));
      if (already) {
        n.put("already_attached", true);
      }
      out.println(failure == null ? n.toString() : n.put("error", failure).toString());
    } else if (already && failure == null) {
      out.println("tollgate: the agent is already attached to " + pid + "; nothing to do");
    } else if (failure == null) {
      out.println("tollgate: attached to " + pid + "; the agent logs to that JVM's stderr");
    }
    if (failure != null) {
      err.println("tollgate: " + failure);
    }
    return failure == null ? 0 : 1;
  }

  /** An agent argument cannot hold a comma: it separates the arguments. */
  private static String dataDirArgument(String dir) {
    if (dir.indexOf(',') >= 0) {
      throw new IllegalArgumentException("--data-dir cannot contain ',' when attaching (it separates agent arguments), was '" + dir + "'");
    }
    return Path.of(dir).toAbsolutePath().toString(); // the target JVM's working directory may differ
  }

  /**
   * Loads the agent into {@code pid} unless it runs there already ({@link TollgateAgent#ATTACHED_PROPERTY}
   * among its system properties); returns whether it did.
   *
   * @throws IOException saying what went wrong
   */
  private static boolean attach(String pid, String options) throws IOException {
    VirtualMachine vm;
    try {
      vm = VirtualMachine.attach(pid);
    } catch (AttachNotSupportedException | IOException e) {
      throw new IOException("cannot attach to " + pid + ": " + e.getMessage()
          + " (the target must be a running JVM of the same user, and this command must run on a JDK)", e);
    }
    try {
      if (vm.getSystemProperties().getProperty(TollgateAgent.ATTACHED_PROPERTY) != null) {
        return true;
      }
      String jar = Path.of(Attach.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
      vm.loadAgent(jar, options.isEmpty() ? null : options);
      return false;
    } catch (AgentLoadException | AgentInitializationException | IOException | URISyntaxException e) {
      throw new IOException("attaching to " + pid + " failed: " + e.getMessage(), e);
    } finally {
      vm.detach();
    }
  }
}
