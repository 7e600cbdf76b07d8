package dev.tollgate.agent.metrics;

/**
 * The budgets whose remaining credits {@code tollgate.budget.remaining} shows, one series per budget.
 * The wallet's one budget ({@code tollgate.budget}, named {@code default}) if set, and beside it the
 * budgets per scope, which plug in their own view with {@link Gauges#budgets(BudgetsView)}. Read at each collection
 * (each scrape or push), never on a call's path; it must not block.
 */
@FunctionalInterface
public interface BudgetsView {
  /** Reports every budget's remaining credits, in nano-credits, to {@code out}. */
  void forEachRemaining(Remaining out);

  /** Receives one budget's remaining credits. */
  @FunctionalInterface
  interface Remaining {
    void budget(String name, long remainingNanos);
  }
}
