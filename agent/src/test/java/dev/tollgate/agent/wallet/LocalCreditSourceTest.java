package dev.tollgate.agent.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LocalCreditSourceTest {

  @Test
  void fetch_recoveredSpend_isTheWatermarkAndDeductedFromBudget() throws Exception {
    LocalCreditSource source = new LocalCreditSource(25_000_000_000L, () -> 4_500_000_000L);

    BalanceSnapshot snap = source.fetch();

    assertThat(snap.balanceNanos).isEqualTo(20_500_000_000L);
    assertThat(snap.spentWatermarkNanos).isEqualTo(4_500_000_000L);
    assertThat(source.budgetNanos()).isEqualTo(25_000_000_000L);
    assertThat(source.name()).isEqualTo("local");
  }

  @Test
  void fetch_spendBeyondBudget_givesNegativeBalance() throws Exception {
    LocalCreditSource source = new LocalCreditSource(1_000, () -> 1_500);

    assertThat(source.fetch().balanceNanos).isEqualTo(-500);
  }

  @Test
  void fetch_readsSpendEachTime() throws Exception {
    AtomicLong spent = new AtomicLong(10);
    LocalCreditSource source = new LocalCreditSource(100, spent::get);
    source.fetch();
    spent.set(35);

    assertThat(source.fetch().balanceNanos).isEqualTo(65);
  }

  @Test
  void available_localSourceWithRecoveredSpend_staysExactAcrossRefreshes() throws InterruptedException {
    Wallet wallet = new Wallet(3_000, spent -> new BalanceCache(new LocalCreditSource(10_000, spent), Duration.ofNanos(1), Runnable::run));
    Reservation r = wallet.reserve(2_000, true);
    wallet.settle(r, 1_250);
    Thread.sleep(2); // the next read refreshes the snapshot; the arithmetic must not change

    assertThat(wallet.available()).isEqualTo(10_000 - 3_000 - 1_250);
    wallet.reserve(500, true);
    assertThat(wallet.available()).isEqualTo(10_000 - 3_000 - 1_250 - 500);
  }
}
