package dev.tollgate.agent.cli;

import dev.tollgate.agent.journal.Reconciliation;
import dev.tollgate.agent.journal.Rollup;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What {@code report --html} shows, aggregated in one pass over the journal: the same {@link Report}s
 * that {@code report --json --by D} prints (by the chosen dimension, by model, by each attribute, by
 * day or hour), the spend of each time bucket split by the chosen dimension, the budgets and the
 * reconciliation windows. Data only; {@link HtmlReport} draws it.
 */
final class SpendReport {
  /** Series drawn in the stacked chart; the rest is one "other" series. */
  static final int SERIES = 7;
  /** Attribute names given a "top scopes" table of their own. */
  static final int MAX_ATTRIBUTES = 8;
  /** (bucket, key) cells kept for the stacked chart; beyond it new keys fall into "other" (bucket totals stay exact). */
  private static final int MAX_CELLS = 100_000;
  /** Above this span the buckets are days, else hours. */
  private static final Duration HOURLY_UP_TO = Duration.ofHours(48);
  private static final int MAX_BUCKETS = 400;
  static final String OTHER = "(other)";

  /** A budget as {@code tollgate budgets --json} lists it; null figures are unknown to the data dir (a remote wallet). */
  static final class Budget {
    final Map<String, String> scope;
    final String period;
    final @Nullable BigDecimal limit;
    final BigDecimal spent;
    final @Nullable BigDecimal remaining;
    final @Nullable Instant resetsAt;

    Budget(Map<String, String> scope, String period, @Nullable BigDecimal limit, BigDecimal spent, @Nullable BigDecimal remaining,
        @Nullable Instant resetsAt) {
      this.scope = scope;
      this.period = period;
      this.limit = limit;
      this.spent = spent;
      this.remaining = remaining;
      this.resetsAt = resetsAt;
    }
  }

  /** One bar of the time charts. */
  static final class Bucket {
    final String key;
    final Instant start;
    final Report.Totals totals;
    /** Cost per series key (the top keys of {@link #byDimension}, then {@link #OTHER}). */
    final Map<String, Long> costBySeries = new LinkedHashMap<>();
    long driftNanos;

    Bucket(String key, Instant start) {
      this.key = key;
      this.start = start;
      this.totals = new Report.Totals(key);
    }
  }

  final String by;
  final TimeRange range;
  final Report byDimension;
  private final Function<UsageRecord, String> key;
  final Report byModel = new Report("model");
  private final Report byHour = new Report("hour");
  /** Attribute name → its report, names in order. */
  final Map<String, Report> byAttribute = new TreeMap<>();
  private final Map<String, Map<String, Long>> cells = new HashMap<>();
  private int cellCount;
  final List<Reconciliation> reconciliations = new ArrayList<>();
  final List<Budget> budgets = new ArrayList<>();
  private @Nullable Instant first;
  private @Nullable Instant last;
  /** How the journal's days were read: those only rollups hold. */
  JournalDays days = JournalDays.NONE;
  // Filled by finish().
  /** {@code report --json --by day} (or {@code hour}): the buckets with calls. */
  Report byTime = new Report("day");
  final List<Bucket> buckets = new ArrayList<>();
  final List<String> series = new ArrayList<>();

  /**
   * Reads {@code dataDir}'s journal once, as every report does ({@link JournalDays}): records and
   * reconciliations within {@code range}, days only a rollup holds whole (per day), and the local
   * wallet's budget (which counts all of the journal, whatever the range).
   */
  static SpendReport read(Path dataDir, String by, TimeRange range, Instant now) throws IOException {
    SpendReport report = new SpendReport(by, range);
    report.days = JournalDays.read(dataDir, range, now.atOffset(ZoneOffset.UTC).toLocalDate(), true, new JournalDays.Sink() {
      @Override
      public void record(UsageRecord r) {
        report.add(r);
      }

      @Override
      public void day(Rollup day) {
        report.add(day);
      }

      @Override
      public void reconciliation(Reconciliation r) {
        report.add(r);
      }
    });
    LocalBalance wallet = LocalBalance.of(dataDir, now);
    if (wallet.balance != null) {
      report.budgets.add(new Budget(Map.of(), "lifetime", wallet.budget, wallet.spent, wallet.balance, null));
    }
    return report.finish();
  }

  SpendReport(String by, TimeRange range) {
    this.by = by;
    this.range = range;
    this.byDimension = new Report(by);
    this.key = Report.keyFunction(by);
  }

  /** Adds a record within the range (the caller filters). */
  void add(UsageRecord r) {
    addAttributeNames(r.attributes().keySet());
    byAttribute.values().forEach(a -> a.add(r));
    byDimension.add(r);
    byModel.add(r);
    byHour.add(r);
    addCell(hourKey(r.time()), key.apply(r), Money.toNanos(r.cost()));
    addSpan(r.time(), r.time());
  }

