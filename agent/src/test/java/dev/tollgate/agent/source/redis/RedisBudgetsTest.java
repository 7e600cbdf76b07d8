package dev.tollgate.agent.source.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.budget.BudgetHold;
import dev.tollgate.agent.budget.BudgetPeriod;
import dev.tollgate.agent.budget.SharedBudgets;
import dev.tollgate.agent.budget.BudgetSpec;
import dev.tollgate.agent.budget.Budgets;
import dev.tollgate.agent.budget.Dimensions;
import dev.tollgate.agent.budget.PeriodSpendSource;
import dev.tollgate.api.BudgetStatus;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.commons.pool2.impl.GenericObjectPoolConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.parallel.ResourceLock;
import redis.clients.jedis.Connection;
import redis.clients.jedis.JedisPooled;

/** Scoped budgets shared by several JVMs (here: several {@link Budgets}, each its own "JVM") through a real redis-server. */
@ResourceLock(RedisServer.SHARED)
class RedisBudgetsTest {
  private static final long CREDIT = 1_000_000_000L;
  private static RedisServer redis;
  private final String name = UUID.randomUUID().toString();
  private final List<BudgetSpec> specs = List.of(BudgetSpec.of(Map.of("tenant", "*"), "1/day", List.of(), "test"));

  @BeforeAll
  static void startRedis() throws Exception {
    redis = RedisServer.shared();
  }

  private Budgets jvm(String id, Duration ttl, long journalSpend) {
    Budgets b = new Budgets(specs, ZoneOffset.UTC, Clock.systemUTC(), (scope, period, start) -> journalSpend, (s, t) -> {});
    b.share(new RedisBudgets(new RedisWallet(redis.client, name, id, ttl, "redis://127.0.0.1:" + redis.port + "/0", null)));
    return b;
  }

  private Budgets jvm(String id) {
    return jvm(id, Duration.ofMinutes(1), 0);
  }

  private static Dimensions tenant(String tenant) {
    return new Dimensions(Map.of("tenant", tenant), "gpt-4o-mini", "openai", "chat");
  }

  private static BudgetStatus status(Budgets b, String tenant) {
    return b.statuses().stream().filter(s -> s.scope().equals(Map.of("tenant", tenant))).findFirst().orElseThrow();
  }

  /**
   * The round trips of shared budgets run on the application's thread, which may carry its interrupt
   * flag into a call (a task cancelled as it runs). When every pooled connection is busy the pool
   * waits for one, and that wait is interruptible: here the pool has one connection, held by another
   * thread until the interrupted reserve is waiting for it.
   */
  @Test
  void reserve_onAThreadWhoseInterruptFlagIsSet_waitsForABusyConnection_andLeavesTheFlagSet() throws Exception {
    GenericObjectPoolConfig<Connection> one = new GenericObjectPoolConfig<>();
    one.setMaxTotal(1);
    try (JedisPooled client = new JedisPooled(one, "127.0.0.1", redis.port)) {
      Budgets a = new Budgets(specs, ZoneOffset.UTC, Clock.systemUTC(), (scope, period, start) -> 0, (s, t) -> {});
      a.share(new RedisBudgets(new RedisWallet(client, name, "a", Duration.ofMinutes(1), "redis://127.0.0.1:" + redis.port + "/0", null)));
      Connection busy = client.getPool().getResource();
      Thread holder = new Thread(() -> {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (client.getPool().getNumWaiters() == 0 && System.nanoTime() < deadline) {
          Thread.onSpinWait();
        }
        client.getPool().returnResource(busy);
      });
      holder.start();

      Thread.currentThread().interrupt();
      BudgetHold held;
      boolean stillSet;
      try {
        held = a.reserve(tenant("acme"), 4 * CREDIT / 10, true);
      } finally {
        stillSet = Thread.interrupted();
      }
      holder.join();

      assertThat(stillSet).as("the application's flag, as it set it").isTrue();
      assertThat(held.refused()).isFalse();
      assertThat(status(a, "acme").reserved()).as("reached Redis: held there").isEqualByComparingTo("0.4");
    }
  }

  @Test
  void reserve_onTwoJvms_sharesOneBudget() {
    Budgets a = jvm("a");
    Budgets b = jvm("b");
    BudgetHold first = a.reserve(tenant("acme"), 4 * CREDIT / 10, true);
    BudgetHold second = a.reserve(tenant("acme"), 4 * CREDIT / 10, true);
    assertThat(first.refused() || second.refused()).isFalse();
    // 0.8 of 1 held by a: b's 0.4 does not fit, though b alone has spent nothing.
    BudgetHold third = b.reserve(tenant("acme"), 4 * CREDIT / 10, true);
    assertThat(third.refused()).isTrue();
    assertThat(third.refusedBy().reserved()).isEqualByComparingTo("0.8");
    // Another tenant has its own budget.
    assertThat(b.reserve(tenant("globex"), 4 * CREDIT / 10, true).refused()).isFalse();

    a.settle(first, CREDIT / 10);
    a.settle(second, CREDIT / 10);
    BudgetHold after = b.reserve(tenant("acme"), 4 * CREDIT / 10, true);
    assertThat(after.refused()).as("0.2 spent, nothing held: 0.4 fits").isFalse();
    b.settle(after, 3 * CREDIT / 10);
    assertThat(status(a, "acme").spent()).isEqualByComparingTo("0.2"); // a sees b's spend at its next round trip
    a.reserve(tenant("acme"), 0, true);
    assertThat(status(a, "acme").spent()).isEqualByComparingTo("0.5");
    assertThat(status(b, "acme").spent()).isEqualByComparingTo("0.5");
  }

