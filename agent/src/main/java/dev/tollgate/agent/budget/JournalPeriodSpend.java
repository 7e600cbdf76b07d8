package dev.tollgate.agent.budget;

import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Each budget's spend in its current period, summed from the journal in the start-up recovery pass
 * (fed record by record, so the journal is read once for the wallet and the budgets together). A
 * record counts toward the period holding its time, which is when its call was reserved; records of
 * an earlier period are passed over, so a restart never resets nor double-counts a period.
 */
public final class JournalPeriodSpend implements PeriodSpendSource, Consumer<UsageRecord> {
  private final BudgetIndex index;
  private final ZoneId zone;
  private final Instant now;
  private final Map<String, Sum> sums = new ConcurrentHashMap<>();

  private static final class Sum {
    final Map<String, String> scope;
    final BudgetPeriod period;
    final Instant start;
    long nanos;

    Sum(Map<String, String> scope, BudgetPeriod period, Instant start) {
      this.scope = scope;
      this.period = period;
      this.start = start;
    }
  }

  JournalPeriodSpend(BudgetIndex index, ZoneId zone, Instant now) {
    this.index = index;
    this.zone = zone;
    this.now = now;
  }

  @Override
  public void accept(UsageRecord r) {
    long nanos = Money.toNanos(r.cost());
    if (nanos == 0 || index.isEmpty()) {
      return;
    }
    for (BudgetIndex.Match m : index.match(Dimensions.ofRecord(r.attributes(), r.model(), r.provider(), r.operation()))) {
      Instant start = m.spec.period.start(r.time(), zone);
      if (start.equals(m.spec.period.start(now, zone))) {
        Sum sum = sums.computeIfAbsent(Budgets.key(m.dimensions, m.values, m.spec.period, start),
            k -> new Sum(Budgets.scopeOf(m.dimensions, m.values), m.spec.period, start));
        synchronized (sum) {
          sum.nanos += nanos;
        }
      }
    }
  }

  @Override
  public long spentNanos(Map<String, String> scope, BudgetPeriod period, Instant start) {
    Sum sum = sums.get(Budgets.key(scope, period, start));
    if (sum == null) {
      return 0;
    }
    synchronized (sum) {
      return sum.nanos;
    }
  }

  @Override
  public void forEachScope(ScopeSpend each) {
    for (Sum sum : sums.values()) {
      each.accept(sum.scope, sum.period, sum.start, spentNanos(sum.scope, sum.period, sum.start));
    }
  }

  /** Scopes with spend this period. */
  int size() {
    return sums.size();
  }
}
