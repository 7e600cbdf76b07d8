package dev.tollgate.agent.budget;

import dev.tollgate.api.BudgetStatus;

/**
 * A call's reservations on every budget that matched it, settled together; or the budget that
 * refused it (then nothing is held anywhere).
 */
public final class BudgetHold {
  /** No budget matched: nothing held, nothing to settle. */
  public static final BudgetHold NONE = new BudgetHold(new Tally[0], new BudgetSpec[0], 0, null);

  final Tally[] tallies;
  final BudgetSpec[] specs;
  final long amountNanos;
  private final /* @Nullable */ BudgetStatus refusedBy;

  BudgetHold(Tally[] tallies, BudgetSpec[] specs, long amountNanos, /* @Nullable */ BudgetStatus refusedBy) {
    this.tallies = tallies;
    this.specs = specs;
    this.amountNanos = amountNanos;
    this.refusedBy = refusedBy;
  }

  /** Whether a budget refused the call. */
  public boolean refused() {
    return refusedBy != null;
  }

  /** The budget that refused the call, as it stood then; null when none did. */
  public /* @Nullable */ BudgetStatus refusedBy() {
    return refusedBy;
  }
}
