package dev.tollgate.api;

/**
 * Receives Tollgate's events. Every method has an empty default, so implement only what you need.
 *
 * <p>Listeners run on the thread that made the call (or the agent's own thread for balance
 * events); keep them short. An exception thrown by a listener is logged once and otherwise
 * ignored: it never reaches the HTTP call.
 */
public interface TollgateListener {

  /** A metered call completed and was recorded. */
  default void onUsage(UsageRecord record) {}

  /** A call was blocked because credits ran short. */
  default void onBlocked(BlockedCall call) {}

  /**
   * The balance fell below {@code tollgate.low-balance}. Called once per crossing, not per call.
   */
  default void onLowBalance(CreditBalance balance) {}

  /**
   * A reconciliation found the remote credit source's figure for a window further from what
   * Tollgate metered than {@code tollgate.drift-threshold} allows. Called on the agent's own thread,
   * once per such window.
   */
  default void onDrift(ReconciliationDrift drift) {}

  /**
   * A budget's spend in its current period reached one of its alert thresholds ({@code
   * tollgate.budget-alerts}, default {@code 80%,100%}, or the budget's own {@code alerts} in the
   * budgets file). Called once per budget, period and threshold, on the thread that settled the call.
   *
   * @param budget the budget as it stands after the call that crossed the threshold
   * @param threshold the threshold as configured, for example {@code "80%"}
   */
  default void onBudgetThreshold(BudgetStatus budget, String threshold) {}
}
