package dev.tollgate.sample;

import dev.tollgate.api.BlockedCall;
import dev.tollgate.api.CreditBalance;
import dev.tollgate.api.TollgateListener;
import dev.tollgate.api.UsageRecord;
import java.util.concurrent.atomic.AtomicInteger;

/** Prints one line for each event the agent reports, and counts blocked attempts. */
final class PrintingListener implements TollgateListener {
  private final AtomicInteger blocked = new AtomicInteger();

  @Override
  public void onUsage(UsageRecord r) {
    String cached = r.cacheReadTokens() > 0 ? " (" + r.cacheReadTokens() + " cached)"
        : r.cacheWriteTokens() > 0 ? " (" + r.cacheWriteTokens() + " cache write)" : "";
    SampleApp.say("    tollgate: %s %s, %d in%s, %d out, cost %s", r.provider(), r.model(),
        r.inputTokens(), cached, r.outputTokens(), SampleApp.credits(r.cost()));
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