  @Test
  void aJvmThatDies_holdsNothingOnceItsHoldsLapse() throws Exception {
    Budgets dying = jvm("dying", Duration.ofMillis(200), 0);
    assertThat(dying.reserve(tenant("acme"), 9 * CREDIT / 10, true).refused()).isFalse(); // never settled: the JVM was killed
    Budgets b = jvm("b");
    assertThat(b.reserve(tenant("acme"), 5 * CREDIT / 10, true).refused()).isTrue();
    Thread.sleep(400);
    assertThat(b.reserve(tenant("acme"), 5 * CREDIT / 10, true).refused()).as("the dead JVM's hold lapsed").isFalse();
  }

  @Test
  void theFirstJvm_seedsThePeriodWithItsJournalSpend_andLaterOnesDoNotAddTheirs() {
    Budgets a = jvm("a", Duration.ofMinutes(1), 7 * CREDIT / 10);
    assertThat(a.reserve(tenant("acme"), 4 * CREDIT / 10, true).refused()).isTrue(); // 0.7 spent already
    Budgets b = jvm("b", Duration.ofMinutes(1), 7 * CREDIT / 10); // its journal holds the same period
    assertThat(b.reserve(tenant("acme"), 2 * CREDIT / 10, true).refused()).isFalse();
    assertThat(status(b, "acme").spent()).isEqualByComparingTo("0.7");
  }

  @Test
  void whileRedisIsDown_eachJvmEnforcesAlone_andReportsItsSpendWhenItAnswers() {
    AtomicBoolean down = new AtomicBoolean();
    RedisBudgets redisBudgets = new RedisBudgets(new RedisWallet(redis.client, name, "a", Duration.ofMinutes(1), "here", null));
    Budgets a = new Budgets(specs, ZoneOffset.UTC, Clock.systemUTC(), PeriodSpendSource.NONE, (s, t) -> {});
    a.share(new SharedBudgets() {
      @Override
      public String keyFor(Map<String, String> scope, BudgetPeriod period, Instant start) {
        return redisBudgets.keyFor(scope, period, start);
      }

      @Override
      public Answer reserve(Call[] calls, long amount, boolean mustFit) throws IOException {
        check();
        return redisBudgets.reserve(calls, amount, mustFit);
      }

      @Override
      public Answer settle(Call[] calls, long held, long cost) throws IOException {
        check();
        return redisBudgets.settle(calls, held, cost);
      }

      private void check() throws IOException {
        if (down.get()) {
          throw new IOException("connection refused");
        }
      }
    });
    a.settle(a.reserve(tenant("acme"), CREDIT / 10, true), CREDIT / 10); // reported at once
    BudgetHold heldWhenItWentDown = a.reserve(tenant("acme"), CREDIT / 10, true);
    down.set(true);
    a.settle(heldWhenItWentDown, CREDIT / 10); // its hold in Redis lapses with the TTL
    BudgetHold offline = a.reserve(tenant("acme"), 2 * CREDIT / 10, true);
    assertThat(offline.refused()).isFalse();
    a.settle(offline, 2 * CREDIT / 10);
    assertThat(a.reserve(tenant("acme"), 7 * CREDIT / 10, true).refused()).as("this JVM's own count: 0.4 spent").isTrue();
    assertThat(redis.client.hget(onlyKey(), "spent")).isEqualTo(Long.toString(CREDIT / 10));
    down.set(false);
    a.settle(a.reserve(tenant("acme"), 0, true), 0);
    assertThat(redis.client.hget(onlyKey(), "spent")).as("the spend made offline reached Redis, once")
        .isEqualTo(Long.toString(4 * CREDIT / 10));
    a.settle(a.reserve(tenant("acme"), 0, true), 0);
    assertThat(redis.client.hget(onlyKey(), "spent")).isEqualTo(Long.toString(4 * CREDIT / 10));
  }

  private String onlyKey() {
    return redis.client.keys("tollgate:{" + name + "}:budget:*").iterator().next();
  }

  @Test
  void concurrentCalls_onManyJvms_neverOverspendByMoreThanOneReservation() throws Exception {
    List<Budgets> jvms = List.of(jvm("a"), jvm("b"), jvm("c"), jvm("d"));
    ExecutorService pool = Executors.newFixedThreadPool(8);
    AtomicBoolean failed = new AtomicBoolean();
    List<Future<Long>> spent = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      Budgets b = jvms.get(t % jvms.size());
      spent.add(pool.submit(() -> {
        long mine = 0;
        for (int i = 0; i < 50; i++) {
          BudgetHold h = b.reserve(tenant("acme"), CREDIT / 20, true);
          if (!h.refused()) {
            b.settle(h, CREDIT / 40);
            mine += CREDIT / 40;
          }
        }
        return mine;
      }));
    }
    long total = 0;
    for (Future<Long> f : spent) {
      total += f.get();
    }
    pool.shutdown();
    assertThat(failed).isFalse();
    // Reserving 0.05 and spending 0.025 each: the budget fills to within one reservation of 1, never past it.
    assertThat(total).isLessThanOrEqualTo(CREDIT).isGreaterThanOrEqualTo(CREDIT - CREDIT / 20);
    assertThat(Long.parseLong(redis.client.hget(onlyKey(), "spent"))).isEqualTo(total);
  }

  @Test
  void keyFor_isReadable_andEscapesValues() {
    RedisBudgets store = new RedisBudgets(new RedisWallet(redis.client, "w", "a", Duration.ofMinutes(1), "here", null));
    assertThat(store.keyFor(Map.of("tenant", "a&b=c"), BudgetPeriod.DAY, Instant.ofEpochSecond(86400)))
        .isEqualTo("tollgate:{w}:budget:day:86400:tenant=a%26b%3Dc");
  }
}
