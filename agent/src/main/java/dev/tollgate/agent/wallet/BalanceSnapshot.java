package dev.tollgate.agent.wallet;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A credit source's balance at one moment, with the local spend total at that moment (the
 * watermark): spend recorded after it is not yet in {@link #balanceNanos}.
 */
public final class BalanceSnapshot {
  public final long balanceNanos;
  public final long spentWatermarkNanos;
  /** The source's buckets in spend order (the order credits are drawn); empty when it has none. */
  public final List<Bucket> buckets;
  /** When the source was read; null for a snapshot that was not read from anywhere. */
  public final @Nullable Instant fetchedAt;
  /** The remote ledger's usage total (OpenRouter {@code total_usage}), for reconciliation; else null. */
  public final @Nullable Long remoteUsageNanos;
  /** The source's own low-balance flag, where it has one (Synap's {@code warning_low}). */
  public final boolean remoteWarningLow;
  /**
   * The {@link System#nanoTime} after which this snapshot must not be enforced (a Redis lease that
   * Redis may have given back to the shared wallet); {@link Long#MAX_VALUE} for a balance that does
   * not expire.
   */
  public final long usableUntilNanos;
  /** Credits the source holds beyond {@link #balanceNanos} and may still lend (a shared wallet's unleased balance); else 0. */
  public final long sharedNanos;

  public BalanceSnapshot(long balanceNanos, long spentWatermarkNanos) {
    this(balanceNanos, spentWatermarkNanos, List.of(), null, null);
  }

  public BalanceSnapshot(long balanceNanos, long spentWatermarkNanos, List<Bucket> buckets,
      @Nullable Instant fetchedAt, @Nullable Long remoteUsageNanos) {
    this(balanceNanos, spentWatermarkNanos, buckets, fetchedAt, remoteUsageNanos, false);
  }

  /**
   * @param buckets in any order: kept in spend order, soonest-expiring first, then free/promo →
   *     referral/redeem → paid, the source's own order among equals
   * @param remoteWarningLow the source's own low-balance flag (Synap's {@code warning_low})
   */
  public BalanceSnapshot(long balanceNanos, long spentWatermarkNanos, List<Bucket> buckets,
      @Nullable Instant fetchedAt, @Nullable Long remoteUsageNanos, boolean remoteWarningLow) {
    this(balanceNanos, spentWatermarkNanos, buckets, fetchedAt, remoteUsageNanos, remoteWarningLow, Long.MAX_VALUE, 0);
  }

  /**
   * @param usableUntilNanos the {@link System#nanoTime} after which the balance must not be used, or
   *     {@link Long#MAX_VALUE}
   * @param sharedNanos credits the source may still lend beyond {@code balanceNanos}
   */
  public BalanceSnapshot(long balanceNanos, long spentWatermarkNanos, List<Bucket> buckets, @Nullable Instant fetchedAt,
      @Nullable Long remoteUsageNanos, boolean remoteWarningLow, long usableUntilNanos, long sharedNanos) {
    this.usableUntilNanos = usableUntilNanos;
    this.sharedNanos = sharedNanos;
    this.balanceNanos = balanceNanos;
    this.spentWatermarkNanos = spentWatermarkNanos;
    List<Bucket> ordered = new java.util.ArrayList<>(buckets);
    ordered
        .sort(java.util.Comparator.comparing((Bucket b) -> b.expiresAt, java.util.Comparator.nullsLast(java.util.Comparator.naturalOrder()))
            .thenComparingInt(b -> Grant.priority(b.sourceType)));
    this.buckets = List.copyOf(ordered);
    this.remoteWarningLow = remoteWarningLow;
    this.fetchedAt = fetchedAt;
    this.remoteUsageNanos = remoteUsageNanos;
  }

  /** Whether this balance may still be enforced at {@code nanoTime}. */
  public boolean isUsableAt(long nanoTime) {
    return usableUntilNanos == Long.MAX_VALUE || nanoTime - usableUntilNanos < 0;
  }

  /** One funding source of a balance, as the seeds describe it: source type, balance, expiry. */
  public static final class Bucket {
    public final String sourceType;
    public final long balanceNanos;
    /** Null when the bucket does not expire. */
    public final @Nullable Instant expiresAt;

    public Bucket(String sourceType, long balanceNanos, @Nullable Instant expiresAt) {
      this.sourceType = Objects.requireNonNull(sourceType, "sourceType");
      this.balanceNanos = balanceNanos;
      this.expiresAt = expiresAt;
    }

    @Override
    public String toString() {
      return sourceType + "=" + balanceNanos + (expiresAt == null ? "" : "@" + expiresAt);
    }
  }
}
