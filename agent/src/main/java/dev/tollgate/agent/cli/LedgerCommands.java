package dev.tollgate.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.wallet.Grant;
import dev.tollgate.agent.wallet.Grants;
import dev.tollgate.agent.wallet.LedgerBook;
import dev.tollgate.agent.wallet.WalletState;
import dev.tollgate.api.CreditLedgerEntry;
import dev.tollgate.api.CreditLedgerPage;
import dev.tollgate.api.LedgerQuery;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;

/**
 * {@code tollgate ledger} and {@code tollgate grant}: the local wallet's ledger in the Synap
 * {@code get_ledger} shape, and adding credits to it (the local counterpart of {@code redeem}).
 *
 * <pre>
 * ledger [--type credit|debit|expire] [--from T] [--to T] [--limit N] [--offset N] [--json] [--data-dir DIR]
 * grant --credits N [--source-type paid|promo|free|referral|redeem] [--expires T] [--json] [--data-dir DIR]
 * </pre>
 * {@code --from} and {@code --to} are inclusive and read as {@code report} reads them ({@link TimeRange}):
 * an instant ({@code 2026-12-31T00:00:00Z}) or a UTC date, {@code --from 2026-12-31} from that day's
 * first instant, {@code --to 2026-12-31} through its last. {@code --expires} is an instant or a date
 * (midnight UTC).
 */
final class LedgerCommands {
  private static final String USAGE = "usage: java -jar tollgate-agent.jar ledger [--type credit|debit|expire] [--from T] [--to T] "
      + "[--limit 1-" + LedgerQuery.MAX_LIMIT + "] [--offset N] [--json] [--data-dir DIR]\n"
      + "       java -jar tollgate-agent.jar grant --credits N [--source-type paid|promo|free|referral|redeem] [--expires T] [--json] [--data-dir DIR]";

  private LedgerCommands() {}

  static int run(String[] args, PrintStream out, PrintStream err) {
    Path dataDir = null;
    try {
      String dir = null;
      boolean json = false;
      String type = null;
      String from = null;
      String to = null;
      int limit = LedgerQuery.DEFAULT_LIMIT;
      int offset = 0;
      BigDecimal credits = null;
      String sourceType = "paid";
      Instant expires = null;
      for (int i = 1; i < args.length; i++) {
        String a = args[i];
        switch (a) {
          case "--json":
            json = true;
            break;
          case "--data-dir":
            dir = Cli.value(args, ++i, a);
            break;
          case "--type":
            type = entryType(Cli.value(args, ++i, a));
            break;
          case "--from":
            from = Cli.value(args, ++i, a);
            break;
          case "--to":
            to = Cli.value(args, ++i, a);
            break;
          case "--limit":
            limit = integer(Cli.value(args, ++i, a), a);
            break;
          case "--offset":
            offset = integer(Cli.value(args, ++i, a), a);
            break;
          case "--credits":
            credits = decimal(Cli.value(args, ++i, a));
            break;
          case "--source-type":
            sourceType = Cli.value(args, ++i, a);
            break;
          case "--expires":
            expires = Grants.parseInstant(Cli.value(args, ++i, a));
            break;
          default:
            throw new IllegalArgumentException("unknown option '" + a + "'");
        }
      }
      if (args[0].equals("grant")) {
        if (credits == null) {
          throw new IllegalArgumentException("grant needs --credits");
        }
        dataDir = Cli.dataDir(dir); // credits may be granted before an application first runs there
        Grant g = Grants.append(dataDir, credits, sourceType, expires, Instant.now());
        printGrant(g, json, out);
        return 0;
      }
      dataDir = Cli.existingDataDir(dir);
      TimeRange range = TimeRange.of(from, to); // read as report reads them: a date-only --to takes in that whole day
      LedgerQuery q = LedgerQuery.all().entryType(type).from(range.from).to(range.until == null ? null : range.until.minusNanos(1))
          .page(limit, offset);
      WalletState state = WalletState.read(dataDir);
      CreditLedgerPage page = LedgerBook.page(dataDir, state == null ? null : state.budget, Instant.now(), q);
      print(page, json, out);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("tollgate: " + e.getMessage() + "\n" + USAGE);
      return 2;
    } catch (IOException e) {
      err.println(Cli.problem(args[0].equals("grant") ? "cannot write to" : "cannot read", dataDir, e));
      return 1;
    }
  }

  private static String entryType(String t) {
    if (!t.equals("credit") && !t.equals("debit") && !t.equals("expire")) {
      throw new IllegalArgumentException("--type must be credit, debit or expire, was '" + t + "'");
    }
    return t;
  }

  private static int integer(String v, String option) {
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " must be a whole number, was '" + v + "'");
    }
  }

  private static BigDecimal decimal(String v) {
    try {
      return new BigDecimal(v);
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--credits must be a decimal number, was '" + v + "'");
    }
  }

  private static void print(CreditLedgerPage page, boolean json, PrintStream out) throws IOException {
    if (json) {
      ObjectNode n = Cli.JSON.createObjectNode();
      ArrayNode entries = n.putArray("entries");
      for (CreditLedgerEntry e : page.entries()) {
        ObjectNode o = entries.addObject();
        o.put("ledger_id", e.ledgerId()).put("entry_type", e.entryType()).put("delta", e.delta())
            .put("metric_type", e.metricType()).put("category", e.category()).put("created_at", e.createdAt().toString());
        if (!e.attributes().isEmpty()) {
          ObjectNode a = o.putObject("attributes");
          new java.util.TreeMap<>(e.attributes()).forEach(a::put);
        }
      }
      n.put("total", page.total()).put("limit", page.limit()).put("offset", page.offset());
      out.println(Cli.JSON.writeValueAsString(n));
      return;
    }
    Table t = new Table("CREATED", "TYPE", "DELTA", "CATEGORY", "METRIC", "ID", "ATTRIBUTES");
    for (CreditLedgerEntry e : page.entries()) {
      t.row(e.createdAt().toString(), e.entryType(), e.delta().toPlainString(), e.category() == null ? "-" : e.category(),
          e.metricType() == null ? "-" : e.metricType(), e.ledgerId(), attributes(e));
    }
    t.print(out);
    out.println(page.entries().size() + " of " + page.total() + " entries (offset " + page.offset() + ", limit " + page.limit() + ")");
  }

  private static String attributes(CreditLedgerEntry e) {
    StringBuilder sb = new StringBuilder();
    new java.util.TreeMap<>(e.attributes()).forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ",").append(k).append('=').append(v));
    return sb.length() == 0 ? "-" : sb.toString();
  }

  private static void printGrant(Grant g, boolean json, PrintStream out) throws IOException {
    BigDecimal credits = Money.fromNanos(g.amountNanos);
    if (json) {
      ObjectNode n = Cli.JSON.createObjectNode();
      n.put("ledger_id", g.id).put("entry_type", "credit").put("delta", credits).put("source_type", g.sourceType)
          .put("created_at", g.grantedAt.toString()).put("expires_at", g.expiresAt == null ? null : g.expiresAt.toString());
      out.println(Cli.JSON.writeValueAsString(n));
      return;
    }
    out.println("granted " + credits.toPlainString() + " " + g.sourceType + " credits (" + g.id + ")"
        + (g.expiresAt == null ? "" : ", expiring " + g.expiresAt));
  }
}
