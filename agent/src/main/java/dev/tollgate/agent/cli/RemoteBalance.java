package dev.tollgate.agent.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.source.CreditSources;
import dev.tollgate.agent.wallet.BalanceSnapshot;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Clock;

/**
 * {@code balance} for a remote credit source ({@code tollgate.wallet=openrouter|swarms|synap|http}):
 * one read of the balance as the source reports it, with its buckets, through the same client the
 * agent uses (timeout, retries, the key never printed). Spend a running agent metered after the
 * source last counted it is not subtracted: the agent does that, against its own journal.
 */
final class RemoteBalance {
  private RemoteBalance() {}

  static void print(TollgateConfig config, boolean json, PrintStream out) throws IOException {
    BalanceSnapshot b = CreditSources.remote(config, () -> 0, Clock.systemUTC()).fetch();
    if (json) {
      ObjectNode n = Cli.JSON.createObjectNode();
      n.put("wallet", config.wallet);
      n.put("balance_credits", Money.fromNanos(b.balanceNanos));
      n.put("warning_low", b.remoteWarningLow);
      ArrayNode array = n.putArray("buckets");
      for (BalanceSnapshot.Bucket bucket : b.buckets) {
        ObjectNode o = array.addObject().put("source_type", bucket.sourceType).put("balance", Money.fromNanos(bucket.balanceNanos));
        if (bucket.expiresAt == null) {
          o.putNull("expires_at");
        } else {
          o.put("expires_at", bucket.expiresAt.toString());
        }
      }
      out.println(Cli.JSON.writeValueAsString(n));
      return;
    }
    Table table = new Table("WALLET", "BALANCE", "LOW");
    table.row(config.wallet, Money.format(b.balanceNanos), b.remoteWarningLow ? "yes" : "no");
    table.print(out);
    if (!b.buckets.isEmpty()) {
      Table t = new Table("BUCKET", "BALANCE", "EXPIRES");
      for (BalanceSnapshot.Bucket bucket : b.buckets) {
        t.row(bucket.sourceType, Money.format(bucket.balanceNanos), bucket.expiresAt == null ? "never" : bucket.expiresAt.toString());
      }
      out.println();
      t.print(out);
    }
  }
}
