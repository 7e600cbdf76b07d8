package dev.tollgate.agent.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class WalletTest {
  private static final long CREDIT = 1_000_000_000L;

  /** A wallet over the local budget, its balance cached for an hour (so no refresh during a test). */
  private static Wallet localWallet(long budgetNanos, long recoveredNanos) {
    return new Wallet(recoveredNanos,
        spent -> new BalanceCache(new LocalCreditSource(budgetNanos, spent), Duration.ofHours(1), Runnable::run));
  }

  /** A wallet over a remote source whose balance stays at {@code snapshot} until refreshed. */
  private static Wallet remoteWallet(BalanceSnapshot snapshot, long recoveredNanos) {
    CreditSource fixed = new CreditSource() {
      @Override
      public BalanceSnapshot fetch() {
        return snapshot;
      }

      @Override
      public String name() {
        return "fixed";
      }
    };
    return new Wallet(recoveredNanos, spent -> new BalanceCache(fixed, Duration.ofHours(1), Runnable::run));
  }

  @Test
  void available_freshLocalWallet_isBudgetMinusRecoveredSpend() {
    Wallet wallet = localWallet(10 * CREDIT, 2 * CREDIT);

    assertThat(wallet.isLimited()).isTrue();
    assertThat(wallet.available()).isEqualTo(8 * CREDIT);
    assertThat(wallet.spentNanos()).isEqualTo(2 * CREDIT);
  }

  @Test
  void reserve_thenSettle_replacesReservationWithRealCost() {
    Wallet wallet = localWallet(10 * CREDIT, 2 * CREDIT);

    Reservation r = wallet.reserve(3 * CREDIT, true);

    assertThat(r.granted).isTrue();
    assertThat(r.availableNanos).isEqualTo(8 * CREDIT);
    assertThat(wallet.available()).isEqualTo(5 * CREDIT);
    assertThat(wallet.reservedNanos()).isEqualTo(3 * CREDIT);
    assertThat(wallet.openReservations()).isEqualTo(1);

    wallet.settle(r, CREDIT);

    assertThat(wallet.available()).isEqualTo(7 * CREDIT);
    assertThat(wallet.reservedNanos()).isZero();
    assertThat(wallet.openReservations()).isZero();
    assertThat(wallet.spentNanos()).isEqualTo(3 * CREDIT);
  }

  @Test
  void available_remoteSnapshot_deductsSpendSinceSnapshotAndOpenReservations() {
    // The remote balance (100) was read when 40 had been spent; 15 more spent since, 7 held.
    Wallet wallet = remoteWallet(new BalanceSnapshot(100 * CREDIT, 40 * CREDIT), 40 * CREDIT);
    wallet.settle(wallet.reserve(20 * CREDIT, true), 15 * CREDIT);

    wallet.reserve(7 * CREDIT, true);

    assertThat(wallet.available()).isEqualTo((100 - 15 - 7) * CREDIT);
  }

  @Test
  void reserve_moreThanAvailableWhenMustFit_isDeniedAndHoldsNothing() {
    Wallet wallet = localWallet(10 * CREDIT, 0);
    wallet.reserve(6 * CREDIT, true);

    Reservation denied = wallet.reserve(4 * CREDIT + 1, true);

    assertThat(denied.granted).isFalse();
    assertThat(denied.amountNanos).isEqualTo(4 * CREDIT + 1);
    assertThat(denied.availableNanos).isEqualTo(4 * CREDIT);
    assertThat(wallet.reservedNanos()).isEqualTo(6 * CREDIT);
    assertThat(wallet.openReservations()).isEqualTo(1);
  }

  @Test
  void reserve_exactlyAvailable_isGranted() {
    Wallet wallet = localWallet(10 * CREDIT, 0);

    assertThat(wallet.reserve(10 * CREDIT, true).granted).isTrue();
    assertThat(wallet.available()).isZero();
  }

  @Test
  void settle_deniedReservation_changesNothing() {
    Wallet wallet = localWallet(CREDIT, 0);
    Reservation denied = wallet.reserve(2 * CREDIT, true);

    wallet.settle(denied, 5 * CREDIT);

    assertThat(wallet.spentNanos()).isZero();
    assertThat(wallet.available()).isEqualTo(CREDIT);
  }

  @Test
  void settle_unheldReservationOfEnforceOff_stillSpends() {
    Wallet wallet = localWallet(CREDIT, 0);

    wallet.settle(Reservation.none(2 * CREDIT), CREDIT / 4);

    assertThat(wallet.spentNanos()).isEqualTo(CREDIT / 4);
    assertThat(wallet.available()).isEqualTo(CREDIT - CREDIT / 4);
    assertThat(wallet.openReservations()).isZero();
  }

  @Test
  void reserve_withoutMustFit_isGrantedBeyondAvailable() {
    Wallet wallet = localWallet(CREDIT, 0);

    Reservation r = wallet.reserve(3 * CREDIT, false);

    assertThat(r.granted).isTrue();
    assertThat(r.availableNanos).isEqualTo(CREDIT);
    assertThat(wallet.available()).isEqualTo(-2 * CREDIT);
  }

  @Test
  void settle_zeroCost_releasesTheReservation() {
    Wallet wallet = localWallet(10 * CREDIT, 0);

    wallet.settle(wallet.reserve(4 * CREDIT, true), 0);

    assertThat(wallet.available()).isEqualTo(10 * CREDIT);
    assertThat(wallet.spentNanos()).isZero();
  }

  @Test
  void reserve_walletWithoutBudget_grantsEverythingAndStillCountsSpend() {
    Wallet wallet = new Wallet(5, null);

    Reservation r = wallet.reserve(Long.MAX_VALUE / 2, true);

    assertThat(wallet.isLimited()).isFalse();
    assertThat(r.granted).isTrue();
    assertThat(wallet.available()).isEqualTo(Long.MAX_VALUE);
    wallet.settle(r, 7);
    assertThat(wallet.spentNanos()).isEqualTo(12);
    assertThat(wallet.openReservations()).isZero();
  }

  @Test
  void reserve_manyThreadsAtOnce_neverReservesMoreThanAvailable() throws Exception {
    long budget = 5 * CREDIT;
    long amount = CREDIT / 1000;
    Wallet wallet = localWallet(budget, 0);
    int threads = 16;
    int attemptsEach = 1000;
    AtomicLong granted = new AtomicLong();

    runConcurrently(threads, () -> {
      for (int i = 0; i < attemptsEach; i++) {
        if (wallet.reserve(amount, true).granted) {
          granted.incrementAndGet();
        }
        assertThat(wallet.available()).isGreaterThanOrEqualTo(0);
      }
    });

    assertThat(granted.get()).isEqualTo(budget / amount);
    assertThat(wallet.reservedNanos()).isEqualTo(budget);
    assertThat(wallet.openReservations()).isEqualTo(budget / amount);
    assertThat(wallet.available()).isZero();
  }

  @Test
  void reserveAndSettle_manyThreadsAtOnce_keepsTheBooksExact() throws Exception {
    long budget = 3 * CREDIT;
    Wallet wallet = localWallet(budget, 0);
    int threads = 12;
    AtomicLong settledCost = new AtomicLong();

    runConcurrently(threads, () -> {
      for (int i = 1; i <= 2000; i++) {
        Reservation r = wallet.reserve(1000L * i, true);
        long available = wallet.available();
        assertThat(available).isGreaterThanOrEqualTo(0);
        if (r.granted) {
          long cost = 1000L * i / 3;
          wallet.settle(r, cost);
          settledCost.addAndGet(cost);
        }
      }
    });

    assertThat(wallet.reservedNanos()).isZero();
    assertThat(wallet.openReservations()).isZero();
    assertThat(wallet.spentNanos()).isEqualTo(settledCost.get());
    assertThat(wallet.available()).isEqualTo(budget - settledCost.get()).isGreaterThanOrEqualTo(0);
  }

  private static void runConcurrently(int threads, ThrowingRunnable task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch ready = new CountDownLatch(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        futures.add(pool.submit(() -> {
          ready.countDown();
          start.await();
          task.run();
          return null;
        }));
      }
      ready.await();
      start.countDown();
      for (Future<?> f : futures) {
        f.get(); // rethrows an assertion that failed on a worker
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** A task that may throw, run on each thread. */
  interface ThrowingRunnable {
    void run() throws Exception;
  }
}
