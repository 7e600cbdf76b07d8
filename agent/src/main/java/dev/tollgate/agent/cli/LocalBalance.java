package dev.tollgate.agent.cli;

import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.wallet.Grant;
import dev.tollgate.agent.wallet.Grants;
import dev.tollgate.agent.wallet.LedgerBook;
import dev.tollgate.agent.wallet.WalletState;
import dev.tollgate.api.CreditBucket;
import dev.tollgate.agent.journal.History;
import dev.tollgate.agent.journal.SpendKeys;
import dev.tollgate.agent.journal.Tally;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A data dir's local wallet as {@code balance} and {@code doctor} show it: the budget the agent last
 * ran with ({@code wallet.json}), the grants, and the journal's spend replayed over them.
 */
final class LocalBalance {
  final @Nullable BigDecimal budget;
  final BigDecimal spent;
  /** Null when the data dir has neither a budget nor grants: meter only, never blocks. */
  final @Nullable BigDecimal balance;
  final boolean low;
  /** Whether {@code grant} added credits (besides the budget). */
  final boolean hasGrants;
  final List<CreditBucket> buckets;

  private LocalBalance(@Nullable BigDecimal budget, BigDecimal spent, @Nullable BigDecimal balance, boolean low,
      boolean hasGrants, List<CreditBucket> buckets) {
    this.budget = budget;
    this.spent = spent;
    this.balance = balance;
    this.low = low;
    this.hasGrants = hasGrants;
    this.buckets = buckets;
  }

  /**
   * The balance of {@code dataDir} at {@code now}: the journal's spend from its checkpoint and the
   * records past it (read, never saved), replayed hour by hour onto the grants.
   */
  static LocalBalance of(Path dataDir, Instant now) throws IOException {
    WalletState state = WalletState.read(dataDir);
    Tally tally = History.of(dataDir, SpendKeys.NONE).update(false);
    long spentNanos = tally.spentNanos();
    BigDecimal budget = state == null ? null : state.budget;
    List<Grant> grants = new ArrayList<>();
    if (budget != null) {
      grants.add(Grant.budget(Money.toNanos(budget)));
    }
    List<Grant> granted = Grants.read(dataDir);
    grants.addAll(granted);
    LedgerBook book = LedgerBook.replay(grants, tally, now);
    BigDecimal balance = grants.isEmpty() ? null : Money.fromNanos(book.balanceNanos(now));
    boolean low = balance != null && state != null && budget != null && balance.compareTo(lowThreshold(state, budget)) < 0;
    List<CreditBucket> buckets = grants.isEmpty() ? List.of() : book.buckets(now);
    return new LocalBalance(budget, Money.fromNanos(spentNanos), balance, low, !granted.isEmpty(), buckets);
  }

  private static BigDecimal lowThreshold(WalletState state, BigDecimal budget) {
    String low = state.lowBalance;
    return low.endsWith("%")
        ? budget.multiply(new BigDecimal(low.substring(0, low.length() - 1))).movePointLeft(2)
        : new BigDecimal(low);
  }
}
