package dev.tollgate.agent.budget;

import dev.tollgate.agent.pricing.Money;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One configured budget: a scope (dimension → value or {@code *}; empty for the whole wallet), a
 * limit per period and its alert thresholds. Where it came from ({@link #origin}: a key, or the
 * budgets file and line) is what doctor and error lines name.
 */
public final class BudgetSpec {
  /** An attribute name ({@code [a-z0-9_-]{1,32}}), which also covers {@code model}, {@code provider} and {@code operation}. */
  static final Pattern DIMENSION = Pattern.compile("[a-z0-9_-]{1,32}");
  static final String WILDCARD = "*";
  static final String LIMIT_ALLOWED = "LIMIT or LIMIT/PERIOD: credits, 0 or more, and hour, day, week or month (for example 5/day)";
  static final String ALERT_ALLOWED = "a percentage of the limit (0% to 100%, e.g. 80%) or a number of credits";

  public final Map<String, String> scope;
  public final BigDecimal limit;
  public final long limitNanos;
  public final BudgetPeriod period;
  /** Thresholds as configured ({@code 80%}, {@code 4}), lowest first. */
  public final List<String> alerts;
  public final String origin;
  /** {@link #alerts} in nano-credits of spend, computed once. */
  final long[] alertNanos;

  BudgetSpec(Map<String, String> scope, BigDecimal limit, BudgetPeriod period, List<String> alerts, String origin) {
    this.scope = Collections.unmodifiableMap(new TreeMap<>(scope));
    this.limit = limit;
    this.limitNanos = Money.toNanos(limit);
    this.period = period;
    this.alerts = List.copyOf(alerts);
    this.origin = origin;
    this.alertNanos = new long[this.alerts.size()];
    for (int i = 0; i < alertNanos.length; i++) {
      alertNanos[i] = thresholdNanos(this.alerts.get(i), limitNanos);
    }
  }

  /** A limit and period as written ({@code 5}, {@code 5/day}). @throws IllegalArgumentException saying what is allowed */
  public static BudgetSpec of(Map<String, String> scope, String limitAndPeriod, List<String> alerts, String origin) {
    String text = limitAndPeriod.trim();
    int slash = text.indexOf('/');
    BudgetPeriod period = slash < 0 ? BudgetPeriod.LIFETIME : BudgetPeriod.parse(text.substring(slash + 1));
    BigDecimal limit = credits(slash < 0 ? text : text.substring(0, slash));
    if (period == null || limit == null) {
      throw new IllegalArgumentException(LIMIT_ALLOWED);
    }
    return new BudgetSpec(scope, limit, period, alerts, origin);
  }

  /** Credits, 0 or more, in the wallet's range; null when {@code text} is not such a number. */
  static @Nullable BigDecimal credits(String text) {
    try {
      BigDecimal d = new BigDecimal(text.trim());
      Money.toNanos(d);
      return d.signum() < 0 ? null : d;
    } catch (NumberFormatException | ArithmeticException e) {
      return null;
    }
  }

  /** Thresholds such as {@code 80%,100%}. @throws IllegalArgumentException saying what is allowed */
  public static List<String> alerts(String text) {
    List<String> result = new ArrayList<>();
    for (String part : text.split(",")) {
      String t = part.trim();
      if (t.isEmpty()) {
        continue;
      }
      thresholdNanos(t, Long.MAX_VALUE); // validates
      result.add(t);
    }
    return result;
  }

  /** Nano-credits of spend at which {@code threshold} ({@code 80%} or credits) is reached for {@code limitNanos}. */
  static long thresholdNanos(String threshold, long limitNanos) {
    boolean percent = threshold.endsWith("%");
    BigDecimal d = credits(percent ? threshold.substring(0, threshold.length() - 1) : threshold);
    if (d == null || (percent && d.compareTo(BigDecimal.valueOf(100)) > 0)) {
      throw new IllegalArgumentException(ALERT_ALLOWED);
    }
    return percent ? Money.toNanos(Money.fromNanos(limitNanos == Long.MAX_VALUE ? 0 : limitNanos).multiply(d).movePointLeft(2))
        : Money.toNanos(d);
  }

  /** Whether {@code name} may be a dimension. */
  static boolean isDimension(String name) {
    return DIMENSION.matcher(name).matches();
  }

  /** The scope and period: two budgets with the same one would govern the same spend, so only one may be in force. */
  String scopeAndPeriod() {
    return scope + "/" + period;
  }

  /** {@code {tenant=acme}} per day, as lines and messages show it. */
  String describe() {
    return (scope.isEmpty() ? "wallet" : scope.toString()) + " " + Money.format(limitNanos) + "/" + period.label();
  }

  @Override
  public String toString() {
    return describe() + " (" + origin + ")";
  }
}
