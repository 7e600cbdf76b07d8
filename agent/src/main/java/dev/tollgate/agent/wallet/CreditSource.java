package dev.tollgate.agent.wallet;

import java.io.IOException;

/** Where the credits really live: the local budget, or a remote credit API ({@code dev.tollgate.agent.source}). */
public interface CreditSource {

  /**
   * The balance now. Called off the hot path by the balance cache, one call at a time.
   *
   * @throws IOException when the source cannot be read; its message names the source and the
   *     reason and never carries a credential
   */
  BalanceSnapshot fetch() throws IOException;

  /**
   * What the source itself says was spent between two of its snapshots, in nano-credits, for
   * reconciliation. By default the fall of the balance, {@code from.balance − to.balance}: credits
   * added in between read as less spend. Sources with a usage counter or a ledger say it exactly.
   *
   * @throws IOException when the source cannot be read (a ledger page failed)
   */
  default long spentBetween(BalanceSnapshot from, BalanceSnapshot to) throws IOException {
    return from.balanceNanos - to.balanceNanos;
  }

  /** A short name for logs and reports. */
  String name();
}
