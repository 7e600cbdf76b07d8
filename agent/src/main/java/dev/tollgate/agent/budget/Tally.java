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
  final Instant start;
  final /* @Nullable */ Instant resetsAt;
  /** What this JVM's journal held for the period when it began counting: seeds a shared store that has nothing. */
  final long seed;
  private long spent;
  private long reserved;
  /** With shared budgets: what other JVMs' calls in flight hold, as last seen. */
  private long othersHeld;
  /** With shared budgets: spend counted here and not yet reported to the store (it could not be reached). */
  private long late;
  /** With shared budgets: this scope and period's name in the store. */
  private volatile /* @Nullable */ String sharedKey;
  /** Alert thresholds already reported this period, by their index in the budget's list. */
  private long alerted;

  Tally(Map<String, String> scope, BudgetPeriod period, Instant start, /* @Nullable */ Instant resetsAt, long spentNanos) {
    this.scope = scope;
    this.period = period;
    this.start = start;
    this.resetsAt = resetsAt;
    this.spent = spentNanos;
    this.seed = spentNanos;
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

  String sharedKey(SharedBudgets shared) {
    String key = sharedKey;
    if (key == null) {
      key = shared.keyFor(scope, period, start);
      sharedKey = key;
    }
    return key;
  }

  /** Takes the spend counted here that the store has not been told of yet, to report it (given back if that fails). */
  synchronized long takeLate() {
    long taken = late;
    late = 0;
    return taken;
  }

  /** Adds spend the store could not be told of; the next round trip that reaches it reports it. */
  synchronized void addLate(long cost) {
    late += cost;
  }

  /** Takes the store's view after a round trip: the fleet's spend (never below what this JVM counted) and what other JVMs hold. */
  synchronized void sync(long fleetSpent, long fleetHeld) {
    spent = Math.max(spent, fleetSpent + late);
    othersHeld = Math.max(0, fleetHeld - reserved);
  }

  synchronized boolean isIdle() {
    return reserved == 0 && late == 0; // spend not yet reported to a shared store must not be dropped
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
    return new BudgetStatus(scope, period.label(), Money.fromNanos(limit), Money.fromNanos(spent), Money.fromNanos(reserved + othersHeld),
        resetsAt);
  }
}
