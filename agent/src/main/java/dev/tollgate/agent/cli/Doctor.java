package dev.tollgate.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.cli.Diagnosis.Check;
import dev.tollgate.agent.cli.Diagnosis.Status;
import dev.tollgate.agent.config.ConfigSource;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * {@code java -jar tollgate-agent.jar doctor [--data-dir DIR] [--json]}: what to run when Tollgate
 * does not behave as expected. One check per line, OK, WARN or FAIL with a short reason (see {@link
 * Diagnosis}); exits 0 when no check failed, 1 otherwise. {@code --json} prints {@code
 * {"checks":[{"name","status","detail"}],"ok","unmetered_traffic":[{"host","port","client",…}]}}. No
 * credential is ever printed.
 */
final class Doctor {
  private static final String USAGE = "usage: java -jar tollgate-agent.jar doctor [--data-dir DIR] [--json]";

  private Doctor() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    return run(args, () -> ConfigSource.fromJvm(null), Clock.systemUTC(), out, err);
  }

  static int run(String[] args, Supplier<ConfigSource> config, Clock clock, PrintStream out, PrintStream err) {
    Cli.DirAndJson options;
    try {
      options = Cli.DirAndJson.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("tollgate: " + e.getMessage() + "\n" + USAGE);
      return 2;
    }
    String dir = options.dataDir;
    boolean json = options.json;
    Diagnosis diagnosis = Diagnosis.run(config, dir, clock);
    List<Check> checks = diagnosis.checks;
    boolean ok = checks.stream().noneMatch(c -> c.status == Status.FAIL);
    try {
      if (json) {
        printJson(diagnosis, ok, out);
      } else {
        printText(checks, out);
      }
    } catch (IOException e) {
      err.println("tollgate: " + e.getMessage());
      return 1;
    }
    return ok ? 0 : 1;
  }

  private static void printJson(Diagnosis diagnosis, boolean ok, PrintStream out) throws IOException {
    ObjectNode root = Cli.JSON.createObjectNode();
    ArrayNode array = root.putArray("checks");
    for (Check c : diagnosis.checks) {
      array.addObject().put("name", c.name).put("status", c.status.name()).put("detail", c.detail);
    }
    root.put("ok", ok);
    UnmeteredTrafficReport.toJson(diagnosis.unmetered, root.putArray("unmetered_traffic"));
    out.println(Cli.JSON.writeValueAsString(root));
  }

  private static void printText(List<Check> checks, PrintStream out) {
    int width = checks.stream().mapToInt(c -> c.name.length()).max().orElse(0);
    for (Check c : checks) {
      out.println(String.format(java.util.Locale.ROOT, "%-4s  %-" + width + "s  %s", c.status, c.name, c.detail));
    }
    long failed = checks.stream().filter(c -> c.status == Status.FAIL).count();
    long warned = checks.stream().filter(c -> c.status == Status.WARN).count();
    out.println(failed == 0 && warned == 0 ? "all checks passed" : failed + " failed, " + warned + " warning(s)");
  }
}
