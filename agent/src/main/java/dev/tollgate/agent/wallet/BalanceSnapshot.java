package dev.tollgate.agent.wallet;

/**
 * A credit source's balance at one moment, with the local spend total at that moment (the
 * watermark): spend recorded after it is not yet in {@link #balanceNanos}.
 */
public final class BalanceSnapshot {
  public final long balanceNanos;
  public final long spentWatermarkNanos;

  public BalanceSnapshot(long balanceNanos, long spentWatermarkNanos) {
    this.balanceNanos = balanceNanos;
    this.spentWatermarkNanos = spentWatermarkNanos;
  }
}
