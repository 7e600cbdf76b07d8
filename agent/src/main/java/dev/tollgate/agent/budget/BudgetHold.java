package dev.tollgate.agent.budget;

import dev.tollgate.api.BudgetStatus;

/**
 * A call's reservations on every budget that matched it, settled together; or the budget that
 * refused it (then nothing is held anywhere).
 */
public final class BudgetHold {
  /** No budget matched: nothing held, nothing to settle. */
  public static final BudgetHold NONE = new BudgetHold(new Tally[0], new BudgetSpec[0], 0, null, null);

  final Tally[] tallies;
  final BudgetSpec[] specs;
  final long amountNanos;
  private final /* @Nullable */ BudgetStatus refusedBy;
  private final /* @Nullable */ BudgetSpec exceeded;
  private boolean shared;

  BudgetHold(Tally[] tallies, BudgetSpec[] specs, long amountNanos, /* @Nullable */ BudgetStatus refusedBy,
      /* @Nullable */ BudgetSpec exceeded) {
    this.tallies = tallies;
    this.specs = specs;
    this.amountNanos = amountNanos;
    this.refusedBy = refusedBy;
    this.exceeded = exceeded;
  }

  /** Marks the hold as taken in the shared store too (fleet budgets), so the settle gives it back there. */
  BudgetHold sharedHold() {
    shared = true;
    return this;
  }

  boolean isShared() {
    return shared;
  }

  /** Whether a budget refused the call. */
  public boolean refused() {
    return refusedBy != null;
  }

  /**
   * A budget this call was let past although it did not fit ({@code tollgate.enforce=warn} or
   * {@code off}): the first such budget as configured; null when every budget had room.
   */
  public /* @Nullable */ BudgetSpec exceeded() {
    return exceeded;
  }

  /** The budget that refused the call, as it stood then; null when none did. */
  public /* @Nullable */ BudgetStatus refusedBy() {
    return refusedBy;
  }
}
