package dev.tollgate.agent.alert;

import dev.tollgate.api.BlockedCall;
import dev.tollgate.api.CreditBalance;
import dev.tollgate.api.ReconciliationDrift;
import dev.tollgate.api.TollgateListener;

/**
 * Turns the meter's listener events into alerts: the wallet's low balance, its first block, drift.
 * Runs on the thread that fires the event; each method only queues.
 */
public final class AlertListener implements TollgateListener {
  private final String lowBalanceThreshold;

  /** @param lowBalanceThreshold {@code tollgate.low-balance} as configured, for the alert's text */
  public AlertListener(String lowBalanceThreshold) {
    this.lowBalanceThreshold = lowBalanceThreshold;
  }

  @Override
  public void onBlocked(BlockedCall call) {
    Alerts.walletBlocked(call);
  }

  @Override
  public void onLowBalance(CreditBalance balance) {
    Alerts.lowBalance(balance.balanceCredits(), lowBalanceThreshold);
  }

  @Override
  public void onDrift(ReconciliationDrift drift) {
    Alerts.drift(drift);
  }
}
