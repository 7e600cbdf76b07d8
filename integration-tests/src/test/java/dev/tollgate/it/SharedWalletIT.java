package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import dev.tollgate.it.apps.SharedWalletApp;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code tollgate.wallet=redis} in real JVMs against a real redis-server (with a password): two JVMs
 * share one budget, a JVM killed with SIGKILL gives its lease back after the TTL, and Redis down at
 * start or mid-run follows {@code tollgate.on-source-failure}. Every call costs {@link
 * OverspendIT#FULL_LENGTH_COST}, under the reservation it makes, so no JVM ever spends beyond its lease.
 */
class SharedWalletIT extends LoopbackTest {
  private static final String PASSWORD = "redis-IT-secret-7f3a";
  private static final BigDecimal BUDGET = new BigDecimal("0.005");
  private static final BigDecimal LEASE = new BigDecimal("0.0005");
  private static final String KEYS = "tollgate:{it}:";
  private RedisProcess redis;
  private LoadServer load;
  private final List<Process> forks = new ArrayList<>();

  @BeforeEach
  void startRedis() throws Exception {
    redis = RedisProcess.start(PASSWORD, tmp);
    load = new LoadServer(OverspendIT.FULL_LENGTH);
    server.setDispatcher(load);
  }

  @AfterEach
  void stopRedis() throws Exception {
    forks.forEach(Process::destroyForcibly); // a failed test leaves no JVM holding its lease (or waiting for "go")
    if (redis != null) { // null when it could not start: that error, not an NPE here, is the test's result
      redis.close();
    }
  }

  private Fork app(String name, String redisUrl, Object... commands) {
    return onWallet(Fork.app("okhttp4", SharedWalletApp.class), name, redisUrl)
        .args(url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST).args(commands);
  }

  private Fork onWallet(Fork fork, String name, String redisUrl) {
    return fork.prop("tollgate.data-dir", tmp.resolve(name)).prop("tollgate.wallet", "redis")
        .prop("tollgate.redis.url", redisUrl).env("TOLLGATE_REDIS_KEY", PASSWORD).prop("tollgate.redis.name", "it")
        .prop("tollgate.budget", BUDGET).prop("tollgate.redis.lease", LEASE).prop("tollgate.tokenizer", "heuristic")
        .prop("tollgate.balance-refresh", "250ms").endpoint("fake", url("/v1"), "openai");
  }

  /**
   * A {@code main} that returns at once, its only call in its own shutdown hook, and the meter built
   * only after shutdown began (the test-only latch holds the build until the call arrives): the
   * shared wallet still leases and meters the call, though its give-back hook could not be added.
   */
  @Test
  void callInShutdownHook_meterBuiltAfterShutdownBegan_isMeteredOnTheSharedWallet() throws Exception {
    Fork.Result r = onWallet(Fork.app("okhttp4", OkHttpApp.class), "a", redis.url()).prop("tollgate.internal.start-after-first-call",
        "true")
        .args("sync", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "--in-shutdown-hook").run();

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.agentLog()).isEmpty();
    assertThat(load.metered()).isEqualTo(1);
    assertThat(Journal.only(tmp.resolve("a")).get("cost").decimalValue()).isEqualByComparingTo(OverspendIT.FULL_LENGTH_COST);
    assertThat(redis.number(KEYS + "balance")).as("it leased from Redis").isLessThan(nanos(BUDGET));
    assertNoSecretIn(r);
  }

  /** Starts both apps, lets them go at once when both are waiting, and returns their results. */
  private Fork.Result[] race(Fork first, Fork second) throws Exception {
    Running a = new Running(first, "a");
    Running b = new Running(second, "b");
    a.awaitLine("WAITING");
    b.awaitLine("WAITING");
    a.send("go");
    b.send("go");
    return new Fork.Result[] {a.finish(), b.finish()};
  }

  /**
   * Both JVMs hold a lease before either spends (they wait for "go"), then call until blocked at
   * once. Neither spends beyond what it leased and Redis never lends more than it has, so together
   * they spend at most the budget. Each stops only when a call does not fit what it holds even after
   * a synchronous top-up that found the shared balance short, so what is left at the end is less than
   * one reservation per JVM; after both exit (each giving its lease back) Redis holds exactly the
   * budget minus what the two journals say was spent.
   */
  @Test
  void twoJvms_shareOneBudget_spendAtMostIt_andBothEndBlocked() throws Exception {
    Fork.Result[] both = race(app("a", redis.url(), "wait", "until-blocked", "balance"), app("b", redis.url(), "wait", "until-blocked"));
    Fork.Result ra = both[0];
    Fork.Result rb = both[1];

    assertThat(ra.lines("BLOCKED")).as(ra.toString()).hasSize(1);
    assertThat(rb.lines("BLOCKED")).as(rb.toString()).hasSize(1);
    assertThat(Integer.parseInt(ra.lines("CALLS ").get(0))).as("a spent its own lease at least").isPositive();
    assertThat(Integer.parseInt(rb.lines("CALLS ").get(0))).as("b spent its own lease at least").isPositive();
    List<JsonNode> records = Stream.concat(Journal.records(tmp.resolve("a")).stream(), Journal.records(tmp.resolve("b")).stream())
        .collect(Collectors.toList());
    BigDecimal spent = cost(records);
    BigDecimal reservation = records.stream().map(n -> n.get("reservation").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::max);
    assertThat(load.metered()).as("blocked calls reached no server").isEqualTo(records.stream().filter(SharedWalletIT::ok).count());
    assertThat(spent).isLessThanOrEqualTo(BUDGET).isGreaterThan(BUDGET.subtract(reservation.multiply(BigDecimal.valueOf(2))));
    assertThat(redis.number(KEYS + "balance")).isEqualTo(nanos(BUDGET.subtract(spent)));
    assertThat(redis.cli("HLEN", KEYS + "leases")).as("both leases given back").isEqualTo("0");
    assertThat(ra.lines("BUCKET ")).hasSize(2).anySatisfy(l -> assertThat(l).startsWith("shared "));
    for (Fork.Result r : List.of(ra, rb)) {
      assertThat(r.agentLog()).as(r.toString()).allMatch(l -> l.contains("credit balance is low") || l.contains("blocked a call"));
      assertThat(r.stderr).doesNotContain("SLF4J");
    }
    assertNoSecretIn(ra, rb);
    System.out.println("SharedWalletIT: two JVMs spent " + spent.toPlainString() + " of " + BUDGET + " (" + ra.lines("CALLS ") + " + "
        + rb.lines("CALLS ") + " calls), one reservation " + reservation.toPlainString());
  }

  /**
   * A tenant's budget (0.002 a day, inside the wallet's 0.005) shared by two JVMs on one Redis
   * wallet: each call reserves on it in Redis, so together they spend at most the budget (within a
   * reservation each), both end blocked by it, and Redis's count equals the two journals.
   */
  @Test
  void twoJvms_shareOneTenantsBudget_spendAtMostIt() throws Exception {
    BigDecimal tenantBudget = new BigDecimal("0.002");
    Fork.Result[] both = race(app("a", redis.url(), "wait", "until-blocked").prop("tollgate.attribute.tenant", "value:acme")
        .prop("tollgate.budget.tenant.acme", tenantBudget + "/day"), app("b", redis.url(), "wait", "until-blocked")
            .prop("tollgate.attribute.tenant", "value:acme").prop("tollgate.budget.tenant.acme", tenantBudget + "/day"));
    Fork.Result ra = both[0];
    Fork.Result rb = both[1];

    List<JsonNode> records = Stream.concat(Journal.records(tmp.resolve("a")).stream(), Journal.records(tmp.resolve("b")).stream())
        .collect(Collectors.toList());
    BigDecimal spent = cost(records);
    BigDecimal reservation = records.stream().map(n -> n.get("reservation").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::max);
    assertThat(Integer.parseInt(ra.lines("CALLS ").get(0)) + Integer.parseInt(rb.lines("CALLS ").get(0))).as(ra + "\n" + rb).isPositive();
    assertThat(spent).isLessThanOrEqualTo(tenantBudget).isGreaterThan(tenantBudget.subtract(reservation.multiply(BigDecimal.valueOf(2))));
    assertThat(load.metered()).as("blocked calls reached no server").isEqualTo(records.stream().filter(SharedWalletIT::ok).count());
    String day = Long.toString(Instant.now().truncatedTo(ChronoUnit.DAYS).getEpochSecond());
    String key = KEYS + "budget:day:" + day + ":tenant=acme";
    assertThat(Long.parseLong(redis.cli("HGET", key, "spent"))).as("Redis counted what the journals hold").isEqualTo(nanos(spent));
    assertThat(redis.cli("HKEYS", key)).as("every hold given back").isEqualTo("spent");
    for (Fork.Result r : List.of(ra, rb)) {
      assertThat(r.agentLog()).as(r.toString()).anyMatch(l -> l.contains("budget {tenant=acme}"));
    }
    assertNoSecretIn(ra, rb);
  }

  /**
   * A JVM holding a lease is killed with SIGKILL after Redis recorded its spend; once the lease's TTL
   * has passed on Redis's clock, another JVM can spend all of it: the budget less the dead JVM's call,
   * to within one reservation.
   */
  @Test
  void kill9_whileHoldingALease_itsUnspentPartReturnsAfterTheTtl() throws Exception {
    Running a = new Running(app("a", redis.url(), "call", "hold").prop("tollgate.redis.lease-ttl", "1s"), "a");
    a.awaitLine("HOLDING");
    awaitTrue(this::spendReported);
    String jvm = redis.cli("HKEYS", KEYS + "leases");
    JsonNode call = Journal.records(tmp.resolve("a")).get(0);
    long unspentReservation = nanos(call.get("reservation").decimalValue().subtract(call.get("cost").decimalValue()));
    // The lease, renewed after the call; plus what the call's reservation did not spend if a refresh ran while it was open
    // (a refresh leases on top of open reservations, and a lease is never shrunk, only spent or given back).
    assertThat(Long.parseLong(redis.cli("HGET", KEYS + "leases", jvm))).isIn(nanos(LEASE), nanos(LEASE) + unspentReservation);
    a.process.destroyForcibly(); // SIGKILL: no shutdown hook gives the lease back
    assertThat(a.process.waitFor(30, TimeUnit.SECONDS)).isTrue();
    long expiry = Long.parseLong(redis.cli("ZSCORE", KEYS + "expiries", jvm));
    awaitTrue(() -> {
      String[] time = redis.cli("TIME").split("\\s+");
      return Long.parseLong(time[0]) * 1000 + Long.parseLong(time[1]) / 1000 > expiry;
    });

    Fork.Result rb = app("b", redis.url(), "until-blocked").run();

    BigDecimal spentA = cost(Journal.records(tmp.resolve("a")));
    List<JsonNode> recordsB = Journal.records(tmp.resolve("b"));
    BigDecimal spentB = cost(recordsB);
    BigDecimal reservation = recordsB.stream().map(n -> n.get("reservation").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::max);
    assertThat(spentA).isEqualByComparingTo(OverspendIT.FULL_LENGTH_COST);
    assertThat(rb.lines("BLOCKED")).as(rb.toString()).hasSize(1);
    BigDecimal left = BUDGET.subtract(spentA).subtract(spentB);
    assertThat(left).as("b spent a's returned lease too").isNotNegative().isLessThan(reservation);
    assertThat(redis.number(KEYS + "balance")).isEqualTo(nanos(left));
    assertThat(redis.cli("HEXISTS", KEYS + "leases", jvm)).isEqualTo("0");
    assertNoSecretIn(rb);
  }

  @ParameterizedTest
  @ValueSource(strings = {"closed", "last-known", "open"})
  void redisDownAtStart_followsOnSourceFailure(String policy) throws Exception {
    int dead;
    try (ServerSocket s = new ServerSocket(0)) {
      dead = s.getLocalPort();
    }
    Fork.Result r = app("a", "redis://127.0.0.1:" + dead, "call").prop("tollgate.on-source-failure", policy).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly(policy.equals("open") ? "200" : "402");
    assertThat(load.metered()).isEqualTo(policy.equals("open") ? 1 : 0);
    assertThat(String.join("\n", r.agentLog())).contains("credit source redis cannot be read (redis://127.0.0.1:" + dead
        + "/0 wallet it: ");
    assertThat(r.agentLog()).as("it never answered and no lease was taken").noneMatch(l -> l.contains("readable again"))
        .noneMatch(l -> l.contains("lease returns"));
    assertThat(r.agentLog().stream().filter(l -> l.contains("never reported to the shared wallet")))
        .hasSize(policy.equals("open") ? 1 : 0);
    assertNoSecretIn(r);
  }

  /**
   * Redis dies while a JVM holds a lease. With {@code last-known} the JVM keeps spending that lease
   * (after its balance went stale) and no more: its whole spend stays within what Redis had handed
   * it. With {@code closed} it blocks once the balance is older than {@code balance-max-staleness}.
   */
  @ParameterizedTest
  @ValueSource(strings = {"last-known", "closed"})
  void redisDownMidRun_lastKnownSpendsOnlyTheHeldLease_closedBlocks(String policy) throws Exception {
    Running a = new Running(app("a", redis.url(), "call", "wait", "sleep", 1500, "call", "until-blocked")
        .prop("tollgate.on-source-failure", policy).prop("tollgate.balance-max-staleness", "500ms"), "a");
    a.awaitLine("WAITING");
    awaitTrue(this::spendReported); // the first call is reported: Redis knows all a has spent
    long unleased = redis.number(KEYS + "balance");
    redis.close();
    a.send("go");
    Fork.Result r = a.finish();

    BigDecimal spent = cost(Journal.records(tmp.resolve("a")));
    assertThat(r.lines("BLOCKED")).as(r.toString()).hasSize(1);
    if (policy.equals("closed")) {
      assertThat(r.lines("STATUS ")).containsExactly("200", "402");
      assertThat(load.metered()).isEqualTo(1);
    } else {
      assertThat(r.lines("STATUS ")).containsExactly("200", "200");
      assertThat(Integer.parseInt(r.lines("CALLS ").get(0))).as("the held lease served calls").isPositive();
      assertThat(nanos(spent)).as("within what Redis had handed out").isLessThanOrEqualTo(nanos(BUDGET) - unleased);
    }
    assertNoSecretIn(r);
  }

  /** Whether the one JVM's spend total in Redis is above zero. */
  private boolean spendReported() throws Exception {
    String reported = redis.cli("HVALS", KEYS + "reported");
    return !reported.isEmpty() && !reported.equals("0");
  }

  private static boolean ok(JsonNode record) {
    return record.get("status").asText().equals("ok");
  }

  private static BigDecimal cost(List<JsonNode> records) {
    return records.stream().filter(SharedWalletIT::ok).map(n -> n.get("cost").decimalValue()).reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  private static long nanos(BigDecimal credits) {
    return credits.movePointRight(9).longValueExact();
  }

  private void assertNoSecretIn(Fork.Result... results) throws IOException {
    for (Fork.Result r : results) {
      assertThat(r.toString()).doesNotContain(PASSWORD);
    }
    try (Stream<Path> files = Files.walk(tmp)) {
      for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().endsWith(".conf")).collect(Collectors
          .toList())) {
        assertThat(Files.readString(f, StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(PASSWORD);
      }
    }
  }

  interface Check {
    boolean test() throws Exception;
  }

  /** Polls {@code check} every 50 ms for up to 30 s (a deadline for a stuck state, not a timing assertion). */
  private static void awaitTrue(Check check) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!check.test()) {
      assertThat(System.nanoTime()).as("still waiting after 30 s").isLessThan(deadline);
      Thread.sleep(50);
    }
  }

  /** A forked JVM driven line by line, its standard error in {@code <name>.err}, destroyed after the test. */
  private final class Running extends Driven {
    Running(Fork fork, String name) throws IOException {
      super(fork, tmp.resolve(name + ".err"), forks);
    }
  }
}