  /**
   * Adds a day a rollup holds whole (the caller checks the range): each group under its day, as
   * {@code report --by hour} keys it, so the charts are drawn per day.
   */
  void add(Rollup day) {
    Function<Rollup.Group, String> groupKey = Report.groupKeyFunction(by);
    for (Rollup.Group g : day.groups()) {
      addAttributeNames(g.attributes.keySet());
      byAttribute.forEach((name, a) -> a.add(g.attributes.getOrDefault(name, "-"), g));
      byDimension.add(groupKey.apply(g), g);
      byModel.add(g.model, g);
      byHour.add(g.day, g);
      addCell(g.day, groupKey.apply(g), g.costNanos);
    }
    addSpan(Objects.requireNonNull(day.first(), "a day with records"), Objects.requireNonNull(day.last(), "a day with records"));
  }

  /** A report per attribute name first seen, up to {@link #MAX_ATTRIBUTES}: every earlier call lacked it. */
  private void addAttributeNames(Set<String> names) {
    for (String name : names) {
      if (!byAttribute.containsKey(name) && byAttribute.size() < MAX_ATTRIBUTES) {
        Report report = new Report(name);
        if (byDimension.totals.calls + byDimension.totals.blocked > 0) {
          report.add("-", byDimension.totals); // every earlier record lacked it
        }
        byAttribute.put(name, report);
      }
    }
  }

  private void addSpan(Instant from, Instant to) {
    first = first == null || from.isBefore(first) ? from : first;
    last = last == null || to.isAfter(last) ? to : last;
  }

  /** Adds a reconciliation whose window ends within the range. */
  void add(Reconciliation r) {
    reconciliations.add(r);
  }

  private void addCell(String hour, String key, long nanos) {
    Map<String, Long> row = cells.computeIfAbsent(hour, h -> new HashMap<>());
    if (!row.containsKey(key) && cellCount >= MAX_CELLS) {
      key = OTHER;
    }
    if (row.merge(key, nanos, Long::sum) == nanos) {
      cellCount++;
    }
  }

  static String hourKey(Instant t) {
    return t.truncatedTo(ChronoUnit.HOURS).toString().replace(":00:00Z", ":00Z");
  }

  SpendReport finish() {
    byDimension.finish();
    byModel.finish();
    byAttribute.values().forEach(Report::finish);
    byHour.finish();
    for (int i = 0; i < byDimension.groups.size() && i < SERIES; i++) {
      series.add(byDimension.groups.get(i).key);
    }
    if (byDimension.groups.size() > SERIES || cellCount >= MAX_CELLS) {
      series.add(OTHER);
    }
    Instant start = range.from != null ? range.from : first;
    Instant end = range.until != null ? range.until : last == null ? null : last.plusNanos(1);
    if (start == null || end == null) {
      return this;
    }
    // A day only its rollup holds has no hours: with one in the report, the charts are drawn per day.
    boolean perDayOnly = !days.rolledUpOnly.isEmpty();
    boolean hourly = !perDayOnly && Duration.between(start, end).compareTo(HOURLY_UP_TO) <= 0;
    if (count(start, end, hourly) > MAX_BUCKETS && first != null && last != null) {
      start = first; // a wide range with little data: draw the data's span
      end = last.plusNanos(1);
      hourly = !perDayOnly && Duration.between(start, end).compareTo(HOURLY_UP_TO) <= 0;
    }
    fill(start, end, hourly);
    return this;
  }

  private static long count(Instant start, Instant end, boolean hourly) {
    return Duration.between(start, end).toHours() / (hourly ? 1 : 24) + 1;
  }

  private void fill(Instant start, Instant end, boolean hourly) {
    ChronoUnit unit = hourly ? ChronoUnit.HOURS : ChronoUnit.DAYS;
    Map<String, Bucket> index = new LinkedHashMap<>();
    for (Instant t = start.truncatedTo(unit); t.isBefore(end); t = t.plus(1, unit)) {
      String key = hourly ? hourKey(t) : t.atOffset(ZoneOffset.UTC).toLocalDate().toString();
      Bucket b = new Bucket(key, t);
      series.forEach(s -> b.costBySeries.put(s, 0L));
      index.put(key, b);
      buckets.add(b);
    }
    byTime = new Report(hourly ? "hour" : "day");
    for (Report.Totals hour : byHour.groups) {
      String key = hourly ? hour.key : hour.key.substring(0, 10);
      byTime.add(key, hour);
      Bucket b = index.get(key);
      if (b != null) {
        b.totals.add(hour);
        splitBySeries(b, cells.getOrDefault(hour.key, Map.of()));
      }
    }
    byTime.finish();
    for (Reconciliation r : reconciliations) {
      Bucket b = index.get(hourly ? hourKey(r.windowEnd) : r.windowEnd.atOffset(ZoneOffset.UTC).toLocalDate().toString());
      if (b != null) {
        b.driftNanos += Money.toNanos(r.drift);
      }
    }
  }

  private void splitBySeries(Bucket b, Map<String, Long> hourCells) {
    hourCells.forEach(
        (key, nanos) -> b.costBySeries.merge(b.costBySeries.containsKey(key) && !key.equals(OTHER) ? key : OTHER, nanos, Long::sum));
  }
}
