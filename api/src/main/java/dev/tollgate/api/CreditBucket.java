package dev.tollgate.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One source of credits in a wallet, as the Synap wallet describes it: where the credits came
 * from, how many remain, and when they expire.
 */
public final class CreditBucket {
  private final String sourceType;
  private final BigDecimal balance;
  private final @Nullable Instant expiresAt;

  /**
   * @param sourceType origin of the credits, for example {@code "paid"}, {@code "promo"}, {@code
   *     "redeem"}, {@code "free"}, {@code "referral"}
   * @param balance credits remaining in this bucket
   * @param expiresAt when the bucket expires, or {@code null} if it never does
   */
  public CreditBucket(String sourceType, BigDecimal balance, @Nullable Instant expiresAt) {
    this.sourceType = Objects.requireNonNull(sourceType, "sourceType");
    this.balance = Objects.requireNonNull(balance, "balance");
    this.expiresAt = expiresAt;
  }

  /** Origin of the credits, for example {@code "paid"} or {@code "promo"}. */
  public String sourceType() {
    return sourceType;
  }

  /** Credits remaining in this bucket. */
  public BigDecimal balance() {
    return balance;
  }

  /** When this bucket expires, or {@code null} if it never does. */
  public @Nullable Instant expiresAt() {
    return expiresAt;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof CreditBucket)) {
      return false;
    }
    CreditBucket that = (CreditBucket) o;
    return sourceType.equals(that.sourceType)
        && balance.compareTo(that.balance) == 0
        && Objects.equals(expiresAt, that.expiresAt);
  }

  @Override
  public int hashCode() {
    return Objects.hash(sourceType, balance.stripTrailingZeros(), expiresAt);
  }

  @Override
  public String toString() {
    return "CreditBucket{" + sourceType + ", " + balance.toPlainString() + ", expires=" + expiresAt + '}';
  }
}
