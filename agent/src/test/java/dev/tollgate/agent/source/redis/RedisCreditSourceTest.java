package dev.tollgate.agent.source.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.config.TollgateConfig.OnSourceFailure;
import dev.tollgate.agent.wallet.BalanceCache;
import dev.tollgate.agent.wallet.Reservation;
import dev.tollgate.agent.wallet.Wallet;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.Queue;
import java.util.UUID;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import redis.clients.jedis.JedisPooled;

/**
 * The lease as the wallet enforces it (Wallet + BalanceCache + RedisCreditSource) against a real
 * redis-server; background refreshes run only when the test runs them, and time is a fake clock.
 */
@ResourceLock(RedisServer.SHARED)
class RedisCreditSourceTest {
  private static final long BUDGET = 100_000;
  private static final long LEASE = 10_000;
  private static final Duration TTL = Duration.ofSeconds(30);
  private static RedisServer redis;
  private final String name = UUID.randomUUID().toString();
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Queue<Runnable> background = new ArrayDeque<>();
  private final Executor queued = background::add;
  private final AtomicReference<RedisCreditSource> source = new AtomicReference<>();
  private final AtomicReference<BalanceCache> cache = new AtomicReference<>();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.shared(); // each test uses its own wallet name, so one server serves all
  }

  private Wallet wallet(RedisServer server, OnSourceFailure policy) {
    return wallet(server, policy, LEASE);
  }

  private Wallet wallet(RedisServer server, OnSourceFailure policy, long lease) {
    Wallet wallet = new Wallet(0, spent -> {
      JedisPooled client = new JedisPooled("127.0.0.1", server.port);
      RedisWallet w = new RedisWallet(client, name, "jvm-" + UUID.randomUUID(), TTL, "redis://127.0.0.1:" + server.port + "/0", null);
      source.set(new RedisCreditSource(w, lease, TTL, BUDGET, spent, now::get, Clock.systemUTC()));
      cache.set(new BalanceCache(source.get(), Duration.ofHours(1), Duration.ofHours(1), policy, spent, queued, now::get));
      return cache.get();
    });
    source.get().countReservations(wallet::reservedNanos);
    source.get().countInFlight(wallet::inFlightNanos);
    return wallet;
  }

  private Wallet wallet() {
    return wallet(redis, OnSourceFailure.LAST_KNOWN);
  }

  private long shared() {
    return Long.parseLong(redis.client.get("tollgate:{" + name + "}:balance"));
  }

  @Test
  void callsWithinTheLease_needNoRoundTrip() {
    Wallet w = wallet();
    Reservation r = w.reserve(3_000, true);
    assertThat(r.granted).isTrue();
    assertThat(shared()).isEqualTo(BUDGET - LEASE);
    w.settle(r, 2_000);
    Reservation r2 = w.reserve(3_000, true);
    assertThat(r2.granted).isTrue();
    assertThat(w.available()).isEqualTo(LEASE - 2_000 - 3_000);
    assertThat(shared()).as("still nothing sent").isEqualTo(BUDGET - LEASE);
    assertThat(w.availableWithShared()).isEqualTo(BUDGET - 2_000 - 3_000);
  }

  @Test
  void refresh_reportsSpend_andRenewsTheLease() throws IOException {
    Wallet w = wallet();
    w.settle(w.reserve(3_000, true), 2_500);
    w.balanceCache().offer(source.get().fetch());
    assertThat(shared()).isEqualTo(BUDGET - 2_500 - LEASE);
    assertThat(w.available()).isEqualTo(LEASE);
  }

  /** Script runs Redis has counted. */
  private static long scriptCalls() {
    String stats = redis.client.info("commandstats");
    long calls = 0;
    for (String line : stats.split("\r?\n")) {
      if (line.startsWith("cmdstat_evalsha:") || line.startsWith("cmdstat_eval:")) {
        calls += Long.parseLong(line.replaceAll("^[^:]*:calls=(\\d+),.*", "$1"));
      }
    }
    return calls;
  }

  private void runBackground() {
    for (Runnable r; (r = background.poll()) != null;) {
      r.run();
    }
  }

  @Test
  void release_givesTheLeaseBack_andLendsNothingAfter() throws IOException {
    Wallet w = wallet();
    w.settle(w.reserve(3_000, true), 2_000);
    source.get().release();
    assertThat(shared()).isEqualTo(BUDGET - 2_000);
    long calls = scriptCalls();
    assertThat(source.get().fetch().balanceNanos).isZero();
    assertThat(scriptCalls()).as("nothing sent after the release").isEqualTo(calls);
  }

  @Test
  void releaseAtExit_aCallAfterIt_isRefused_insteadOfSpendingTheLeaseGivenBack() {
    // The JVM runs shutdown hooks at once: the application's own may call after the release.
    Wallet w = wallet();
    w.settle(w.reserve(3_000, true), 2_000);

    RedisCreditSource.releaseAtExit(source.get(), cache.get()).run();

    assertThat(w.reserve(1_000, true).granted).as("nothing is held once the lease is back").isFalse();
    assertThat(shared()).isEqualTo(BUDGET - 2_000);
  }

  /** A call in flight when the lease goes back: once the lease is back, nothing could report its spend. */
  @Test
  void releaseAtExit_callStillInFlight_isChargedItsReservation_neverLeftOut() {
    Wallet w = wallet();
    w.settle(w.reserve(3_000, true), 2_000);
    Reservation inFlight = w.reserve(5_000, true);
    Reservation unheld = w.unheld(4_000); // tollgate.enforce=off: holds nothing, but is in flight too

    RedisCreditSource.releaseAtExit(source.get(), cache.get()).run(); // waits SETTLE_IDLE with neither settling
    w.settle(inFlight, 1_000); // settle after the lease went back: journaled, but nothing reports them
    w.settle(unheld, 1_000);

    assertThat(shared()).as("charged their worst cases, never less than they cost").isEqualTo(BUDGET - 2_000 - 5_000 - 4_000);
  }

  @Test
  void releaseAtExit_waitsForACallInFlight_andReportsWhatItReallyCost() throws Exception {
    Wallet w = wallet();
    Reservation inFlight = w.reserve(5_000, true);
    Thread settler = new Thread(() -> {
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      w.settle(inFlight, 1_000);
    });
    settler.start();
    source.get().settleGrace = Duration.ofSeconds(60); // the wait ends when the call settles
    source.get().settleIdle = Duration.ofSeconds(60);

    RedisCreditSource.releaseAtExit(source.get(), cache.get()).run();
    settler.join();

    assertThat(shared()).isEqualTo(BUDGET - 1_000);
  }

  @Test
  void leaseBelowHalf_refreshesOnceInTheBackground() {
    Wallet w = wallet();
    w.reserve(4_000, true);
    long before = scriptCalls();
    runBackground();
    assertThat(scriptCalls()).as("above half: no refresh").isEqualTo(before);
    w.reserve(2_000, true); // 4_000 left of 10_000: below half
    w.reserve(1_000, true);
    runBackground();
    assertThat(scriptCalls()).as("one early refresh per reading").isEqualTo(before + 1);
    assertThat(w.available()).as("a lease again on top of the open reservations").isEqualTo(LEASE);
    assertThat(shared()).isEqualTo(BUDGET - LEASE - 7_000);
  }

  @Test
  void callBiggerThanTheLease_isToppedUpOnce_beforeBlocking() {
    Wallet w = wallet();
    Reservation r = w.reserve(25_000, true);
    assertThat(r.granted).isTrue();
    assertThat(shared()).isEqualTo(BUDGET - 25_000);
    assertThat(w.reserve(80_000, true).granted).as("the shared wallet has only 75_000").isFalse();
    assertThat(shared()).isZero();
    assertThat(w.reserve(75_000, true).granted).isTrue();
  }

  /** A JVM without a budget or a lease setting (joining a wallet others funded) leases what each call reserves. */
  @Test
  void noLease_eachCallLeasesWhatItReserves_andSpendIsReported() throws IOException {
    Wallet w = wallet(redis, OnSourceFailure.LAST_KNOWN, 0);
    Reservation r = w.reserve(3_000, true);
    assertThat(r.granted).isTrue();
    assertThat(shared()).isEqualTo(BUDGET - 3_000);
    w.settle(r, 2_000);
    assertThat(w.reserve(98_001, true).granted).as("98_000 left in all").isFalse();
    assertThat(w.reserve(98_000, true).granted).isTrue();
    assertThat(shared()).isZero();
    runBackground();
    assertThat(w.availableWithShared()).isZero();
  }

  @Test
  void leaseExpiredLocally_isNotEnforced_evenLastKnown() throws Exception {
    try (RedisServer own = RedisServer.start()) {
      Wallet w = wallet(own, OnSourceFailure.LAST_KNOWN);
      assertThat(w.reserve(1_000, true).granted).isTrue();
      own.close(); // Redis goes away with the lease still held
      now.addAndGet(TTL.toNanos() / 2);
      assertThat(w.reserve(1_000, true).granted).as("the lease is still ours until its TTL").isTrue();
      now.addAndGet(TTL.toNanos() / 2);
      assertThat(w.available()).as("past the TTL Redis may have given it to another JVM: only open reservations count").isEqualTo(-2_000);
      assertThat(w.reserve(1, true).granted).isFalse();
    }
  }

  @Test
  void redisDownAtStart_blocksUnderLastKnown() throws Exception {
    RedisServer own = RedisServer.start();
    own.close();
    Wallet w = wallet(own, OnSourceFailure.LAST_KNOWN);
    assertThat(w.reserve(1, true).granted).isFalse();
  }

  /** Redis down the whole run: no lease was ever taken, so there is none to give back and nothing to say. */
  @Test
  void redisDownThroughout_releaseAtExit_saysNothing() throws Exception {
    java.util.List<String> warned = new java.util.ArrayList<>();
    Wallet w = redisDownThroughout(OnSourceFailure.LAST_KNOWN, warned);
    assertThat(w.reserve(1, true).granted).isFalse();

    RedisCreditSource.releaseAtExit(source.get(), cache.get()).run();

    assertThat(warned).isEmpty();
  }

  /** Redis down the whole run, calls let through by on-source-failure=open: their spend never reached it, said as such. */
  @Test
  void redisDownThroughout_spendLetThrough_isNamedUnreported_notALease() throws Exception {
    java.util.List<String> warned = new java.util.ArrayList<>();
    Wallet w = redisDownThroughout(OnSourceFailure.OPEN, warned);
    w.settle(w.reserve(3_000, true), 2_000);

    RedisCreditSource.releaseAtExit(source.get(), cache.get()).run();

    assertThat(warned).singleElement().asString().contains("Failed to connect")
        .contains("this JVM never held a lease, and the 0.000002 credits it spent were never reported to the shared wallet")
        .doesNotContain("TTL");
  }

  /** A wallet on a Redis that is never up; the source's give-back warnings go to {@code warned}. */
  private Wallet redisDownThroughout(OnSourceFailure policy, java.util.List<String> warned) throws Exception {
    RedisServer own = RedisServer.start();
    own.close();
    Wallet w = wallet(own, policy);
    source.get().warn = warned::add;
    return w;
  }

  @Test
  void wrongPassword_neverAppearsInTheError() throws Exception {
    try (RedisServer guarded = RedisServer.start("--requirepass", "right-Secret-1")) {
      TollgateConfig wrong = config(guarded.port, "redis://:wrong-Secret-2@127.0.0.1:" + guarded.port + "/0", null);
      RedisCreditSource s = RedisCreditSource.open(wrong.redis, BUDGET, Duration.ofSeconds(5), () -> 0);
      assertThatThrownBy(s::fetch).isInstanceOf(IOException.class)
          .satisfies(e -> assertThat(e.getMessage()).contains("127.0.0.1:" + guarded.port).doesNotContain("wrong-Secret-2")
              .doesNotContain("right-Secret-1"));
      TollgateConfig right = config(guarded.port, "redis://127.0.0.1:" + guarded.port, "right-Secret-1");
      assertThat(right.toString() + right.redis).doesNotContain("right-Secret-1");
      RedisCreditSource ok = RedisCreditSource.open(right.redis, BUDGET, Duration.ofSeconds(5), () -> 0);
      assertThat(ok.fetch().balanceNanos).isEqualTo(Math.min(BUDGET, right.redis.leaseNanos));
      ok.release();
      assertThat(guarded.client.get("tollgate:{" + name + "}:balance")).isEqualTo(Long.toString(BUDGET));
    }
  }

  @Test
  void cliBalance_showsTheSharedWallet_unleasedPlusLeased() throws Exception {
    Wallet w = wallet();
    w.settle(w.reserve(3_000, true), 2_000);
    w.balanceCache().offer(source.get().fetch());
    java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
    dev.tollgate.agent.cli.SharedBalance.print(config(redis.port, "redis://127.0.0.1:" + redis.port, null), true,
        new java.io.PrintStream(bytes, true, "UTF-8"));
    assertThat(bytes.toString("UTF-8").trim()).isEqualTo("{\"wallet\":\"redis\",\"name\":\"" + name
        + "\",\"balance_credits\":0.000098,\"unleased\":0.000088,\"leased\":0.00001,\"leases\":1}");
  }

  private TollgateConfig config(int port, String url, @Nullable String key) {
    Map<String, String> props = new java.util.HashMap<>(Map.of("tollgate.wallet", "redis", "tollgate.redis.url", url,
        "tollgate.redis.name", name, "tollgate.redis.lease", "0.00001"));
    if (key != null) {
      props.put("tollgate.redis.key", key);
    }
    return TollgateConfig.load(ConfigSource.of(props, Map.of(), Map.of()));
  }
}
