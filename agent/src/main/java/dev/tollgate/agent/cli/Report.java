package dev.tollgate.agent.cli;

import dev.tollgate.agent.journal.Rollup;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/** Totals of journal records, overall and per group (model, provider, operation, an attribute, day or hour). */
final class Report {
  private static final Pattern ATTRIBUTE = Pattern.compile("[a-z0-9_-]{1,32}");

  /** One line of a report. */
  static final class Totals {
    final String key;
    long calls;
    long blocked;
    long inputTokens;
    long outputTokens;
    long cacheReadTokens;
    long costNanos;

    /** Exact, without trailing zeros. */
    BigDecimal cost() {
      return Money.fromNanos(costNanos);
    }

    Totals(String key) {
      this.key = key;
    }

    void add(UsageRecord r) {
      if (r.status() == UsageRecord.Status.BLOCKED) {
        blocked++;
        return;
      }
      calls++;
      inputTokens += r.inputTokens();
      outputTokens += r.outputTokens();
      cacheReadTokens += r.cacheReadTokens();
      costNanos += Money.toNanos(r.cost());
    }

    void add(Rollup.Group g) {
      if (g.status == UsageRecord.Status.BLOCKED) {
        blocked += g.calls;
        return;
      }
      calls += g.calls;
      inputTokens += g.inputTokens;
      outputTokens += g.outputTokens;
      cacheReadTokens += g.cacheReadTokens;
      costNanos += g.costNanos;
    }

    void add(Totals t) {
      calls += t.calls;
      blocked += t.blocked;
      inputTokens += t.inputTokens;
      outputTokens += t.outputTokens;
      cacheReadTokens += t.cacheReadTokens;
      costNanos += t.costNanos;
    }
  }

  final String by;
  final Totals totals = new Totals("total");
  final List<Totals> groups = new ArrayList<>();
  private final Function<UsageRecord, String> key;
  private final Map<String, Totals> byKey = new LinkedHashMap<>();
  /** How {@link #read} found the days (those only rollups hold). */
  JournalDays days = JournalDays.NONE;

  /** An empty report grouped {@code by}; feed it with {@link #add}, then read it after {@link #finish}. */
  Report(String by) {
    this.by = by;
    this.key = keyFunction(by);
  }

  static Report of(List<UsageRecord> records, String by) {
    Report report = new Report(by);
    records.forEach(report::add);
    return report.finish();
  }

  /**
   * The report of {@code dataDir}'s records inside {@code range}, read as {@link JournalDays} reads
   * every report: a day inside the range from its rollup, a day the range cuts record by record (and
   * with {@code --by hour} every day that has its daily file), a day only its rollup holds counted per
   * day. Holds one day's groups and the report's, never the records.
   */
  static Report read(Path dataDir, String by, TimeRange range, LocalDate today) throws IOException {
    Report report = new Report(by);
    Function<Rollup.Group, String> groupKey = groupKeyFunction(by);
    report.days = JournalDays.read(dataDir, range, today, by.equals("hour"), new JournalDays.Sink() {
      @Override
      public void record(UsageRecord r) {
        report.add(r);
      }

      @Override
      public void day(Rollup day) {
        day.groups().forEach(g -> report.add(groupKey.apply(g), g));
      }
    });
    return report.finish();
  }

  /** {@link #read} of the whole journal. */
  static Report of(Path dataDir, String by, LocalDate today) throws IOException {
    return read(dataDir, by, TimeRange.ALL, today);
  }

  void add(UsageRecord r) {
    totals.add(r);
    byKey.computeIfAbsent(key.apply(r), Totals::new).add(r);
  }

  /** Adds a rollup's group to the group {@code key} (and to the totals). */
  void add(String groupKey, Rollup.Group g) {
    totals.add(g);
    byKey.computeIfAbsent(groupKey, Totals::new).add(g);
  }

  /** Adds {@code t}'s figures to the group {@code key} (and to the totals): folds hours into days. */
  void add(String groupKey, Totals t) {
    totals.add(t);
    byKey.computeIfAbsent(groupKey, Totals::new).add(t);
  }

  /** Fills {@link #groups}: time keys in order, any other key by cost, most first. */
  Report finish() {
    groups.clear();
    groups.addAll(byKey.values());
    Comparator<Totals> order = isTime(by)
        ? Comparator.comparing(t -> t.key)
        : Comparator.<Totals>comparingLong(t -> t.costNanos).reversed().thenComparing(t -> t.key);
    groups.sort(order);
    return this;
  }

  static boolean isTime(String by) {
    return by.equals("day") || by.equals("hour");
  }

  /**
   * {@link #keyFunction} on a rollup's group, which holds the same fields save the hour: grouped by
   * {@code hour}, a group is keyed by its day ({@code 2026-12-07}), which sorts before that day's hours.
   */
  static Function<Rollup.Group, String> groupKeyFunction(String by) {
    switch (by) {
      case "model":
        return g -> g.model;
      case "provider":
        return g -> g.provider;
      case "operation":
        return g -> g.operation;
      case "day":
        return g -> g.day;
      case "hour":
        return g -> g.day;
      default:
        keyFunction(by); // checks the name
        return g -> g.attributes.getOrDefault(by, "-");
    }
  }

  /**
   * The group key of a record: {@code model}, {@code provider}, {@code operation}, {@code day}
   * ({@code 2026-12-07}, UTC), {@code hour} ({@code 2026-12-07T10:00Z}), or any attribute name
   * ({@code -} for a record without it).
   */
  static Function<UsageRecord, String> keyFunction(String by) {
    switch (by) {
      case "model":
        return UsageRecord::model;
      case "provider":
        return UsageRecord::provider;
      case "operation":
        return UsageRecord::operation;
      case "day":
        return r -> r.time().atOffset(ZoneOffset.UTC).toLocalDate().toString();
      case "hour":
        return r -> r.time().truncatedTo(ChronoUnit.HOURS).toString().replace(":00:00Z", ":00Z");
      default:
        if (!ATTRIBUTE.matcher(by).matches()) {
          throw new IllegalArgumentException(
              "--by must be model, provider, operation, day, hour or an attribute name ([a-z0-9_-]{1,32}); was " + by);
        }
        return r -> r.attributes().getOrDefault(by, "-");
    }
  }
}
