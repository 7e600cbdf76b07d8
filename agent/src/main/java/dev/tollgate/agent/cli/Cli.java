package dev.tollgate.agent.cli;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.config.ConfigException;
import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.journal.JournalReader;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.wallet.WalletState;
import dev.tollgate.api.UsageRecord;
import dev.tollgate.agent.wallet.Grant;
import dev.tollgate.agent.wallet.Grants;
import dev.tollgate.agent.wallet.LedgerBook;
import dev.tollgate.api.CreditBucket;
import java.time.Instant;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;

/**
 * {@code java -jar tollgate-agent.jar <command> [--data-dir DIR] [--json]}: {@code report [--by
 * model|provider|tenant|day]}, {@code balance}, {@code version}, and {@code estimate} (a dry-run
 * quote, see {@link Estimate}). Reads the data dir only; needs no running application.
 */
public final class Cli {
  // Costs as plain decimals, never in exponent form (a tiny embedding call costs 0.0000001).
  static final ObjectMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
  private static final String USAGE = "usage: java -jar tollgate-agent.jar <report|balance|ledger|grant|estimate|attach|version> [--data-dir DIR] [--json] [--by model|provider|tenant|day]";

  private final PrintStream out;
  private Path dataDir;
  private boolean json;
  private String by = "model";
  /** Whether {@code balance} reads the shared Redis wallet rather than the data dir. */
  private boolean sharedWallet;

  private Cli(PrintStream out) {
    this.out = out;
  }

  /** Runs one command; returns the process exit code (0 ok, 1 failure, 2 usage error). */
  public static int run(String[] args, PrintStream out, PrintStream err) {
    if (args.length == 0) {
      err.println(USAGE);
      return 2;
    }
    if (args[0].equals("attach")) {
      return Attach.run(args, out, err);
    }
    if (args[0].equals("estimate")) {
      return Estimate.run(args, out, err);
    }
    if (args[0].equals("ledger") || args[0].equals("grant")) {
      return LedgerCommands.run(args, out, err);
    }
    Cli cli = new Cli(out);
    try {
      cli.parseOptions(args);
      switch (args[0]) {
        case "report":
          cli.report();
          return 0;
        case "balance":
          cli.balance();
          return 0;
        case "version":
          out.println("tollgate " + version());
          return 0;
        default:
          err.println("unknown command '" + args[0] + "'\n" + USAGE);
          return 2;
      }
    } catch (IllegalArgumentException e) {
      err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    } catch (ConfigException e) {
      err.println("tollgate: " + e.getMessage()); // the data dir comes from a broken configuration
      return 2;
    } catch (IOException e) {
      err.println("tollgate: cannot read " + (cli.sharedWallet ? "the shared wallet" : cli.dataDir) + ": " + e.getMessage());
      return 1;
    }
  }

  private void parseOptions(String[] args) {
    String dir = null;
    for (int i = 1; i < args.length; i++) {
      switch (args[i]) {
        case "--json":
          json = true;
          break;
        case "--data-dir":
          dir = value(args, ++i, "--data-dir");
          break;
        case "--by":
          by = value(args, ++i, "--by");
          Report.keyFunction(by);
          break;
        default:
          throw new IllegalArgumentException("unknown option '" + args[i] + "'");
      }
    }
    dataDir = dataDir(dir);
  }

  /** {@code --data-dir}, else the configured {@code tollgate.data-dir}, else {@code ~/.tollgate}. */
  static Path dataDir(/* @Nullable */ String option) {
    String dir = option != null ? option : ConfigSource.fromJvm(null).get("tollgate.data-dir");
    return Path.of(dir != null ? dir : System.getProperty("user.home") + "/.tollgate").toAbsolutePath();
  }

  static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  private void report() throws IOException {
    List<UsageRecord> records = new ArrayList<>();
    JournalReader.read(dataDir, records::add);
    Report report = Report.of(records, by);
    if (json) {
      ObjectNode root = JSON.createObjectNode();
      root.set("totals", totalsJson(report.totals, false));
      ArrayNode groups = root.putArray("groups");
      report.groups.forEach(g -> groups.add(totalsJson(g, true)));
      out.println(JSON.writeValueAsString(root));
      return;
    }
    Table table = new Table(by.toUpperCase(java.util.Locale.ROOT), "CALLS", "BLOCKED", "INPUT TOKENS", "OUTPUT TOKENS", "COST");
    for (Report.Totals g : report.groups) {
      table.row(g.key, n(g.calls), n(g.blocked), n(g.inputTokens), n(g.outputTokens), g.cost().toPlainString());
    }
    Report.Totals t = report.totals;
    table.row("TOTAL", n(t.calls), n(t.blocked), n(t.inputTokens), n(t.outputTokens), t.cost().toPlainString());
    table.print(out);
  }

