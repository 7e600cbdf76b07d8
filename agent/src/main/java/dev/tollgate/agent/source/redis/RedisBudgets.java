package dev.tollgate.agent.source.redis;

import dev.tollgate.agent.budget.BudgetPeriod;
import dev.tollgate.agent.budget.SharedBudgets;
import dev.tollgate.agent.bootstrap.AppThreads;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Scoped budgets shared through the Redis wallet ({@code budget.lua}): one hash per scope and
 * period, {@code tollgate:{wallet}:budget:<period>:<start>:<dimension>=<value>&…}, holding the
 * fleet's spend and each JVM's holds for its calls in flight (lapsing with the lease TTL if the JVM
 * dies). One round trip per call that matches a budget: exact across JVMs, at the cost of Redis's
 * latency on those calls only.
 */
public final class RedisBudgets implements SharedBudgets {
  private final RedisWallet wallet;

  RedisBudgets(RedisWallet wallet) {
    this.wallet = wallet;
  }

  @Override
  public String keyFor(Map<String, String> scope, BudgetPeriod period, Instant start) {
    StringBuilder b = new StringBuilder(48).append(period.label()).append(':').append(start.getEpochSecond()).append(':');
    boolean first = true;
    for (Map.Entry<String, String> e : scope.entrySet()) {
      b.append(first ? "" : "&").append(e.getKey()).append('=').append(URLEncoder.encode(e.getValue(), StandardCharsets.UTF_8));
      first = false;
    }
    return wallet.budgetKey(b.toString());
  }

  /**
   * Reserve and settle are round trips on the application's thread, which may carry its interrupt flag
   * into a call: the connection pool's wait for a free connection (when every one is busy) would fail
   * on it, so they run with the flag clear ({@link AppThreads#uninterrupted}).
   */
  @Override
  public Answer reserve(Call[] calls, long amount, boolean mustFit) throws IOException {
    return AppThreads.uninterrupted(() -> answer(calls, wallet.budgets("reserve", keys(calls), args(calls, amount, 0, mustFit))));
  }

  @Override
  public Answer settle(Call[] calls, long held, long cost) throws IOException {
    return AppThreads.uninterrupted(() -> answer(calls, wallet.budgets("settle", keys(calls), args(calls, held, cost, false))));
  }

  private static List<String> keys(Call[] calls) {
    List<String> keys = new ArrayList<>(calls.length);
    for (Call c : calls) {
      keys.add(c.key());
    }
    return keys;
  }

  private static List<String> args(Call[] calls, long amount, long cost, boolean mustFit) {
    List<String> args = new ArrayList<>(3 + 4 * calls.length);
    args.add(Long.toString(amount));
    args.add(Long.toString(cost));
    args.add(mustFit ? "1" : "0");
    for (Call c : calls) {
      args.add(Long.toString(c.limit()));
      args.add(Long.toString(c.seed()));
      args.add(Long.toString(c.late()));
      args.add(Long.toString(c.forgetAtMillis()));
    }
    return args;
  }

  private static Answer answer(Call[] calls, long[] r) throws IOException {
    if (r.length != 1 + 2 * calls.length) {
      throw new IOException("shared budgets answered " + r.length + " numbers for " + calls.length + " budgets");
    }
    long[] spent = new long[calls.length];
    long[] held = new long[calls.length];
    for (int i = 0; i < calls.length; i++) {
      spent[i] = r[1 + 2 * i];
      held[i] = r[2 + 2 * i];
    }
    return new Answer((int) r[0] - 1, spent, held);
  }
}
