package dev.tollgate.agent.budget;

import java.time.Instant;
import java.util.Map;

/**
 * What a scope had spent in a period before this JVM began counting it: derived from the journal
 * today ({@link JournalPeriodSpend}); a checkpoint or rollup can answer the same question later.
 */
public interface PeriodSpendSource {
  PeriodSpendSource NONE = (scope, period, start) -> 0;

  /** Nano-credits spent by {@code scope} in the {@code period} that starts at {@code start}. */
  long spentNanos(Map<String, String> scope, BudgetPeriod period, Instant start);

  /** Every scope this source knows a period's spend of, so it can be listed before a call touches it. */
  default void forEachScope(ScopeSpend each) {}

  /** One scope's spend in one period. */
  interface ScopeSpend {
    void accept(Map<String, String> scope, BudgetPeriod period, Instant start, long spentNanos);
  }
}
