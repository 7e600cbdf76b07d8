package dev.tollgate.api.internal;

import dev.tollgate.api.CreditBalance;
import dev.tollgate.api.CreditLedgerPage;
import dev.tollgate.api.LedgerQuery;
import dev.tollgate.api.ReconciliationDrift;
import dev.tollgate.api.CreditEstimate;
import dev.tollgate.api.TollgateListener;
import org.jspecify.annotations.Nullable;

/**
 * What the agent implements to back the {@link dev.tollgate.api.Tollgate} facade. Not for
 * application use: it may change in any release.
 */
public interface TollgateBackend {

  /** The wallet's balance as enforcement sees it: cached balance minus spend and reservations. */
  CreditBalance balance();

  /** Calls reserved and not yet settled; 0 for a backend that predates this method. */
  default long openReservations() {
    return 0;
  }

  /** Every configured budget in its current period; empty for a backend that predates budgets. */
  default java.util.List<dev.tollgate.api.BudgetStatus> budgets() {
    return java.util.List.of();
  }

  /** Adds a listener; a listener added twice is called once. */
  void addListener(TollgateListener listener);

  /** Removes a listener; a no-op if it was not added. */
  void removeListener(TollgateListener listener);

  /** A dry-run quote for {@code input} sent to {@code model}; {@code maxOutputTokens} of 0 or less means the model's maximum. */
  CreditEstimate estimate(String model, String input, long maxOutputTokens);

  /** A dry-run quote for a request body; {@code model} null means the body's own. */
  CreditLedgerPage ledger(LedgerQuery query);

  /** Reconciles now; null when nothing was reconciled. */
  ReconciliationDrift reconcile();

  CreditEstimate estimateRequest(@Nullable String model, String requestJson);
}
