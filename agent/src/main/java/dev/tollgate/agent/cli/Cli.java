package dev.tollgate.agent.cli;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.config.ConfigException;
import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.journal.FileProblems;
import dev.tollgate.api.CreditBucket;
import java.time.Instant;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.jspecify.annotations.Nullable;

/**
 * {@code java -jar tollgate-agent.jar <command> [--data-dir DIR] [--json]}: {@code report [--by
 * model|provider|operation|day|hour|ATTRIBUTE] [--from T] [--to T] [--html FILE]} (see {@link TimeRange},
 * {@link HtmlReport}), {@code balance}, {@code version}, {@code estimate} (a dry-run quote,
 * see {@link Estimate}), {@code doctor} (see {@link Doctor}), {@code ledger}/{@code grant} and
 * {@code attach}. Reads the data dir only; needs no running application. A reading command pointed
 * at a data dir that does not exist says so and exits 1.
 */
public final class Cli {
  // Costs as plain decimals, never in exponent form (a tiny embedding call costs 0.0000001).
  static final ObjectMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();
  private static final String USAGE = "usage: java -jar tollgate-agent.jar <report|balance|ledger|grant|estimate|budgets|prices|attach|doctor|version> [--data-dir DIR] [--json] [--by model|provider|operation|day|hour|ATTRIBUTE] [--from T] [--to T] [--html FILE]";

