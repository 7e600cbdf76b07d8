package dev.tollgate.agent.wallet;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The wallet's arithmetic, in nano-credits:
 *
 * <pre>available = balance at last refresh − spend recorded since that refresh − open reservations</pre>
 *
 * A reservation holds a call's worst case; settling replaces it with the real cost. Reserve and
 * settle are one short critical section each, so concurrent calls can never together take more
 * than is available.
 */
public final class Wallet {
  private final @Nullable BalanceCache balance;
  private final AtomicLong spent = new AtomicLong();
  private long reserved;
  private long openReservations;
  /** The worst cases of calls in flight that hold nothing ({@code tollgate.enforce=off}). */
  private long unheld;
  /** Told the spend total at every settle, in order (the shared local wallet's published total); null for none. */
  private @Nullable LongConsumer spendMirror;

  /**
   * @param recoveredSpendNanos spend already recorded in the journal before this JVM started
   * @param balanceFactory builds the cached balance given this wallet's spend total, or null for
   *     a wallet without a budget (meter only)
   */
  public Wallet(long recoveredSpendNanos, @Nullable Function<LongSupplier, BalanceCache> balanceFactory) {
    this.spent.set(recoveredSpendNanos);
    this.balance = balanceFactory == null ? null : balanceFactory.apply(spent::get);
  }

  /** Whether this wallet has a limit at all. */
  public boolean isLimited() {
    return balance != null;
  }

  /**
   * Reserves {@code amountNanos}. When {@code mustFit} and the amount exceeds what is available,
   * nothing is reserved and the returned reservation is not {@link Reservation#granted}.
   */
  public Reservation reserve(long amountNanos, boolean mustFit) {
    if (balance == null) {
      synchronized (this) {
        reserved += amountNanos;
        openReservations++;
      }
      return new Reservation(amountNanos, true, true, Long.MAX_VALUE);
    }
    Reservation r = reserve(balance.current(), amountNanos, mustFit);
    // A source that lends (a Redis lease) gets one synchronous chance to cover the shortfall.
    if (!r.granted && balance.topUp(amountNanos - r.availableNanos)) {
      r = reserve(balance.current(), amountNanos, mustFit);
    }
    if (r.granted) {
      balance.refreshIfLow(r.availableNanos - amountNanos);
    }
    return r;
  }

  private synchronized Reservation reserve(BalanceSnapshot snap, long amountNanos, boolean mustFit) {
    long available = available(snap);
    if (mustFit && amountNanos > available) {
      return new Reservation(amountNanos, false, false, available);
    }
    reserved += amountNanos;
    openReservations++;
    return new Reservation(amountNanos, true, true, available);
  }

  /**
   * A call that proceeds without holding credits ({@code tollgate.enforce=off}): nothing is held, but
   * its worst case counts in {@link #inFlightNanos} until it settles.
   */
  public Reservation unheld(long worstCaseNanos) {
    synchronized (this) {
      unheld += worstCaseNanos;
    }
    return new Reservation(worstCaseNanos, true, false, Long.MAX_VALUE, true);
  }

  /**
   * Replaces a granted reservation with the call's real cost ({@code 0} to release it). A call made
   * without a reservation ({@code tollgate.enforce=off}) still spends: the balance never lies.
   */
  public void settle(Reservation r, long costNanos) {
    if (!r.granted) {
      return; // a blocked call spent nothing
    }
    synchronized (this) {
      if (r.held) {
        reserved -= r.amountNanos;
        openReservations--;
      } else if (r.inFlight) {
        unheld -= r.amountNanos;
      }
      long total = spent.addAndGet(costNanos);
      if (spendMirror != null) {
        spendMirror.accept(total);
      }
    }
  }

  /**
   * Tells {@code mirror} the spend total at every settle, under the wallet's lock (so in order): it
   * must be a few memory writes. Set once, before the first call.
   */
  public synchronized void mirrorSpend(LongConsumer mirror) {
    this.spendMirror = mirror;
  }

  /** Credits available now; {@link Long#MAX_VALUE} for a wallet without a budget. */
  public long available() {
    if (balance == null) {
      return Long.MAX_VALUE;
    }
    BalanceSnapshot snap = balance.current();
    synchronized (this) {
      return available(snap);
    }
  }

  /**
   * What this JVM could still spend: {@link #available()} plus what its source may still lend (the
   * shared Redis wallet's unleased balance); what the facade and the low-balance warning report.
   */
  public long availableWithShared() {
    if (balance == null) {
      return Long.MAX_VALUE;
    }
    BalanceSnapshot snap = balance.current();
    synchronized (this) {
      return available(snap) + snap.sharedNanos;
    }
  }

  private long available(BalanceSnapshot snap) {
    return snap.balanceNanos - (spent.get() - snap.spentWatermarkNanos) - reserved;
  }

  /**
   * The credit source's buckets as of its last refresh, in the order they are drawn; empty for a
   * wallet without a limit or a source without buckets.
   */
  public java.util.List<BalanceSnapshot.Bucket> buckets() {
    return balance == null ? java.util.List.of() : balance.current().buckets;
  }

  /** The cached balance this wallet enforces, or null for a wallet without a limit. */
  public @Nullable BalanceCache balanceCache() {
    return balance;
  }

  /** Whether the credit source itself says the balance is low (Synap's {@code warning_low}). */
  public boolean remoteWarningLow() {
    return balance != null && balance.current().remoteWarningLow;
  }

  /** Total spend: recovered from the journal plus settled by this JVM. */
  public long spentNanos() {
    return spent.get();
  }

  /** Calls reserved and not yet settled. */
  public synchronized long openReservations() {
    return openReservations;
  }

  /** Credits held by open reservations. */
  public synchronized long reservedNanos() {
    return reserved;
  }

  /**
   * The worst cases of every call in flight, held or not: what a source that must report spend it
   * will not see settle (a Redis lease given back at exit) counts as spent.
   */
  public synchronized long inFlightNanos() {
    return reserved + unheld;
  }
}
