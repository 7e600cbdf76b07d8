package dev.tollgate.agent.cli;

import dev.tollgate.agent.journal.Rollup;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Totals of journal records, overall and per group (model, provider, tenant or day). */
final class Report {

  /** One line of a report. */
  static final class Totals {
    final String key;
    long calls;
    long blocked;
    long inputTokens;
    long outputTokens;
    long costNanos;

    /** Exact, without trailing zeros. */
    BigDecimal cost() {
      return Money.fromNanos(costNanos);
    }

    Totals(String key) {
      this.key = key;
    }

    void add(Rollup.Group g) {
      if (g.status == UsageRecord.Status.BLOCKED) {
        blocked += g.calls;
        return;
      }
      calls += g.calls;
      inputTokens += g.inputTokens;
      outputTokens += g.outputTokens;
      costNanos += g.costNanos;
    }
  }

  final Totals totals = new Totals("total");
  final List<Totals> groups = new ArrayList<>();

  /** The report of the journal's records (a test's, or a small journal's). */
  static Report of(List<UsageRecord> records, String by) {
    Report report = new Report(by);
    records.forEach(r -> report.add(Rollup.Group.of(r)));
    return report.sorted();
  }

  /**
   * The report of a data dir, a day at a time: each past day from its rollup (summed from the daily
   * file, and saved, when it has none or the file grew), today from its file. Holds one day's groups
   * and the report's, never the records.
   */
  static Report of(Path dataDir, String by, LocalDate today) throws IOException {
    Report report = new Report(by);
    for (LocalDate day : Rollup.days(dataDir)) {
      Rollup r;
      try {
        r = Rollup.current(dataDir, day, today, true);
      } catch (IOException e) {
        r = Rollup.current(dataDir, day, today, false); // a data dir this user may read but not write (or a full disk)
      }
      if (r != null) {
        r.groups().forEach(report::add);
      }
    }
    return report.sorted();
  }

  private final String by;
  private final Function<Rollup.Group, String> key;
  private final Map<String, Totals> byKey = new LinkedHashMap<>();

  private Report(String by) {
    this.by = by;
    this.key = keyFunction(by);
  }

  private void add(Rollup.Group g) {
    totals.add(g);
    byKey.computeIfAbsent(key.apply(g), Totals::new).add(g);
  }

  private Report sorted() {
    groups.addAll(byKey.values());
    Comparator<Totals> order = by.equals("day")
        ? Comparator.comparing(t -> t.key)
        : Comparator.<Totals>comparingLong(t -> t.costNanos).reversed().thenComparing(t -> t.key);
    groups.sort(order);
    return this;
  }

  static Function<Rollup.Group, String> keyFunction(String by) {
    switch (by) {
      case "model":
        return g -> g.model;
      case "provider":
        return g -> g.provider;
      case "tenant":
        return g -> g.attributes.getOrDefault("tenant", "-");
      case "day":
        return g -> g.day;
      default:
        throw new IllegalArgumentException("--by must be one of model, provider, tenant, day; was " + by);
    }
  }
}
