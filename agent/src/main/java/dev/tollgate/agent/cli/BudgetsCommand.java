package dev.tollgate.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.budget.BudgetSpec;
import dev.tollgate.agent.budget.Budgets;
import dev.tollgate.agent.budget.BudgetsFile;
import dev.tollgate.agent.budget.BudgetsFileWatcher;
import dev.tollgate.agent.budget.JournalPeriodSpend;
import dev.tollgate.agent.config.ConfigException;
import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.api.BudgetStatus;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * {@code java -jar tollgate-agent.jar budgets [--data-dir DIR] [--json]}: every configured budget in
 * its current period, as the application's configuration (system properties, environment, config
 * file) defines them and the data dir's journal has spent them. {@code --json} prints {@code
 * {"budgets":[{"scope","period","limit","spent","reserved","remaining","resets_at"}]}}; reserved is
 * what a running application holds, so it is 0 here.
 */
final class BudgetsCommand {
  private static final String USAGE = "usage: java -jar tollgate-agent.jar budgets [--data-dir DIR] [--json]";

  private BudgetsCommand() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    Cli.DirAndJson options;
    try {
      options = Cli.DirAndJson.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("tollgate: " + e.getMessage() + "\n" + USAGE);
      return 2;
    }
    String dir = options.dataDir;
    boolean json = options.json;
    Path dataDir = null;
    try {
      TollgateConfig config = TollgateConfig.load(ConfigSource.fromJvm(null));
      dataDir = Cli.existingDataDir(dir);
      List<BudgetStatus> budgets = read(config, dataDir, Clock.systemUTC());
      if (json) {
        printJson(budgets, out);
      } else {
        printText(budgets, out);
      }
      return 0;
    } catch (ConfigException e) {
      err.println("tollgate: " + e.getMessage());
      return 2;
    } catch (BudgetsFile.Invalid e) {
      err.println("tollgate: " + e.getMessage()); // a configuration error, as an invalid tollgate.* key
      return 2;
    } catch (IOException e) {
      err.println(Cli.problem("cannot read", dataDir, e));
      return 1;
    }
  }

  /** The budgets {@code config} defines, with what the journal in {@code dataDir} holds for their current periods. */
  static List<BudgetStatus> read(TollgateConfig config, Path dataDir, Clock clock) throws IOException, BudgetsFile.Invalid {
    // Only the budgets in force are listed; doctor names a file budget a key overrides.
    List<BudgetSpec> specs = BudgetsFileWatcher.all(config.budgets.keyed, config.budgets.file, config.budgets.alerts, overridden -> {});
    Instant now = clock.instant();
    JournalPeriodSpend spend = Budgets.journalSpend(specs, config.budgets.zone, now).recover(dataDir);
    try (Budgets budgets = new Budgets(specs, config.budgets.zone, clock, spend, (s, t) -> {})) {
      return budgets.statuses();
    }
  }

  private static void printJson(List<BudgetStatus> budgets, PrintStream out) throws IOException {
    ObjectNode root = Cli.JSON.createObjectNode();
    ArrayNode array = root.putArray("budgets");
    for (BudgetStatus b : budgets) {
      ObjectNode n = array.addObject();
      ObjectNode scope = n.putObject("scope");
      b.scope().forEach(scope::put);
      n.put("period", b.period()).put("limit", b.limit()).put("spent", b.spent()).put("reserved", b.reserved()).put("remaining",
          b.remaining());
      if (b.resetsAt() == null) {
        n.putNull("resets_at");
      } else {
        n.put("resets_at", b.resetsAt().toString());
      }
    }
    out.println(Cli.JSON.writeValueAsString(root));
  }

  private static void printText(List<BudgetStatus> budgets, PrintStream out) {
    if (budgets.isEmpty()) {
      out.println("no budgets configured (tollgate.budget=LIMIT/PERIOD, tollgate.budget.<dimension>.<value>, tollgate.budgets-file)");
      return;
    }
    Table table = new Table("SCOPE", "PERIOD", "LIMIT", "SPENT", "RESERVED", "REMAINING", "RESETS AT");
    for (BudgetStatus b : budgets) {
      table.row(scope(b), b.period(), b.limit().toPlainString(), b.spent().toPlainString(), b.reserved().toPlainString(),
          b.remaining().toPlainString(), b.resetsAt() == null ? "never" : b.resetsAt().toString());
    }
    table.print(out);
  }

  /** {@code tenant=acme,feature=chat}, or {@code wallet}. */
  static String scope(BudgetStatus b) {
    if (b.scope().isEmpty()) {
      return "wallet";
    }
    StringBuilder s = new StringBuilder();
    b.scope().forEach((k, v) -> s.append(s.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return s.toString();
  }
}
