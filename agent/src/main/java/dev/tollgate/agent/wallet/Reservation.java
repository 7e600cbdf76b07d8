package dev.tollgate.agent.wallet;

/**
 * The wallet's answer to a call: granted (credits held for its worst case until it settles),
 * denied (the call is blocked and never settles), or unheld ({@code tollgate.enforce=off}: the call
 * proceeds without holding credits, and its cost is still spent when it settles).
 */
public final class Reservation {

  public final long amountNanos;
  /** The call may proceed. */
  public final boolean granted;
  /** Credits are held for it until it settles. */
  public final boolean held;
  /** Credits available when the reservation was asked for. */
  public final long availableNanos;
  /** Unheld, and counted in the wallet's calls in flight ({@link Wallet#unheld}) until it settles. */
  final boolean inFlight;

  /** Nothing held ({@code tollgate.enforce=off}); remembers the worst case for the record. */
  public static Reservation none(long worstCaseNanos) {
    return new Reservation(worstCaseNanos, true, false, Long.MAX_VALUE);
  }

  Reservation(long amountNanos, boolean granted, boolean held, long availableNanos) {
    this(amountNanos, granted, held, availableNanos, false);
  }

  Reservation(long amountNanos, boolean granted, boolean held, long availableNanos, boolean inFlight) {
    this.amountNanos = amountNanos;
    this.granted = granted;
    this.held = held;
    this.availableNanos = availableNanos;
    this.inFlight = inFlight;
  }
}
