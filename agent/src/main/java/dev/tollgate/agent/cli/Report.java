package dev.tollgate.agent.cli;

import dev.tollgate.agent.attribution.Attributes;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Totals of journal records, overall and per group (model, provider, operation, day or any attribute). */
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

    void add(UsageRecord r) {
      if (r.status() == UsageRecord.Status.BLOCKED) {
        blocked++;
        return;
      }
      calls++;
      inputTokens += r.inputTokens();
      outputTokens += r.outputTokens();
      costNanos += Money.toNanos(r.cost());
    }
  }

  final Totals totals = new Totals("total");
  final List<Totals> groups = new ArrayList<>();

  static Report of(List<UsageRecord> records, String by) {
    Function<UsageRecord, String> key = keyFunction(by);
    Map<String, Totals> groups = new LinkedHashMap<>();
    Report report = new Report();
    for (UsageRecord r : records) {
      report.totals.add(r);
      groups.computeIfAbsent(key.apply(r), Totals::new).add(r);
    }
    report.groups.addAll(groups.values());
    Comparator<Totals> order = by.equals("day")
        ? Comparator.comparing(t -> t.key)
        : Comparator.<Totals>comparingLong(t -> t.costNanos).reversed().thenComparing(t -> t.key);
    report.groups.sort(order);
    return report;
  }

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
      default:
        if (!Attributes.isValidName(by)) {
          throw new IllegalArgumentException("--by must be model, provider, operation, day or an attribute name ([a-z0-9_-]{1,32}); was " + by);
        }
        return r -> r.attributes().getOrDefault(by, "-");
    }
  }
}
