package dev.tollgate.agent.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.source.redis.RedisWallet;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Objects;

/**
 * {@code balance} for {@code tollgate.wallet=redis}: the shared wallet as Redis holds it, read
 * without changing it. Its credits are the unleased balance plus what the JVMs' leases hold.
 */
public final class SharedBalance {
  private SharedBalance() {}

  /** The shared wallet's setting: only called for {@code tollgate.wallet=redis}. */
  private static TollgateConfig.RedisSetting redis(TollgateConfig config) {
    return Objects.requireNonNull(config.redis, "tollgate.wallet=redis has no Redis setting");
  }

  /** One read of the shared wallet {@code config.redis} names, with {@code tollgate.source-timeout}. */
  static RedisWallet.Totals totals(TollgateConfig config) throws IOException {
    RedisWallet wallet = RedisWallet.open(redis(config), config.sourceTimeout, "cli");
    try {
      return wallet.totals();
    } finally {
      wallet.close();
    }
  }

  /** Prints the wallet {@code config.redis} names, as a table or (with {@code json}) one JSON object. */
  public static void print(TollgateConfig config, boolean json, PrintStream out) throws IOException {
    RedisWallet.Totals t = totals(config);
    String total = Money.format(t.balanceNanos + t.leasedNanos);
    if (json) {
      ObjectNode n = Cli.JSON.createObjectNode();
      n.put("wallet", "redis").put("name", redis(config).name);
      n.put("balance_credits", Money.fromNanos(t.balanceNanos + t.leasedNanos));
      n.put("unleased", Money.fromNanos(t.balanceNanos)).put("leased", Money.fromNanos(t.leasedNanos)).put("leases", t.leases);
      out.println(Cli.JSON.writeValueAsString(n));
      return;
    }
    Table table = new Table("WALLET", "NAME", "BALANCE", "UNLEASED", "LEASED", "LEASES");
    table.row("redis", redis(config).name, total, Money.format(t.balanceNanos), Money.format(t.leasedNanos), Integer.toString(t.leases));
    table.print(out);
  }
}
