package dev.tollgate.agent.wallet;

import java.io.IOException;
import org.jspecify.annotations.Nullable;

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

  /**
   * More credits now, for a call {@code shortNanos} short of fitting: a fresh snapshot, called on
   * the calling thread (bounded by the source's timeout), or null when the source cannot lend more
   * than it reports (the default: a remote balance is what it is).
   *
   * @throws IOException when the source cannot be read
   */
  default @Nullable BalanceSnapshot topUp(long shortNanos) throws IOException {
    return null;
  }

  /**
   * Whether the cached balance should be refreshed early, in the background, with {@code
   * availableNanos} left (a lease running low while the source could lend more). Called on every
   * reservation: must be a few field reads.
   */
  default boolean wantsRefill(long availableNanos) {
    return false;
  }

  /** A short name for logs and reports. */
  String name();
}
