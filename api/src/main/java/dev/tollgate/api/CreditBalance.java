package dev.tollgate.api;

import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * A snapshot of a credit wallet, in the shape of the Synap {@code credits.get_balance} call: the
 * total spendable credits, a low-balance flag, and the buckets that make up the total.
 */
public final class CreditBalance {
  private final BigDecimal balanceCredits;
  private final boolean warningLow;
  private final List<CreditBucket> buckets;

  /**
   * @param balanceCredits total spendable credits; negative when spend overran the budget
   * @param warningLow whether the balance is below the configured {@code tollgate.low-balance}
   * @param buckets the per-source breakdown; may be empty
   */
  public CreditBalance(BigDecimal balanceCredits, boolean warningLow, List<CreditBucket> buckets) {
    this.balanceCredits = Objects.requireNonNull(balanceCredits, "balanceCredits");
    this.warningLow = warningLow;
    this.buckets = List.copyOf(buckets);
  }

  /** Total spendable credits across all buckets. */
  public BigDecimal balanceCredits() {
    return balanceCredits;
  }

  /** {@code true} when the balance has fallen below the low-balance threshold. */
  public boolean warningLow() {
    return warningLow;
  }

  /** Per-source breakdown of the balance, in the order credits are spent. */
  public List<CreditBucket> buckets() {
    return buckets;
  }

  @Override
  public String toString() {
    return "CreditBalance{" + balanceCredits.toPlainString() + ", warningLow=" + warningLow + ", buckets=" + buckets + '}';
  }
}
