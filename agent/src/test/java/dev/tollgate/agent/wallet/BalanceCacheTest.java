package dev.tollgate.agent.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
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

  @Test
  void current_whenFirstLoadFails_throwsAndLoadsAgainNextTime() {
    ScriptedSource source = new ScriptedSource().thenFail().then(70);
    BalanceCache cache = new BalanceCache(source, Duration.ofHours(1), Runnable::run);

    assertThatThrownBy(cache::current).isInstanceOf(UncheckedIOException.class).hasMessageContaining("503");
    assertThat(cache.current().balanceNanos).isEqualTo(70);
  }
}
