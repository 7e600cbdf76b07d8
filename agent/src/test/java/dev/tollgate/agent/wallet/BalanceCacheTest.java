package dev.tollgate.agent.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.config.TollgateConfig.OnSourceFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Refresh semantics with a counting fake source and a direct executor, so every refresh runs on
 * the reading thread and the test needs no waiting for a background load.
 */
class BalanceCacheTest {

  /** Answers the queued snapshots (or failures) in order, counting fetches. */
  static final class ScriptedSource implements CreditSource {
    final Deque<Object> script = new ArrayDeque<>();
    int fetches;

    ScriptedSource then(long balance) {
      script.add(new BalanceSnapshot(balance, 0));
      return this;
    }

    ScriptedSource thenFail() {
      script.add(new IOException("credit API answered 503"));
      return this;
    }

    @Override
    public BalanceSnapshot fetch() throws IOException {
      fetches++;
      Object next = script.size() > 1 ? script.poll() : script.peek();
      if (next instanceof IOException) {
        throw (IOException) next;
      }
      return (BalanceSnapshot) next;
    }

    @Override
    public String name() {
      return "scripted";
    }
  }

  @Test
  void current_firstRead_loadsOnce() {
    ScriptedSource source = new ScriptedSource().then(100);
    BalanceCache cache = new BalanceCache(source, Duration.ofHours(1), Runnable::run);

    assertThat(cache.current().balanceNanos).isEqualTo(100);
    assertThat(cache.current().balanceNanos).isEqualTo(100);
    assertThat(source.fetches).isEqualTo(1);
  }

  @Test
  void current_andTopUp_onAThreadWhoseInterruptFlagIsSet_readTheSource_andLeaveTheFlagSet() {
    // A source whose I/O fails on the flag, as OkHttp's (okio's timeouts) and FileChannel's do.
    AtomicLong balance = new AtomicLong(100);
    CreditSource interruptible = new CreditSource() {
      @Override
      public BalanceSnapshot fetch() throws IOException {
        if (Thread.currentThread().isInterrupted()) {
          throw new java.io.InterruptedIOException("interrupted");
        }
        return new BalanceSnapshot(balance.get(), 0);
      }

      @Override
      public BalanceSnapshot topUp(long shortNanos) throws IOException {
        balance.addAndGet(shortNanos);
        return fetch();
      }

      @Override
      public String name() {
        return "interruptible";
      }
    };
    BalanceCache cache = new BalanceCache(interruptible, Duration.ofHours(1), Runnable::run);

    Thread.currentThread().interrupt();
    try {
      assertThat(cache.current().balanceNanos).isEqualTo(100);
      assertThat(cache.topUp(50)).isTrue();
      assertThat(Thread.currentThread().isInterrupted()).as("the application's interrupt is left for it").isTrue();
    } finally {
      Thread.interrupted();
    }
    assertThat(cache.current().balanceNanos).isEqualTo(150);
  }

  @Test
  void current_beforeRefreshInterval_doesNotFetchAgain() {
    ScriptedSource source = new ScriptedSource().then(100).then(90);
    BalanceCache cache = new BalanceCache(source, Duration.ofHours(1), Runnable::run);

    for (int i = 0; i < 100; i++) {
      assertThat(cache.current().balanceNanos).isEqualTo(100);
    }
    assertThat(source.fetches).isEqualTo(1);
  }

  @Test
  void invalidate_nextReadLoadsFreshValue() {
    ScriptedSource source = new ScriptedSource().then(100).then(90);
    BalanceCache cache = new BalanceCache(source, Duration.ofHours(1), Runnable::run);
    cache.current();

    cache.invalidate();

    assertThat(cache.current().balanceNanos).isEqualTo(90);
    assertThat(source.fetches).isEqualTo(2);
  }

  @Test
  void current_afterRefreshInterval_refreshes() throws InterruptedException {
    ScriptedSource source = new ScriptedSource().then(100).then(90);
    BalanceCache cache = new BalanceCache(source, Duration.ofNanos(1), Runnable::run);
    cache.current();
    Thread.sleep(2); // let the 1 ns refresh interval pass; nothing is asserted about time

    cache.current();

    assertThat(source.fetches).isEqualTo(2);
    assertThat(cache.current().balanceNanos).isEqualTo(90);
  }

