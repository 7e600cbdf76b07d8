package dev.tollgate.agent.wallet;

/** Credits held for one call's worst case until it settles. */
public final class Reservation {

  public final long amountNanos;
  public final boolean granted;
  /** Credits available when the reservation was asked for. */
  public final long availableNanos;

  /** Nothing held ({@code tollgate.enforce=off}); remembers the worst case for the record. */
  public static Reservation none(long worstCaseNanos) {
    return new Reservation(worstCaseNanos, false, Long.MAX_VALUE);
  }

  Reservation(long amountNanos, boolean granted, long availableNanos) {
    this.amountNanos = amountNanos;
    this.granted = granted;
    this.availableNanos = availableNanos;
  }
}
