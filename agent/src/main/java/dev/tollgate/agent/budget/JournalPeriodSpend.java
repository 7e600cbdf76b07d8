package dev.tollgate.agent.budget;

import dev.tollgate.agent.journal.JournalReader;
import dev.tollgate.agent.journal.Rollup;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZoneId;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Each budget's spend in its current period, summed from the journal ({@link #recover}: past days
 * from their rollups, the rest record by record). A
 * record counts toward the period holding its time, which is when its call was reserved; records of
 * an earlier period are passed over, so a restart never resets nor double-counts a period.
 */
public final class JournalPeriodSpend implements PeriodSpendSource, Consumer<UsageRecord>, AutoCloseable {
  private final BudgetIndex index;
  private final ZoneId zone;
  private final Instant now;
  /** Each period's current start, by ordinal: computed once, not per record (zone arithmetic allocates). */
  private final Instant[] currentStarts = new Instant[BudgetPeriod.values().length];
  /** Where the table is (null: off-heap memory); a {@link Budgets} made from this source makes its table there if none is. */
  final @Nullable Path dir;
  /**
   * The sums, off the heap: a {@link Budgets} made from this source takes the table over as its live
   * state. None without budgets (no file for a JVM that has none).
   */
  final @Nullable SpendTable table;
  /** What the last {@link #recover} read: days added from their rollups, and days read record by record. */
  int rolledUpDays;
  int daysReadByRecord;

  JournalPeriodSpend(BudgetIndex index, ZoneId zone, Instant now, @Nullable Path dir) {
    this.index = index;
    this.zone = zone;
    this.now = now;
    for (BudgetPeriod p : BudgetPeriod.values()) {
      currentStarts[p.ordinal()] = p.start(now, zone);
    }
    this.dir = dir;
    this.table = index.isEmpty() ? null : new SpendTable(dir);
  }

  @Override
  public void accept(UsageRecord r) {
    long nanos = Money.toNanos(r.cost());
    if (nanos != 0 && !index.isEmpty()) {
      add(Dimensions.ofRecord(r.attributes(), r.model(), r.provider(), r.operation()), r.time(), nanos);
    }
  }

  /** A rollup's group, as if its records were all made at {@code at}. */
  private void accept(Rollup.Group g, Instant at) {
    if (g.costNanos != 0) {
      add(Dimensions.ofRecord(g.attributes, g.model, g.provider, g.operation), at, g.costNanos);
    }
  }

  private void add(Dimensions call, Instant time, long nanos) {
    SpendTable sums = table;
    if (sums == null) {
      return;
    }
    for (BudgetIndex.Match m : index.match(call)) {
      Instant start = m.spec.period.start(time, zone);
      if (start.equals(currentStarts[m.spec.period.ordinal()])) {
        new Tally(sums, m.dimensions, m.values, m.spec.period, start, null, null, PeriodSpendSource.NONE).recovered(nanos);
      }
    }
  }

  @Override
  public long spentNanos(Map<String, String> scope, BudgetPeriod period, Instant start) {
    SpendTable sums = table;
    return sums == null ? 0 : sums.spentIfPresent(new Tally(sums, scope.keySet().toArray(new String[0]),
        scope.values().toArray(new String[0]), period, start, null, null, PeriodSpendSource.NONE));
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

  /**
   * Sums each budget's current period from {@code dataDir} in time that grows with the days of the
   * longest current period (and with today's records), never with the records of past days: a day
   * whose records all lie on one side of every current period's start is added from its {@link
   * Rollup} (the saved one plus its file's tail; saved when it was missing, so the next start finds
   * it), a day that a period begins within (a time zone other than UTC) from its records. When such
   * a day's file is gone (retention), its rollup counts whole toward the current period: never
   * under-counted. Reads only the days that can hold a current period's record (a record is written
   * to its own UTC day's file, or the next one when it settled past midnight).
   */
  public JournalPeriodSpend recover(Path dataDir) throws IOException {
    if (index.isEmpty()) {
      return this;
    }
    long t0 = System.nanoTime();
    Set<Instant> starts = new HashSet<>();
    Instant earliest = now;
    for (BudgetSpec spec : index.specs) {
      Instant start = currentStarts[spec.period.ordinal()];
      starts.add(start);
      earliest = start.isBefore(earliest) ? start : earliest;
    }
    LocalDate from = earliest.atOffset(ZoneOffset.UTC).toLocalDate().minusDays(1);
    LocalDate today = now.atOffset(ZoneOffset.UTC).toLocalDate();
    JournalReader.Result read = new JournalReader.Result();
    int rolledUp = 0;
    for (LocalDate day : Rollup.days(dataDir)) {
      if (day.isBefore(from)) {
        continue;
      }
      Path raw = JournalReader.fileOf(dataDir, day);
      // A file holds its own day's records and the day before's that settled past midnight.
      boolean cut = straddles(day, starts) || straddles(day.minusDays(1), starts);
      if ((cut || !day.isBefore(today)) && Files.exists(raw)) {
        JournalReader.readFrom(raw, 0, read, this, r -> {});
        continue;
      }
      Rollup rollup = Rollup.current(dataDir, day, today, true);
      if (rollup == null) {
        continue;
      }
      rolledUp++;
      for (Rollup.Group g : rollup.groups()) {
        LocalDate groupDay = LocalDate.parse(g.day);
        Instant first = groupDay.atStartOfDay(ZoneOffset.UTC).toInstant();
        accept(g, straddles(groupDay, starts) ? first.plus(Duration.ofDays(1)).minusNanos(1) : first);
      }
    }
    rolledUpDays = rolledUp;
    daysReadByRecord = read.files;
    Log.debug("budgets: current periods' spend from " + rolledUp + " rolled-up day(s) and " + read.files + " day(s) read record by record ("
        + read.records + " records) in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
    return this;
  }

  /** Whether a current period begins inside the UTC {@code day} (not at its first instant). */
  private static boolean straddles(LocalDate day, Set<Instant> starts) {
    Instant first = day.atStartOfDay(ZoneOffset.UTC).toInstant();
    Instant end = first.plus(Duration.ofDays(1));
    for (Instant s : starts) {
      if (s.isAfter(first) && s.isBefore(end)) {
        return true;
      }
    }
    return false;
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
