package dev.tollgate.agent.meter;

import dev.tollgate.agent.alert.Alerts;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.wallet.Wallet;
import dev.tollgate.api.CreditBalance;
import dev.tollgate.api.CreditBucket;
import dev.tollgate.agent.wallet.BalanceSnapshot;
import java.util.ArrayList;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The balance as the application sees it, and the {@code tollgate.low-balance} threshold: crossing
 * it downwards logs one line and tells listeners once; rising above it again re-arms.
 */
public final class LowBalanceMonitor {
  private final Wallet wallet;
  private final long thresholdNanos;
  private final Listeners listeners;
  private final AtomicBoolean low = new AtomicBoolean();

  public LowBalanceMonitor(Wallet wallet, long thresholdNanos, Listeners listeners) {
    this.wallet = wallet;
    this.thresholdNanos = thresholdNanos;
    this.listeners = listeners;
  }

  /** The wallet now; a wallet without a budget reports zero and never a warning. */
  public CreditBalance balance() {
    if (!wallet.isLimited()) {
      return new CreditBalance(BigDecimal.ZERO, false, List.of());
    }
    long available = wallet.availableWithShared();
    BigDecimal credits = Money.fromNanos(available);
    List<CreditBucket> buckets = new ArrayList<>();
    for (BalanceSnapshot.Bucket b : wallet.buckets()) {
      buckets.add(new CreditBucket(b.sourceType, Money.fromNanos(b.balanceNanos), b.expiresAt));
    }
    if (buckets.isEmpty()) {
      buckets.add(new CreditBucket("budget", credits, null)); // a source that reports one total
    }
    return new CreditBalance(credits, available < thresholdNanos || wallet.remoteWarningLow(), buckets);
  }

  void check() {
    if (!wallet.isLimited()) {
      return;
    }
    boolean isLow = wallet.availableWithShared() < thresholdNanos || wallet.remoteWarningLow();
    if (isLow && low.compareAndSet(false, true)) {
      CreditBalance b = balance();
      Log.warn("credit balance is low: " + b.balanceCredits().toPlainString() + " credits left (threshold "
          + Money.format(thresholdNanos) + ")");
      listeners.fire(l -> l.onLowBalance(b));
    } else if (!isLow && low.get() && low.compareAndSet(true, false)) {
      Alerts.walletRecovered(); // credits were added: the wallet's next block is news again
    }
  }
}
