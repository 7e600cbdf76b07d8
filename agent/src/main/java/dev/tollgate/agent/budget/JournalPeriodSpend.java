package dev.tollgate.agent.budget;

import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.time.Instant;
import java.time.ZoneId;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Each budget's spend in its current period, summed from the journal in the start-up recovery pass
 * (fed record by record, so the journal is read once for the wallet and the budgets together). A
 * record counts toward the period holding its time, which is when its call was reserved; records of
 * an earlier period are passed over, so a restart never resets nor double-counts a period.
 */
public final class JournalPeriodSpend implements PeriodSpendSource, Consumer<UsageRecord>, AutoCloseable {
  private final BudgetIndex index;
  private final ZoneId zone;
  private final Instant now;
  /** Where the table is (null: off-heap memory); a {@link Budgets} made from this source makes its table there if none is. */
  final @Nullable Path dir;
  /**
   * The sums, off the heap: a {@link Budgets} made from this source takes the table over as its live
   * state. None without budgets (no file for a JVM that has none).
   */
  final @Nullable SpendTable table;

  JournalPeriodSpend(BudgetIndex index, ZoneId zone, Instant now, @Nullable Path dir) {
    this.index = index;
    this.zone = zone;
    this.now = now;
    this.dir = dir;
    this.table = index.isEmpty() ? null : new SpendTable(dir);
  }

  @Override
  public void accept(UsageRecord r) {
    long nanos = Money.toNanos(r.cost());
    SpendTable sums = table;
    if (nanos == 0 || sums == null) {
      return;
    }
    for (BudgetIndex.Match m : index.match(Dimensions.ofRecord(r.attributes(), r.model(), r.provider(), r.operation()))) {
      Instant start = m.spec.period.start(r.time(), zone);
      if (start.equals(m.spec.period.start(now, zone))) {
        new Tally(sums, m.dimensions, m.values, m.spec.period, start, null, null, PeriodSpendSource.NONE).recovered(nanos);
      }
    }
  }

  @Override
  public long spentNanos(Map<String, String> scope, BudgetPeriod period, Instant start) {
    SpendTable sums = table;
    return sums == null ? 0 : sums.spentIfPresent(new Tally(sums, scope.keySet().toArray(new String[0]), scope.values().toArray(
        new String[0]), period,
        start, null, null, PeriodSpendSource.NONE));
  }

  @Override
  public void forEachScope(ScopeSpend each) {
    SpendTable sums = table;
    if (sums == null) {
      return;
    }
    sums.forEach((period, startSecond, dimensions, values, spent, reserved, others) -> each.accept(Budgets.scopeOf(dimensions, values),
        period, Instant.ofEpochSecond(startSecond), spent));
  }

  /** Scopes with spend this period. */
  int size() {
    SpendTable sums = table;
    return sums == null ? 0 : sums.size();
  }

  /** Deletes the sums' file (when no {@link Budgets} took them over). */
  @Override
  public void close() {
    SpendTable sums = table;
    if (sums != null) {
      sums.close();
    }
  }
}
