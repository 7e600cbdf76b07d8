package dev.tollgate.agent.budget;

import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.BudgetStatus;
import java.time.Instant;
import java.util.Map;

/**
 * One concrete scope's spend and reservations in one period. Reserve and settle are one short
 * critical section each on this scope alone, so calls on other scopes never contend with it.
 */
final class Tally {
  final Map<String, String> scope;
  final BudgetPeriod period;
  final /* @Nullable */ Instant resetsAt;
  private long spent;
  private long reserved;
  /** Alert thresholds already reported this period, by their index in the budget's list. */
  private long alerted;

  Tally(Map<String, String> scope, BudgetPeriod period, /* @Nullable */ Instant resetsAt, long spentNanos) {
    this.scope = scope;
    this.period = period;
    this.resetsAt = resetsAt;
    this.spent = spentNanos;
  }

  /** Holds {@code amount} when it fits {@code limit} (or when it need not); returns whether it was held. */
  synchronized boolean reserve(long amount, long limit, boolean mustFit) {
    if (mustFit && amount > limit - spent - reserved) {
      return false;
    }
    reserved += amount;
    return true;
  }

  synchronized void release(long amount) {
    reserved -= amount;
  }

  synchronized void settle(long heldAmount, long cost) {
    reserved -= heldAmount;
    spent += cost;
  }

  synchronized long remaining(long limit) {
    return limit - spent - reserved;
  }

  synchronized boolean isIdle() {
    return reserved == 0;
  }

  /** Marks thresholds at or below the spend as reported; returns those newly reached (bit i = alert i). */
  synchronized long newlyReached(long[] thresholds) {
    long reached = 0;
    for (int i = 0; i < thresholds.length && i < 64; i++) {
      if (spent >= thresholds[i]) {
        reached |= 1L << i;
      }
    }
    long fresh = reached & ~alerted;
    alerted |= reached;
    return fresh;
  }

  synchronized BudgetStatus status(long limit) {
    return new BudgetStatus(scope, period.label(), Money.fromNanos(limit), Money.fromNanos(spent), Money.fromNanos(reserved), resetsAt);
  }
}
