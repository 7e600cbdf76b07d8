package dev.tollgate.agent.wallet;

import java.util.function.LongSupplier;

/**
 * The embedded default: {@code tollgate.budget} credits kept in the data dir. Spend is the sum of
 * the journal (recovered at start-up) plus what this JVM settles, so the balance survives
 * restarts and the watermark makes it exact.
 */
public final class LocalCreditSource implements CreditSource {
  private final long budgetNanos;
  private final LongSupplier spentNanos;

  public LocalCreditSource(long budgetNanos, LongSupplier spentNanos) {
    this.budgetNanos = budgetNanos;
    this.spentNanos = spentNanos;
  }

  @Override
  public BalanceSnapshot fetch() {
    long spent = spentNanos.getAsLong();
    return new BalanceSnapshot(budgetNanos - spent, spent);
  }

  @Override
  public String name() {
    return "local";
  }

  public long budgetNanos() {
    return budgetNanos;
  }
}
