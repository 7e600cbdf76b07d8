package dev.tollgate.agent.wallet;

import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Credits added to the local wallet: the budget, or a {@code tollgate grant} (the local counterpart
 * of a wallet's redeem or top-up). Each becomes one bucket.
 */
public final class Grant {
  /** The id of the grant that {@code tollgate.budget} stands for. */
  public static final String BUDGET_ID = "budget";

  public final String id;
  public final String sourceType;
  public final long amountNanos;
  /** When it was granted; spend before this cannot draw on it. */
  public final Instant grantedAt;
  public final @Nullable Instant expiresAt;

  public Grant(String id, String sourceType, long amountNanos, Instant grantedAt, @Nullable Instant expiresAt) {
    this.id = Objects.requireNonNull(id, "id");
    this.sourceType = Objects.requireNonNull(sourceType, "sourceType");
    this.amountNanos = amountNanos;
    this.grantedAt = Objects.requireNonNull(grantedAt, "grantedAt");
    this.expiresAt = expiresAt;
  }

  /**
   * The budget as a bucket ({@code budget}, spent like paid credits): it never expires and cover spend from any time, since
   * {@code tollgate.budget} is the total the wallet may spend, not a top-up at a moment.
   */
  public static Grant budget(long amountNanos) {
    return new Grant(BUDGET_ID, "budget", amountNanos, Instant.EPOCH, null);
  }

  /** Spend order among buckets of equal expiry: free and promotional credits first, paid last. */
  int priority() {
    return priority(sourceType);
  }

  /** Spend order of a source type: free and promotional credits first, referral and redeemed next, paid last. */
  static int priority(String sourceType) {
    switch (sourceType) {
      case "free":
      case "free_credit":
      case "promo":
        return 0;
      case "referral":
      case "referral_credits":
      case "redeem":
        return 1;
      default:
        return 2;
    }
  }
}
