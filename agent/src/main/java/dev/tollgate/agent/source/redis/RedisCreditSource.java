package dev.tollgate.agent.source.redis;

import dev.tollgate.agent.config.TollgateConfig.RedisSetting;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.wallet.BalanceCache;
import dev.tollgate.agent.wallet.BalanceSnapshot;
import dev.tollgate.agent.wallet.CreditSource;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * This JVM's lease of a shared Redis wallet, as a credit source. Each {@link #fetch} (the balance
 * cache's refresh, every {@code tollgate.balance-refresh}) reports the spend settled since the last
 * one and tops the lease up to {@code tollgate.redis.lease}; the snapshot's balance is the lease,
 * its watermark the spend total reported, so the wallet's usual arithmetic enforces the lease with
 * no network round trip per call. A lease Redis has not seen renewed for {@code
 * tollgate.redis.lease-ttl} goes back to the shared balance, so a snapshot is usable only until a
 * little before that ({@link BalanceSnapshot#usableUntilNanos}).
 */
public final class RedisCreditSource implements CreditSource {
  /** How long giving the lease back at exit waits for calls in flight to settle, at most; see {@link #awaitInFlight}. */
  static final Duration SETTLE_GRACE = Duration.ofSeconds(2);
  /** How long it waits with none of them settling. */
  static final Duration SETTLE_IDLE = Duration.ofMillis(200);
  private static final long SETTLE_POLL_MILLIS = 5;

  private final RedisWallet wallet;
  private final long leaseNanos;
  private final long fundNanos;
  private final long usableNanos;
  private final LongSupplier spent;
  private final LongSupplier nanoTime;
  private final Clock clock;
  /** The spend total Redis last acknowledged for this JVM (guarded by this). */
  private long acked;
  /** Whether Redis ever answered a lease for this JVM (guarded by this): only then is there one to give back. */
  private boolean leased;
  private boolean released;
  /** The wallet's open reservations: a refresh leases {@code lease} on top of them. */
  private volatile LongSupplier reserved = () -> 0;
  /** The shared wallet's unleased balance at the last read, for {@link #wantsRefill}. */
  private volatile long shared;
  /** The worst cases of the wallet's calls in flight, held or not: what giving the lease back waits for. */
  private volatile LongSupplier inFlight = () -> 0;
  /** {@link #SETTLE_GRACE} and {@link #SETTLE_IDLE}; tests change them. */
  Duration settleGrace = SETTLE_GRACE;
  Duration settleIdle = SETTLE_IDLE;
  /** Where giving the lease back reports a failure; tests change it. */
  Consumer<String> warn = Log::warn;

  /**
   * @param fundNanos the balance to create the wallet with if it does not exist yet, or -1
   * @param spent the wallet's spend total (the watermark and what is reported)
   */
  public RedisCreditSource(RedisWallet wallet, long leaseNanos, Duration ttl, long fundNanos, LongSupplier spent, LongSupplier nanoTime,
      Clock clock) {
    this.wallet = wallet;
    this.leaseNanos = leaseNanos;
    this.fundNanos = fundNanos;
    this.usableNanos = ttl.toNanos() - ttl.toNanos() / 10; // Redis's clock may run a little faster than ours
    this.spent = spent;
    this.nanoTime = nanoTime;
    this.clock = clock;
    this.acked = spent.getAsLong();
  }

  /** Connects (lazily: nothing is sent before the first read) to the wallet {@code s} names. */
  public static RedisCreditSource open(RedisSetting s, long fundNanos, Duration timeout, LongSupplier spent) {
    String jvm = ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    return new RedisCreditSource(RedisWallet.open(s, timeout, jvm), s.leaseNanos, s.leaseTtl, fundNanos, spent, System::nanoTime,
        Clock.systemUTC());
  }

  /**
   * Counts the wallet's open reservations ({@code Wallet::reservedNanos}) into each refresh, so calls
   * in flight do not eat the headroom of the next ones.
   */
  @Override
  public void countReservations(LongSupplier reservedNanos) {
    this.reserved = reservedNanos;
  }

  @Override
  public void countInFlight(LongSupplier inFlightNanos) {
    this.inFlight = inFlightNanos;
  }

  /** Reports spend; tops the lease up to {@code tollgate.redis.lease} beyond the open reservations. */
  @Override
  public synchronized BalanceSnapshot fetch() throws IOException {
    return lease(leaseNanos + reserved.getAsLong(), 0);
  }

  /** Leases what the call lacks on top of what is held (or the usual lease, if more). */
  @Override
  public synchronized BalanceSnapshot topUp(long shortNanos) throws IOException {
    return lease(leaseNanos, Math.max(0, shortNanos));
  }

  private BalanceSnapshot lease(long target, long extra) throws IOException {
    if (released) { // at shutdown, after the lease went back: nothing more is lent
      return nothingLent();
    }
    long total = spent.getAsLong(); // before the script: spend settled meanwhile is subtracted locally, and reported next time
    long sentAt = nanoTime.getAsLong();
    RedisWallet.Lease l = wallet.lease(acked, total, target, extra, fundNanos);
    acked = total;
    leased = true;
    shared = l.balanceNanos;
    if (!l.funded) {
      throw new IOException("redis " + wallet + " does not exist yet: start one JVM with tollgate.budget to fund it");
    }
    List<BalanceSnapshot.Bucket> buckets = List.of(new BalanceSnapshot.Bucket("lease", l.heldNanos, null),
        new BalanceSnapshot.Bucket("shared", l.balanceNanos, null));
    return new BalanceSnapshot(l.heldNanos, total, buckets, clock.instant(), null, false, sentAt + usableNanos,
        Math.max(0, l.balanceNanos));
  }

  private BalanceSnapshot nothingLent() {
    return new BalanceSnapshot(0, spent.getAsLong());
  }

  /** The scoped budgets of this wallet, shared by every JVM on it. */
  @Override
  public RedisBudgets sharedBudgets() {
    return new RedisBudgets(wallet);
  }

  /** Below half a lease, while the shared wallet has credits to lend. */
  @Override
  public boolean wantsRefill(long availableNanos) {
    return availableNanos < leaseNanos / 2 && shared > 0;
  }

  /**
   * The shutdown hook: stops lending, tells {@code cache} that nothing is held, then gives the lease
   * back ({@link #release}). The JVM runs its shutdown hooks at once, so an application's own hook
   * may still make calls after this one starts: they would otherwise spend from the snapshot of a
   * lease being given back, and their spend would never reach the shared wallet. They are blocked
   * instead; a call that had reserved before settles as usual and is in the journal, and its spend
   * is reported with the lease ({@link #giveBack}). Lending stops first, so a refresh between the two
   * steps cannot put a lease back in the cache.
   */
  public static Runnable releaseAtExit(RedisCreditSource source, BalanceCache cache) {
    return () -> {
      boolean first = source.stopLending();
      cache.offer(source.nothingLent());
      if (first) {
        source.giveBack(false); // the pool stays open: a call settling its shared budgets meanwhile still reaches them
      }
    };
  }

  /**
   * Reports the last spend and gives the lease back, once. A failure is logged: the lease then
   * returns to the shared wallet when its TTL runs out.
   */
  public void release() {
    if (stopLending()) {
      giveBack(true);
    }
  }

  /** From now on nothing is lent; true the first time. */
  private synchronized boolean stopLending() {
    if (released) {
      return false;
    }
    released = true;
    return true;
  }

  /**
   * Reports the spend and gives the lease back. Calls still in flight reserved from this lease (or,
   * under {@code tollgate.enforce=off}, hold nothing), and their spend could never be reported once it
   * is back: it waits while they settle ({@link #awaitInFlight}), then counts the worst case of any still
   * open as spent. The shared wallet may so be charged more than such a call costs, never less; the
   * journal has its real cost.
   *
   * <p>A JVM Redis never answered holds no lease: with no spend to report either, there is nothing to
   * give back and nothing is sent or said. (A lease whose answer was lost on the way back returns
   * when its TTL runs out.)
   *
   * @param close whether to close the connection pool too (not at exit, where the process ends anyway)
   */
  private void giveBack(boolean close) {
    awaitInFlight();
    synchronized (this) {
      // In flight before the spend total: a call settling between the two is counted twice, never missed.
      long open = inFlight.getAsLong();
      long total = spent.getAsLong() + open;
      try {
        if (!leased && total == acked) {
          return;
        }
        wallet.release(acked, total);
        if (open > 0) {
          warn.accept("calls still in flight when this JVM gave its Redis lease back were charged to the shared wallet at their "
              + "worst-case cost; the journal has what they really cost");
        }
      } catch (IOException | RuntimeException e) {
        warn.accept(e.getMessage() + "; " + unreleased(total - acked));
      } finally {
        if (close) {
          wallet.close();
        }
      }
    }
  }

  /** What a failed give-back leaves behind, with {@code unreportedNanos} spent since the last report. */
  private String unreleased(long unreportedNanos) {
    String unreported = Money.format(unreportedNanos) + " credits it spent";
    if (!leased) {
      return "this JVM never held a lease, and the " + unreported + " were never reported to the shared wallet (the journal has them)";
    }
    return "this JVM's lease returns to the shared wallet when its TTL runs out" + (unreportedNanos <= 0 ? ""
        : ", and the " + unreported + " since its last report are not charged to it (the journal has them)");
  }

  /**
   * Waits while calls in flight settle: up to {@link #SETTLE_GRACE} in all, and no longer than {@link
   * #SETTLE_IDLE} without one settling (a body the application dropped unread settles only after a
   * collection, which a JVM shutting down may never run; a long stream would keep it waiting).
   */
  private void awaitInFlight() {
    long start = System.nanoTime();
    long progressAt = start;
    long open = inFlight.getAsLong();
    try {
      while (open > 0) {
        long now = System.nanoTime();
        if (now - start >= settleGrace.toNanos() || now - progressAt >= settleIdle.toNanos()) {
          return;
        }
        Thread.sleep(SETTLE_POLL_MILLIS);
        long left = inFlight.getAsLong();
        if (left < open) {
          progressAt = System.nanoTime();
        }
        open = left;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // give back what is known now
    }
  }

  /** It counts spend itself: a drift is never a top-up. */
  @Override
  public boolean balanceOnly() {
    return false;
  }

  @Override
  public String name() {
    return "redis";
  }
}
