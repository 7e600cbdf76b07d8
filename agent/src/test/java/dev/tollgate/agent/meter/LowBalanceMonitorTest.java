package dev.tollgate.agent.meter;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.wallet.BalanceCache;
import dev.tollgate.agent.wallet.BalanceSnapshot;
import dev.tollgate.agent.wallet.CreditSource;
import dev.tollgate.agent.wallet.Wallet;
import dev.tollgate.api.CreditBalance;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LowBalanceMonitorTest {

  private static Wallet wallet(long balanceNanos, boolean remoteLow, List<BalanceSnapshot.Bucket> buckets) {
    CreditSource source = new CreditSource() {
      @Override
      public BalanceSnapshot fetch() {
        return new BalanceSnapshot(balanceNanos, 0, buckets, Instant.EPOCH, null, remoteLow);
      }

      @Override
      public String name() {
        return "fake";
      }
    };
    return new Wallet(0, spent -> new BalanceCache(source, Duration.ofHours(1), Runnable::run));
  }

  @Test
  void balance_listsTheSourcesBuckets_andHonoursItsOwnLowFlag() {
    Wallet w = wallet(5_000_000_000L, true, List.of(new BalanceSnapshot.Bucket("paid", 4_000_000_000L, null),
        new BalanceSnapshot.Bucket("promo", 1_000_000_000L, null)));

    CreditBalance b = new LowBalanceMonitor(w, 1, new Listeners()).balance();

    assertThat(b.balanceCredits()).isEqualByComparingTo("5");
    assertThat(b.warningLow()).isTrue(); // far above the local threshold, but the source says low
    assertThat(b.buckets()).extracting(x -> x.sourceType()).containsExactly("promo", "paid");
  }

  @Test
  void balance_ofASourceWithoutBuckets_isOneBucket_andLowOnlyBelowTheThreshold() {
    CreditBalance b = new LowBalanceMonitor(wallet(5_000_000_000L, false, List.of()), 1, new Listeners()).balance();

    assertThat(b.warningLow()).isFalse();
    assertThat(b.buckets()).singleElement().satisfies(x -> assertThat(x.balance()).isEqualByComparingTo("5"));
  }
}
