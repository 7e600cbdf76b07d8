package dev.tollgate.agent.metrics;

import dev.tollgate.agent.wallet.Wallet;
import java.util.Objects;

/**
 * What the gauges read at each collection: the wallet's balance, its open reservations and the
 * budgets; and the unmetered connections {@code tollgate.unmetered.connections} counts. Nothing here
 * runs on a call's path.
 */
public final class Gauges {
  private final Wallet wallet;
  /** The wallet's own budget ({@code tollgate.budget}) as budget {@code default}, or nothing. */
  private final BudgetsView walletBudget;
  private volatile BudgetsView scoped = out -> {};
  private volatile UnmeteredConnections unmetered = new UnmeteredConnections();

  /**
   * @param wallet the wallet whose balance and reservations are shown
   * @param hasBudget whether {@code tollgate.budget} is set: then it is shown as budget {@code default}
   */
  public Gauges(Wallet wallet, boolean hasBudget) {
    this.wallet = wallet;
    this.walletBudget = hasBudget ? out -> out.budget("default", wallet.availableWithShared()) : out -> {};
  }

  /** Adds the budgets per scope, shown beside the wallet's own ({@code default}), never in its place. */
  public void budgets(BudgetsView view) {
    scoped = Objects.requireNonNull(view, "view");
  }

  /** The connections {@code tollgate.unmetered-traffic} counts; set before the exporters start (else none are shown). */
  public void unmetered(UnmeteredConnections connections) {
    unmetered = Objects.requireNonNull(connections, "connections");
  }

  public UnmeteredConnections unmetered() {
    return unmetered;
  }

  /** Whether the wallet has a limit at all: a wallet without one has no balance to show. */
  public boolean hasBalance() {
    return wallet.isLimited();
  }

  /** Credits the application could still spend, in nano-credits. */
  public long balanceNanos() {
    return wallet.availableWithShared();
  }

  /** Calls reserved and not yet settled. */
  public long openReservations() {
    return wallet.openReservations();
  }

  /** The wallet's budget ({@code default}) if it has one, then each budget per scope. */
  public void forEachBudget(BudgetsView.Remaining out) {
    walletBudget.forEachRemaining(out);
    scoped.forEachRemaining(out);
  }
}
