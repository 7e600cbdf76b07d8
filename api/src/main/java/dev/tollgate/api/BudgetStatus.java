package dev.tollgate.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * One budget as it stands in its current period: its scope (for example {@code {tenant=acme}}; empty
 * for the whole wallet), its period ({@code hour}, {@code day}, {@code week}, {@code month} or
 * {@code lifetime}), its limit, what this period has spent and holds reserved, what is left, and
 * when the period resets (null for a lifetime budget). Amounts are credits.
 */
public final class BudgetStatus {
  private final Map<String, String> scope;
  private final String period;
  private final BigDecimal limit;
  private final BigDecimal spent;
  private final BigDecimal reserved;
  private final @Nullable Instant resetsAt;

  /**
   * @param scope dimension → value of the scope this budget limits; empty for the whole wallet
   * @param period {@code hour}, {@code day}, {@code week}, {@code month} or {@code lifetime}
   * @param limit credits the scope may spend per period
   * @param spent credits spent in the current period
   * @param reserved credits held by calls in flight
   * @param resetsAt when the current period ends; null for a lifetime budget
   */
  public BudgetStatus(Map<String, String> scope, String period, BigDecimal limit, BigDecimal spent, BigDecimal reserved,
      @Nullable Instant resetsAt) {
    this.scope = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(scope, "scope")));
    this.period = Objects.requireNonNull(period, "period");
    this.limit = Objects.requireNonNull(limit, "limit");
    this.spent = Objects.requireNonNull(spent, "spent");
    this.reserved = Objects.requireNonNull(reserved, "reserved");
    this.resetsAt = resetsAt;
  }

  /** Dimension → value, sorted by dimension; empty for the whole wallet. */
  public Map<String, String> scope() {
    return scope;
  }

  /** {@code hour}, {@code day}, {@code week}, {@code month} or {@code lifetime}. */
  public String period() {
    return period;
  }

  /** Credits the scope may spend per period. */
  public BigDecimal limit() {
    return limit;
  }

  /** Credits spent in the current period. */
  public BigDecimal spent() {
    return spent;
  }

  /** Credits held by calls in flight. */
  public BigDecimal reserved() {
    return reserved;
  }

  /**
   * {@code limit − spent − reserved}, without trailing zeros ({@code 0}, not {@code 0.0000}); negative
   * when a call cost more than its reservation.
   */
  public BigDecimal remaining() {
    BigDecimal r = limit.subtract(spent).subtract(reserved).stripTrailingZeros();
    return r.scale() < 0 ? r.setScale(0) : r;
  }

  /** When the current period ends and the budget starts afresh; null for a lifetime budget. */
  public @Nullable Instant resetsAt() {
    return resetsAt;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof BudgetStatus)) {
      return false;
    }
    BudgetStatus b = (BudgetStatus) o;
    return scope.equals(b.scope) && period.equals(b.period) && limit.compareTo(b.limit) == 0 && spent.compareTo(b.spent) == 0
        && reserved.compareTo(b.reserved) == 0 && Objects.equals(resetsAt, b.resetsAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(scope, period, resetsAt);
  }

  @Override
  public String toString() {
    return "BudgetStatus{" + scope + " per " + period + ", limit=" + limit.toPlainString() + ", spent=" + spent.toPlainString()
        + ", reserved=" + reserved.toPlainString() + ", remaining=" + remaining().toPlainString()
        + (resetsAt == null ? "" : ", resets_at=" + resetsAt) + '}';
  }
}