  @Test
  void current_whenRefreshFails_keepsLastKnownValue() throws InterruptedException {
    ScriptedSource source = new ScriptedSource().then(100).thenFail().then(80);
    BalanceCache cache = new BalanceCache(source, Duration.ofNanos(1), Runnable::run);
    cache.current();
    Thread.sleep(2);

    BalanceSnapshot afterFailure = cache.current();

    assertThat(source.fetches).isEqualTo(2);
    assertThat(afterFailure.balanceNanos).isEqualTo(100);
    Thread.sleep(2);
    cache.current();
    assertThat(cache.current().balanceNanos).isEqualTo(80);
  }

  /** A cache with a hand-driven clock: refresh after 10 ns, max staleness 100 ns. */
  private static BalanceCache policyCache(CreditSource source, OnSourceFailure policy, AtomicLong clock, AtomicLong spent) {
    return new BalanceCache(source, Duration.ofNanos(10), Duration.ofNanos(100), policy, spent::get, Runnable::run, clock::get);
  }

  @Test
  void current_whenFirstLoadFails_lastKnownWithNothingKnown_blocks() {
    ScriptedSource source = new ScriptedSource().thenFail().then(70);
    AtomicLong clock = new AtomicLong();
    BalanceCache cache = policyCache(source, OnSourceFailure.LAST_KNOWN, clock, new AtomicLong(5));

    BalanceSnapshot s = cache.current();

    assertThat(s.balanceNanos).isZero();
    assertThat(s.spentWatermarkNanos).isEqualTo(5);
    clock.addAndGet(11);
    cache.current(); // the refresh is due: it loads again
    assertThat(cache.current().balanceNanos).isEqualTo(70);
  }

  @Test
  void current_failingButYoungerThanMaxStaleness_enforcesLastValue() {
    for (OnSourceFailure policy : OnSourceFailure.values()) {
      ScriptedSource source = new ScriptedSource().then(100).thenFail();
      AtomicLong clock = new AtomicLong();
      BalanceCache cache = policyCache(source, policy, clock, new AtomicLong());
      cache.current();
      clock.addAndGet(50);

      assertThat(cache.current().balanceNanos).as(policy.name()).isEqualTo(100);
      assertThat(source.fetches).isEqualTo(2);
    }
  }

  @Test
  void current_staleAndClosed_blocksEverything() {
    BalanceCache cache = staleCache(OnSourceFailure.CLOSED);

    assertThat(cache.current().balanceNanos).isZero();
    assertThat(cache.current().spentWatermarkNanos).isEqualTo(42);
  }

  @Test
  void current_staleAndOpen_isUnlimited() {
    BalanceCache cache = staleCache(OnSourceFailure.OPEN);

    assertThat(cache.current().balanceNanos).isEqualTo(BalanceCache.UNLIMITED_NANOS);
  }

  @Test
  void current_staleAndLastKnown_keepsLastValue() {
    BalanceCache cache = staleCache(OnSourceFailure.LAST_KNOWN);

    assertThat(cache.current().balanceNanos).isEqualTo(100);
  }

  @Test
  void current_sourceBackAfterStale_freshValueAgain() {
    ScriptedSource source = new ScriptedSource().then(100).thenFail().thenFail().then(60);
    AtomicLong clock = new AtomicLong();
    BalanceCache cache = policyCache(source, OnSourceFailure.CLOSED, clock, new AtomicLong());
    cache.current();
    clock.addAndGet(101);
    assertThat(cache.current().balanceNanos).isZero(); // refresh failed, value too old: closed
    clock.addAndGet(11);
    cache.current(); // fails again
    clock.addAndGet(11);
    cache.current(); // answers 60

    assertThat(cache.current().balanceNanos).isEqualTo(60);
  }

  /** Read 100 at t=0, then every read fails, now at t=101 (past the 100 ns bound); spend is 42. */
  private static BalanceCache staleCache(OnSourceFailure policy) {
    ScriptedSource source = new ScriptedSource().then(100).thenFail();
    AtomicLong clock = new AtomicLong();
    BalanceCache cache = policyCache(source, policy, clock, new AtomicLong(42));
    cache.current();
    clock.addAndGet(101);
    cache.current(); // triggers the failing refresh
    return cache;
  }
}
