package dev.tollgate.agent.source.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;

/** The lease script against a real redis-server: funding, leases, spend, expiry, release, and a race. */
@ResourceLock(RedisServer.SHARED)
class RedisWalletTest {
  private static RedisServer redis;
  private final String name = UUID.randomUUID().toString();

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.shared(); // each test uses its own wallet name, so one server serves all
  }

  private RedisWallet wallet(String jvm, Duration ttl) {
    return new RedisWallet(redis.client, name, jvm, ttl, "redis://127.0.0.1:" + redis.port + "/0", null);
  }

  private RedisWallet wallet(String jvm) {
    return wallet(jvm, Duration.ofMinutes(1));
  }

  private long balance() {
    return Long.parseLong(redis.client.get("tollgate:{" + name + "}:balance"));
  }

  @Test
  void lease_fundsTheWalletOnce_andGrantsUpToTheTarget() throws Exception {
    RedisWallet.Lease a = wallet("a").lease(0, 0, 30, 0, 100);
    RedisWallet.Lease b = wallet("b").lease(0, 0, 30, 0, 999);
    assertThat(new long[] {a.heldNanos, a.balanceNanos, b.heldNanos, b.balanceNanos}).containsExactly(30, 70, 30, 40);
    assertThat(a.funded && b.funded).isTrue();
    RedisWallet.Lease c = wallet("c").lease(0, 0, 60, 0, -1);
    assertThat(c.heldNanos).as("no more than the balance").isEqualTo(40);
    assertThat(balance()).isZero();
  }

  @Test
  void lease_ofAWalletNobodyFunded_saysSo() throws Exception {
    RedisWallet.Lease l = wallet("a").lease(0, 0, 30, 0, -1);
    assertThat(l.funded).isFalse();
    assertThat(l.heldNanos).isZero();
  }

  @Test
  void lease_takesSpendFromTheLease_andSpendBeyondItFromTheBalance() throws Exception {
    RedisWallet a = wallet("a");
    a.lease(0, 0, 30, 0, 100);
    RedisWallet.Lease l = a.lease(0, 10, 30, 0, -1); // 10 spent from the 30 held, topped up to 30 again
    assertThat(new long[] {l.heldNanos, l.balanceNanos}).containsExactly(30, 60);
    l = a.lease(10, 50, 30, 0, -1); // 40 spent: 30 from the lease, 10 from the balance
    assertThat(new long[] {l.heldNanos, l.balanceNanos}).containsExactly(30, 20);
    assertThat(l.heldNanos + l.balanceNanos).isEqualTo(100 - 50);
  }

  @Test
  void lease_retriedWithTheSameTotal_countsTheSpendOnce() throws Exception {
    RedisWallet a = wallet("a");
    a.lease(0, 0, 30, 0, 100);
    a.lease(0, 10, 30, 0, -1);
    RedisWallet.Lease again = a.lease(0, 10, 30, 0, -1); // the answer to the first was lost: same acked, same total
    assertThat(again.heldNanos + again.balanceNanos).isEqualTo(90);
  }

  @Test
  void lease_withExtra_coversACallBiggerThanTheLease() throws Exception {
    RedisWallet a = wallet("a");
    a.lease(0, 0, 30, 0, 100);
    RedisWallet.Lease l = a.lease(0, 0, 30, 45, -1);
    assertThat(new long[] {l.heldNanos, l.balanceNanos}).containsExactly(75, 25);
  }

  @Test
  void expiredLease_returnsItsUnspentPart_andLaterSpendComesFromTheBalance() throws Exception {
    RedisWallet a = wallet("a", Duration.ofMillis(1));
    a.lease(0, 0, 30, 0, 100);
    RedisWallet b = wallet("b");
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    RedisWallet.Lease seen;
    do {
      Thread.sleep(2);
      seen = b.lease(0, 0, 0, 0, -1); // any script call sweeps leases whose time is up
    } while (seen.balanceNanos != 100 && System.nanoTime() < deadline);
    assertThat(seen.balanceNanos).as("a's 30 returned").isEqualTo(100);
    assertThat(redis.client.hgetAll("tollgate:{" + name + "}:leases")).doesNotContainKey("a");

    RedisWallet.Lease back = wallet("a").lease(0, 10, 30, 0, -1); // a spent 10 before it lapsed and reports it now
    assertThat(back.heldNanos + back.balanceNanos).as("the 10 are taken from the balance, not lost").isEqualTo(90);
  }

  @Test
  void release_givesTheUnspentLeaseBack_andForgetsTheJvm() throws Exception {
    RedisWallet a = wallet("a");
    a.lease(0, 0, 30, 0, 100);
    RedisWallet.Lease l = a.release(0, 5);
    assertThat(l.balanceNanos).isEqualTo(95);
    assertThat(balance()).isEqualTo(95);
    String prefix = "tollgate:{" + name + "}:";
    assertThat(redis.client.hlen(prefix + "leases") + redis.client.hlen(prefix + "reported") + redis.client.zcard(prefix + "expiries"))
        .isZero();
  }

  @Test
  void amountsNear2To53_stayExact() throws Exception {
    long budget = (1L << 53) - 1; // about 9.0 million credits in nano-credits; tostring would write 9.007199254741e+15
    RedisWallet a = wallet("a");
    RedisWallet.Lease l = a.lease(0, 0, budget - 7, 0, budget);
    assertThat(new long[] {l.heldNanos, l.balanceNanos}).containsExactly(budget - 7, 7);
    l = a.release(0, 3);
    assertThat(l.balanceNanos).isEqualTo(budget - 3);
  }

  @Test
  void scriptMissingFromRedis_isSentWithEval() throws Exception {
    redis.client.scriptFlush();
    assertThat(wallet("a").lease(0, 0, 30, 0, 100).heldNanos).isEqualTo(30);
    assertThat(redis.client.scriptExists(RedisWallet.SHA, "any")).isTrue();
  }

  /**
   * Eight "JVMs" lease, spend within what they hold and report, at random, at once: the balance
   * never goes below zero, and at every step held + balance + reported spend is the budget.
   */
  @Test
  void concurrentLeases_neverGrantMoreThanTheBalance() throws Exception {
    long budget = 1_000_000;
    wallet("funder").release(0, 0);
    redis.client.set("tollgate:{" + name + "}:balance", Long.toString(budget));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Future<long[]>> jvms = new ArrayList<>();
    for (int j = 0; j < 8; j++) {
      RedisWallet w = wallet("jvm-" + j);
      Random random = new Random(j);
      jvms.add(pool.submit((Callable<long[]>) () -> {
        long held = 0;
        long total = 0;
        long minBalance = Long.MAX_VALUE;
        for (int i = 0; i < 300; i++) {
          long spend = held == 0 ? 0 : (long) (random.nextDouble() * held);
          RedisWallet.Lease l = w.lease(total, total + spend, 20_000 + random.nextInt(60_000),
              random.nextInt(3) == 0 ? random.nextInt(50_000) : 0, -1);
          total += spend;
          held = l.heldNanos;
          minBalance = Math.min(minBalance, l.balanceNanos);
        }
        return new long[] {held, total, minBalance};
      }));
    }
    long held = 0;
    long spent = 0;
    for (Future<long[]> f : jvms) {
      long[] r = f.get();
      held += r[0];
      spent += r[1];
      assertThat(r[2]).as("the balance never went below zero").isNotNegative();
    }
    pool.shutdown();
    assertThat(spent).as("the JVMs spent most of it").isGreaterThan(budget / 2);
    assertThat(held + balance() + spent).isEqualTo(budget);
    Map<String, String> leases = redis.client.hgetAll("tollgate:{" + name + "}:leases");
    assertThat(leases.values().stream().mapToLong(Long::parseLong).sum()).isEqualTo(held);
  }
}