  private final PrintStream out;
  @SuppressWarnings("NullAway.Init") // set by parse() for every command that reads it
  private Path dataDir;
  private boolean json;
  private String by = "model";
  private @Nullable String from;
  private @Nullable String to;
  /** {@code report --html FILE}: where the page goes. */
  private @Nullable String html;
  /** Whether {@code balance} reads a remote credit source rather than the data dir. */
  private boolean remoteWallet;

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
    switch (args[0]) {
      case "attach":
        return Attach.run(args, out, err);
      case "estimate":
        return Estimate.run(args, out, err);
      case "ledger":
      case "grant":
        return LedgerCommands.run(args, out, err);
      case "doctor":
        return Doctor.run(args, out, err);
      case "budgets":
        return BudgetsCommand.run(args, out, err);
      case "prices":
        return Prices.run(args, out, err);
      default:
        return new Cli(out).runOwn(args, err);
    }
  }

  private int runOwn(String[] args, PrintStream err) {
    try {
      String dir = parseOptions(args);
      switch (args[0]) {
        case "report":
          TimeRange range = TimeRange.of(from, to);
          dataDir = existingDataDir(dir);
          if (html != null) {
            writeHtml(range, err);
          } else {
            report(range, err);
          }
          return 0;
        case "balance":
          ConfigSource config = ConfigSource.fromJvm(null);
          if ("redis".equalsIgnoreCase(config.get("tollgate.wallet"))) {
            sharedWallet = true; // the shared wallet's balance is in Redis, not in any one data dir
            SharedBalance.print(TollgateConfig.load(config), json, out);
            return 0;
          }
          String wallet = config.get("tollgate.wallet");
          if (wallet != null && !"local".equalsIgnoreCase(wallet.trim())) {
            TollgateConfig remote = TollgateConfig.load(config); // a wallet it does not know is refused here
            if (remote.source != null) {
              remoteWallet = true; // the balance is the source's, not the data dir's
              RemoteBalance.print(remote, json, out);
              return 0;
            }
          }
          dataDir = existingDataDir(dir);
          balance();
          return 0;
        case "version":
          out.println(json ? JSON.writeValueAsString(JSON.createObjectNode().put("version", version())) : "tollgate " + version());
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
      err.println(sharedWallet ? "tollgate: cannot read the shared wallet: " + e.getMessage()
          : remoteWallet ? "tollgate: cannot read the credit source's balance: " + e.getMessage() : problem("cannot read", dataDir, e));
      return 1;
    }
  }

  /** The options; returns the {@code --data-dir} value, or null. */
  private @Nullable String parseOptions(String[] args) {
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
        case "--from":
          from = value(args, ++i, "--from");
          break;
        case "--to":
          to = value(args, ++i, "--to");
          break;
        case "--html":
          html = value(args, ++i, "--html");
          break;
        default:
          throw new IllegalArgumentException("unknown option '" + args[i] + "'");
      }
    }
    return dir;
  }

  /** {@code --data-dir}, else the configured {@code tollgate.data-dir}, else {@code ~/.tollgate}. */
  static Path dataDir(@Nullable String option) {
    String dir = option != null ? option : ConfigSource.fromJvm(null).get("tollgate.data-dir");
    return Path.of(dir != null ? dir : System.getProperty("user.home") + "/.tollgate").toAbsolutePath();
  }

  /**
   * {@link #dataDir(String)} for a command that reads it: a directory this user can list.
   *
   * @throws NoDataDir when nothing is there
   * @throws IOException naming the reason when it is a file or cannot be read (permission denied): reading
   *     such a data dir as empty would show spend the user cannot see as none
   */
  static Path existingDataDir(@Nullable String option) throws IOException {
    Path dir = dataDir(option);
    readableDataDir(dir);
    return dir;
  }

  /** Throws as {@link #existingDataDir} does unless {@code dir} is a directory this user can list. */
  static void readableDataDir(Path dir) throws Failure {
    boolean there;
    try {
      there = FileProblems.isDirectory(dir);
      if (there) {
        Files.newDirectoryStream(dir).close(); // opening it is what permission can deny
      }
    } catch (IOException e) {
      throw new Failure(failure("cannot read", dir, e), e);
    }
    if (!there) {
      throw new NoDataDir(dir);
    }
  }

  /** A failure whose message is the whole line: it names the path and says why. */
  static class Failure extends IOException {
    private static final long serialVersionUID = 1L;

    Failure(String message, @Nullable Throwable cause) {
      super(message, cause);
    }
  }

  /**
   * A data dir a reading command was pointed at that does not exist: a mistyped path, or no
   * application has run with the agent there yet. Reading it as empty would hide the mistake.
   */
  static final class NoDataDir extends Failure {
    private static final long serialVersionUID = 1L;

    NoDataDir(Path dir) {
      super("no Tollgate data dir at " + dir + " (an application run with the agent creates it; check --data-dir or tollgate.data-dir)",
          null);
    }
  }

  /** The one line for a failure to use {@code dataDir}: the file and the reason, the data dir's name said once. */
  static String problem(String verb, @Nullable Path dataDir, IOException e) {
    return "tollgate: " + failure(verb, dataDir, e);
  }

  /** {@link #problem} without the {@code tollgate: } in front, for a line of {@code doctor}. */
  static String failure(String verb, @Nullable Path dataDir, IOException e) {
    if (e instanceof Failure) {
      return String.valueOf(e.getMessage());
    }
    return verb + " " + dataDir + ": " + (dataDir == null ? FileProblems.describe(e) : FileProblems.describe(e, dataDir));
  }

  /** The options of a command that takes only {@code [--data-dir DIR] [--json]}. */
  static final class DirAndJson {
    @Nullable
    String dataDir;
    boolean json;

    /** Parses {@code args} after the command's name; an unknown option or a missing value throws. */
    static DirAndJson parse(String[] args) {
      DirAndJson o = new DirAndJson();
      for (int i = 1; i < args.length; i++) {
        if (args[i].equals("--json")) {
          o.json = true;
        } else if (args[i].equals("--data-dir")) {
          o.dataDir = value(args, ++i, "--data-dir");
        } else {
          throw new IllegalArgumentException("unknown option '" + args[i] + "'");
        }
      }
      return o;
    }
  }

  static String value(String[] args, int i, String option) {
    if (i >= args.length) {
      throw new IllegalArgumentException(option + " needs a value");
    }
    return args[i];
  }

  /** {@code report --html FILE}: the page, then one line naming it. */
  private void writeHtml(TimeRange range, PrintStream err) throws IOException {
    Instant now = Instant.now();
    Path file = Path.of(html).toAbsolutePath();
    SpendReport report = SpendReport.read(dataDir, by, range, now);
    report.days.unreadableLines().forEach(err::println);
    String page = HtmlReport.render(report, now);
    try {
      Files.writeString(file, page);
    } catch (IOException e) {
      // The output file's problem, not the data dir's; writing a file that does not exist fails only for want of its directory.
      String why = e instanceof NoSuchFileException ? "no directory " + file.getParent() : FileProblems.describe(e, file);
      throw new Failure("cannot write " + file + ": " + why, e);
    }
    out.println(json ? JSON.writeValueAsString(JSON.createObjectNode().put("html", file.toString())) : "wrote " + file);
  }

  /**
   * Reads the data dir as every report does ({@link JournalDays}): days inside the range from their
   * rollups, days the range cuts (and hours) from their records, days only a rollup holds per day.
   * Memory holds the groups, never the records.
   */
  private void report(TimeRange range, PrintStream err) throws IOException {
    Report report = Report.read(dataDir, by, range, java.time.LocalDate.now(java.time.ZoneOffset.UTC));
    report.days.unreadableLines().forEach(err::println);
    List<java.time.LocalDate> perDay = by.equals("hour") ? report.days.rolledUpOnly : List.of();
    List<java.time.LocalDate> whole = report.days.cut;
    if (json) {
      ObjectNode root = JSON.createObjectNode();
      root.set("totals", totalsJson(report.totals, false));
      ArrayNode groups = root.putArray("groups");
      report.groups.forEach(g -> groups.add(totalsJson(g, true)));
      putDays(root, "day_resolution", perDay);
      putDays(root, "counted_whole", whole);
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
    if (!perDay.isEmpty()) {
      out.println("note: " + JournalDays.list(perDay) + ": " + JournalDays.PER_DAY);
    }
    if (!whole.isEmpty()) {
      out.println("note: " + JournalDays.list(whole) + ": " + JournalDays.WHOLE);
    }
  }

  private static void putDays(ObjectNode root, String field, List<java.time.LocalDate> days) {
    if (!days.isEmpty()) {
      ArrayNode array = root.putArray(field);
      days.forEach(d -> array.add(d.toString()));
    }
  }

  private static ObjectNode totalsJson(Report.Totals t, boolean withKey) {
    ObjectNode n = JSON.createObjectNode();
    if (withKey) {
      n.put("key", t.key);
    }
    n.put("calls", t.calls).put("blocked", t.blocked).put("input_tokens", t.inputTokens).put("output_tokens", t.outputTokens)
        .put("cache_read_tokens", t.cacheReadTokens);
    n.put("cost", t.cost());
    return n;
  }

  private void balance() throws IOException {
    LocalBalance b = LocalBalance.of(dataDir, Instant.now());
    if (json) {
      ObjectNode n = JSON.createObjectNode();
      n.put("wallet", "local");
      n.put("balance_credits", b.balance);
      n.put("warning_low", b.low);
      n.put("budget", b.budget);
      n.put("spent", b.spent);
      ArrayNode array = n.putArray("buckets");
      for (CreditBucket bucket : b.buckets) {
        ObjectNode o = array.addObject().put("source_type", bucket.sourceType()).put("balance", bucket.balance());
        if (bucket.expiresAt() == null) {
          o.putNull("expires_at");
        } else {
          o.put("expires_at", bucket.expiresAt().toString());
        }
      }
      out.println(JSON.writeValueAsString(n));
      return;
    }
    Table table = new Table("WALLET", "BUDGET", "SPENT", "BALANCE", "LOW");
    table.row("local", b.budget == null ? (b.hasGrants ? "-" : "none (meter only)") : b.budget.toPlainString(), b.spent.toPlainString(),
        b.balance == null ? "-" : b.balance.toPlainString(), b.low ? "yes" : "no");
    table.print(out);
    if (b.buckets.size() > 1 || b.hasGrants && b.budget == null) {
      Table t = new Table("BUCKET", "BALANCE", "EXPIRES");
      for (CreditBucket bucket : b.buckets) {
        t.row(bucket.sourceType(), bucket.balance().toPlainString(), bucket.expiresAt() == null ? "never" : bucket.expiresAt().toString());
      }
      out.println();
      t.print(out);
    }
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
