package dev.tollgate.agent.wallet;

import dev.tollgate.agent.budget.SharedBudgets;
import java.io.IOException;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
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

  /**
   * Whether the source reports only a balance, so that what {@link #spentBetween} says is the fall
   * of that balance and credits added to the account meanwhile read as less spend (reconciliation
   * then names a top-up among a drift's likely causes). True by default, as {@link #spentBetween}'s
   * default is; false for a source with a ledger or a usage counter, or one that counts spend itself.
   */
  default boolean balanceOnly() {
    return true;
  }

  /**
   * For a source that lends credits in leases (a shared Redis fund, a host's lease file): how to
   * read the wallet's open reservations, which each lease must cover beyond its spare. Called once,
   * when the wallet is built; ignored by the default (a source that lends no leases).
   */
  default void countReservations(LongSupplier reservedNanos) {}

  /**
   * For a source that must report spend and may stop hearing of it (a Redis lease given back at exit):
   * the worst cases of the wallet's calls in flight, held or not ({@code Wallet::inFlightNanos}). Called
   * once, when the wallet is built; ignored by the default.
   */
  default void countInFlight(LongSupplier inFlightNanos) {}

  /**
   * For a source shared with other processes through published spend totals (the host lease file):
   * where the wallet mirrors its running spend total after each settled call; null by default.
   * Called once, when the wallet is built.
   */
  default @Nullable LongConsumer spendMirror() {
    return null;
  }

  /**
   * For a source whose fund other JVMs share (the Redis wallet): where the scoped budgets are kept so
   * that those JVMs share them too; null by default (budgets are this process's own). Called once.
   */
  default @Nullable SharedBudgets sharedBudgets() {
    return null;
  }

  /** A short name for logs and reports. */
  String name();
}