  private static ObjectNode totalsJson(Report.Totals t, boolean withKey) {
    ObjectNode n = JSON.createObjectNode();
    if (withKey) {
      n.put("key", t.key);
    }
    n.put("calls", t.calls).put("blocked", t.blocked).put("input_tokens", t.inputTokens).put("output_tokens", t.outputTokens);
    n.put("cost", t.cost());
    return n;
  }

  private void balance() throws IOException {
    ConfigSource config = ConfigSource.fromJvm(null);
    if ("redis".equalsIgnoreCase(config.get("tollgate.wallet"))) {
      sharedWallet = true;
      SharedBalance.print(TollgateConfig.load(config), json, out);
      return;
    }
    WalletState state = WalletState.read(dataDir);
    long spentNanos = 0;
    List<UsageRecord> records = new ArrayList<>();
    JournalReader.read(dataDir, records::add);
    for (UsageRecord r : records) {
      spentNanos += Money.toNanos(r.cost());
    }
    BigDecimal spent = Money.fromNanos(spentNanos);
    BigDecimal budget = state == null ? null : state.budget;
    List<Grant> grants = new ArrayList<>();
    if (budget != null) {
      grants.add(Grant.budget(Money.toNanos(budget)));
    }
    grants.addAll(Grants.read(dataDir));
    Instant now = Instant.now();
    LedgerBook book = LedgerBook.replay(grants, records, null, now);
    BigDecimal balance = grants.isEmpty() ? null : Money.fromNanos(book.balanceNanos(now));
    boolean low = balance != null && budget != null && state != null && balance.compareTo(lowThreshold(state, budget)) < 0;
    List<CreditBucket> buckets = grants.isEmpty() ? List.of() : book.buckets(now);
    if (json) {
      ObjectNode n = JSON.createObjectNode();
      n.put("wallet", "local");
      n.put("balance_credits", balance);
      n.put("warning_low", low);
      n.put("budget", budget);
      n.put("spent", spent);
      ArrayNode array = n.putArray("buckets");
      for (CreditBucket b : buckets) {
        ObjectNode o = array.addObject().put("source_type", b.sourceType()).put("balance", b.balance());
        if (b.expiresAt() == null) {
          o.putNull("expires_at");
        } else {
          o.put("expires_at", b.expiresAt().toString());
        }
      }
      out.println(JSON.writeValueAsString(n));
      return;
    }
    Table table = new Table("WALLET", "BUDGET", "SPENT", "BALANCE", "LOW");
    table.row("local", budget == null ? (grants.isEmpty() ? "none (meter only)" : "-") : budget.toPlainString(), spent.toPlainString(),
        balance == null ? "-" : balance.toPlainString(), low ? "yes" : "no");
    table.print(out);
    if (buckets.size() > 1 || !grants.isEmpty() && budget == null) {
      Table t = new Table("BUCKET", "BALANCE", "EXPIRES");
      for (CreditBucket b : buckets) {
        t.row(b.sourceType(), b.balance().toPlainString(), b.expiresAt() == null ? "never" : b.expiresAt().toString());
      }
      out.println();
      t.print(out);
    }
  }

  private static BigDecimal lowThreshold(WalletState state, BigDecimal budget) {
    String low = state.lowBalance;
    return low.endsWith("%")
        ? budget.multiply(new BigDecimal(low.substring(0, low.length() - 1))).movePointLeft(2)
        : new BigDecimal(low);
  }

  private static String n(long v) {
    return String.format(java.util.Locale.ROOT, "%,d", v);
  }

  static String version() {
    Properties p = new Properties();
    try (InputStream in = Cli.class.getResourceAsStream("/dev/tollgate/agent/version.properties")) {
      if (in != null) {
        p.load(in);
      }
    } catch (IOException e) {
      // fall through to "unknown"
    }
    return p.getProperty("version", "unknown");
  }
}
