package dev.tollgate.sample;

import dev.tollgate.api.BlockedCall;
import dev.tollgate.api.CreditBalance;
import dev.tollgate.api.TollgateListener;
import dev.tollgate.api.UsageRecord;
import java.math.BigDecimal;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Prints one line for each event the agent reports, and counts blocked attempts. */
final class PrintingListener implements TollgateListener {
  private final AtomicInteger blocked = new AtomicInteger();
  /** Per tenant (the record's {@code tenant} attribute): calls, blocked calls, cost. */
  private final Map<String, Object[]> byTenant = new TreeMap<>();

  @Override
  public void onUsage(UsageRecord r) {
    String cached = r.cacheReadTokens() > 0 ? " (" + r.cacheReadTokens() + " cached)"
        : r.cacheWriteTokens() > 0 ? " (" + r.cacheWriteTokens() + " cache write)" : "";
    SampleApp.say("    tollgate: %s %s, %d in%s, %d out, cost %s, tenant %s", r.provider(), r.model(),
        r.inputTokens(), cached, r.outputTokens(), SampleApp.credits(r.cost()), r.attributes().getOrDefault("tenant", "-"));
    tally(r.attributes().getOrDefault("tenant", "-"), 1, 0, r.cost());
  }

  /** A blocked call of {@code tenant}: {@link BlockedCall} names no attributes, so the app says whose it was. */
  void blockedFor(String tenant) {
    tally(tenant, 0, 1, BigDecimal.ZERO);
  }

  private synchronized void tally(String tenant, int calls, int blockedCalls, BigDecimal cost) {
    Object[] t = byTenant.computeIfAbsent(tenant, k -> new Object[] {0, 0, BigDecimal.ZERO});
    t[0] = (Integer) t[0] + calls;
    t[1] = (Integer) t[1] + blockedCalls;
    t[2] = ((BigDecimal) t[2]).add(cost);
  }

  /** The run's spend by tenant, as {@code tollgate report --by tenant} prints it from the journal. */
  synchronized void printByTenant() {
    SampleApp.say("Spend by tenant (the same as `java -jar tollgate-agent.jar report --by tenant`):");
    SampleApp.say("    %-8s %6s %8s  %s", "TENANT", "CALLS", "BLOCKED", "COST");
    byTenant.forEach((tenant, t) -> SampleApp.say("    %-8s %6d %8d  %s", tenant, t[0], t[1], SampleApp.credits((BigDecimal) t[2])));
  }

  @Override
  public void onBlocked(BlockedCall call) {
    blocked.incrementAndGet();
    SampleApp.say("    tollgate: BLOCKED %s %s, needs up to %s, %s available", call.provider(), call.model(),
        SampleApp.credits(call.required()), SampleApp.credits(call.available()));
  }

  @Override
  public void onLowBalance(CreditBalance balance) {
    SampleApp.say("    tollgate: low balance, %s left", SampleApp.credits(balance.balanceCredits()));
  }

  /** How many times the agent blocked a call: once per attempt, so an SDK retry would show here. */
  int blockedAttempts() {
    return blocked.get();
  }
}
