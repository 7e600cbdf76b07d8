package dev.tollgate.agent.meter;

import dev.tollgate.agent.alert.Alerts;
import dev.tollgate.agent.log.Log;
import dev.tollgate.api.BudgetStatus;
import java.util.function.BiConsumer;

/** A budget reached an alert threshold: one log line, then {@code TollgateListener.onBudgetThreshold}. */
public final class BudgetAlerts implements BiConsumer<BudgetStatus, String> {
  private final Listeners listeners;

  public BudgetAlerts(Listeners listeners) {
    this.listeners = listeners;
  }

  /** A budget's name as blocks, alerts and metrics give it: its scope and period ({@code {tenant=acme} per day}). */
  public static String name(BudgetStatus status) {
    return BlockedResponse.describe(status);
  }

  @Override
  public void accept(BudgetStatus status, String threshold) {
    Log.warn("budget " + BlockedResponse.describe(status) + " reached " + threshold + ": spent " + status.spent().toPlainString()
        + " of " + status.limit().toPlainString() + " credits" + (status.resetsAt() == null ? "" : "; it resets at " + status.resetsAt()));
    listeners.fire(l -> l.onBudgetThreshold(status, threshold));
    Alerts.budgetThreshold(status.scope(), status.period(), threshold, status.limit(), status.spent(), status.remaining(),
        status.resetsAt());
  }
}
