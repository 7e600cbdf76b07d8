package dev.tollgate.agent.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several "JVMs" on one data dir, in one process: each source holds its own lock file, as a JVM
 * does; {@link HostCreditSource#crash} drops it as a JVM's death would.
 */
class HostCreditSourceTest {
  private static final long BUDGET = 1_000_000;
  private static final long LEASE = BUDGET / 20;
  private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-07T12:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path dir;

  private HostCreditSource jvm(AtomicLong spent, LocalCreditSource.Spend... history) throws Exception {
    return HostCreditSource.open(dir, BUDGET, spent::get, CLOCK, List.of(history), Duration.ofSeconds(5));
  }

  @Test
  void fetch_twoJvms_eachLeaseFivePercent_andSeeWhatIsLeftToLend() throws Exception {
    HostCreditSource a = jvm(new AtomicLong());
    HostCreditSource b = jvm(new AtomicLong());

    assertThat(a.fetch().balanceNanos).isEqualTo(LEASE);
    BalanceSnapshot sb = b.fetch();

    assertThat(sb.balanceNanos).isEqualTo(LEASE);
    assertThat(sb.sharedNanos).isEqualTo(BUDGET - 2 * LEASE);
    assertThat(sb.buckets).extracting(bk -> bk.balanceNanos).containsExactly(BUDGET);
  }

  @Test
  void fetch_spendReported_isDrawnFromTheSharedBuckets_andSeenByTheOtherJvm() throws Exception {
    AtomicLong spentA = new AtomicLong();
    HostCreditSource a = jvm(spentA);
    HostCreditSource b = jvm(new AtomicLong());
    a.fetch();
    spentA.set(30_000);

    BalanceSnapshot sa = a.fetch();
    BalanceSnapshot sb = b.fetch();

    assertThat(sa.balanceNanos).isEqualTo(LEASE);
    assertThat(sa.spentWatermarkNanos).isEqualTo(30_000);
    assertThat(sb.buckets.get(0).balanceNanos).isEqualTo(BUDGET - 30_000);
    assertThat(sb.sharedNanos).isEqualTo(BUDGET - 30_000 - 2 * LEASE);
  }

  @Test
  void reserve_twoWalletsOnOneDataDir_spendAtMostTheBudgetBetweenThem() {
    Wallet a = wallet();
    Wallet b = wallet();
    long reservation = 7_000;
    long cost = 6_000;
    boolean aBlocked = false;
    boolean bBlocked = false;
    while (!aBlocked || !bBlocked) {
      aBlocked = aBlocked || !spend(a, reservation, cost);
      bBlocked = bBlocked || !spend(b, reservation, cost);
    }

    long spent = a.spentNanos() + b.spentNanos();
    assertThat(spent).isLessThanOrEqualTo(BUDGET).isGreaterThan(BUDGET - 2 * reservation);
    assertThat(a.spentNanos()).isPositive();
    assertThat(b.spentNanos()).isPositive();
  }

  private Wallet wallet() {
    return new Wallet(0, spent -> {
      try {
        HostCreditSource s = HostCreditSource.open(dir, BUDGET, spent, CLOCK, List.of(), Duration.ofSeconds(5));
        return new BalanceCache(s, Duration.ofDays(1), Runnable::run);
      } catch (Exception e) {
        throw new AssertionError(e);
      }
    });
  }

  private static boolean spend(Wallet w, long reservation, long cost) {
    Reservation r = w.reserve(reservation, true);
    if (r.granted) {
      w.settle(r, cost);
    }
    return r.granted;
  }

  @Test
  void crash_deadJvmsLease_returnsLessWhatItPublishedAsSpent() throws Exception {
    AtomicLong spentA = new AtomicLong();
    HostCreditSource a = jvm(spentA);
    HostCreditSource b = jvm(new AtomicLong());
    a.fetch();
    spentA.set(20_000);
    a.publish(20_000); // settled after a's last report: only the mapped file knows
    a.crash();

    BalanceSnapshot sb = b.fetch();

    assertThat(sb.buckets.get(0).balanceNanos).isEqualTo(BUDGET - 20_000);
    assertThat(sb.sharedNanos).as("a's lease is back, less what a spent").isEqualTo(BUDGET - 20_000 - LEASE);
    assertThat(Files.list(HostLeaseFile.dir(dir)).map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jvm"))).hasSize(1);
  }

  @Test
  void topUp_afterACrash_theOtherJvmCanSpendTheDeadOnesLease() throws Exception {
    HostCreditSource a = jvm(new AtomicLong());
    AtomicLong spentB = new AtomicLong();
    HostCreditSource b = jvm(spentB);
    a.fetch();
    b.fetch();
    a.crash();

    BalanceSnapshot s = b.topUp(BUDGET); // b asks for everything

    assertThat(s.balanceNanos).isEqualTo(BUDGET);
    assertThat(s.sharedNanos).isZero();
  }

  @Test
  void topUp_fromAThreadWhoseInterruptFlagIsSet_succeeds_andLeavesTheFlagSet() throws Exception {
    HostCreditSource a = jvm(new AtomicLong());
    a.fetch();

    BalanceSnapshot s;
    Thread.currentThread().interrupt();
    try {
      s = a.topUp(BUDGET);
      assertThat(Thread.currentThread().isInterrupted()).as("the application's interrupt is left for it").isTrue();
    } finally {
      Thread.interrupted();
    }

    assertThat(s.balanceNanos).isEqualTo(BUDGET);
    assertThat(a.fetch().balanceNanos).as("the lease file still works").isEqualTo(BUDGET);
  }

  @Test
  void fetch_grantMadeWhileRunning_reachesEveryJvm() throws Exception {
    HostCreditSource a = jvm(new AtomicLong());
    HostCreditSource b = jvm(new AtomicLong());
    a.fetch();
    b.fetch();

    Grants.append(dir, new BigDecimal("0.0005"), "promo", null, CLOCK.instant()); // 500,000 nano-credits

    BalanceSnapshot sa = a.fetch();
    BalanceSnapshot sb = b.fetch();
    assertThat(sa.buckets).extracting(bk -> bk.sourceType).containsExactly("promo", "budget");
    assertThat(sb.sharedNanos).as("the grant counted once, whoever reads it first")
        .isEqualTo(BUDGET + 500_000 - sa.balanceNanos - sb.balanceNanos);
  }

  @Test
  void open_noLiveJvm_rebuildsFromItsOwnJournal_budgetAndHistory() throws Exception {
    HostCreditSource old = jvm(new AtomicLong());
    old.fetch();
    old.crash();
    LocalCreditSource.Spend history = new LocalCreditSource.Spend(CLOCK.instant().minusSeconds(60), 400_000);

    BalanceSnapshot s = jvm(new AtomicLong(400_000), history).fetch();

    assertThat(s.buckets.get(0).balanceNanos).isEqualTo(BUDGET - 400_000);
    assertThat(s.sharedNanos).isEqualTo(BUDGET - 400_000 - LEASE);
  }

  @Test
  void open_whileAnotherJvmLives_itsHistoryIsNotCountedTwice() throws Exception {
    AtomicLong spentA = new AtomicLong();
    HostCreditSource a = jvm(spentA);
    a.fetch();
    spentA.set(100_000);
    a.fetch(); // a reported its spend
    LocalCreditSource.Spend inJournal = new LocalCreditSource.Spend(CLOCK.instant(), 100_000);

    BalanceSnapshot sb = jvm(new AtomicLong(100_000), inJournal).fetch(); // b recovered a's spend from the journal

    assertThat(sb.buckets.get(0).balanceNanos).isEqualTo(BUDGET - 100_000);
  }
}
