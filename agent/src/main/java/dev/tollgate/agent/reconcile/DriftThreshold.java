package dev.tollgate.agent.reconcile;

import dev.tollgate.agent.pricing.Money;
import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * {@code tollgate.drift-threshold}: a percentage of the window's remote spend ({@code 5%}, the
 * default) or a number of credits. A window's drift goes beyond it when {@code |remote − local|} is
 * greater than the threshold, so a window where the source billed nothing and Tollgate metered
 * something is always beyond a percentage.
 */
public final class DriftThreshold {
  private final BigDecimal value;
  private final boolean percent;

  public DriftThreshold(BigDecimal value, boolean percent) {
    this.value = value;
    this.percent = percent;
  }

  /** Whether {@code driftNanos} goes beyond the threshold for a window whose remote spend is {@code remoteNanos}. */
  boolean exceeded(long remoteNanos, long driftNanos) {
    return Math.abs(driftNanos) > limitNanos(remoteNanos);
  }

  private long limitNanos(long remoteNanos) {
    if (!percent) {
      return Money.toNanos(value);
    }
    return BigDecimal.valueOf(Math.abs(remoteNanos)).multiply(value).movePointLeft(2).setScale(0, RoundingMode.DOWN).longValueExact();
  }

  @Override
  public String toString() {
    return value.toPlainString() + (percent ? "%" : " credits");
  }
}
