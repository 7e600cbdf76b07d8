package dev.tollgate.agent.meter;

import dev.tollgate.agent.pricing.Quoter;
import dev.tollgate.api.CreditBalance;
import dev.tollgate.api.CreditLedgerPage;
import dev.tollgate.api.LedgerQuery;
import dev.tollgate.api.ReconciliationDrift;
import dev.tollgate.api.CreditEstimate;
import dev.tollgate.api.TollgateListener;
import dev.tollgate.api.internal.TollgateBackend;
import org.jspecify.annotations.Nullable;

/** Binds the application's {@code Tollgate} facade to the live agent. */
public final class ApiBackend implements TollgateBackend {
  private final LowBalanceMonitor monitor;
  private final java.util.function.LongSupplier openReservations;
  private final Listeners listeners;
  private final Quoter quoter;

  private final java.util.function.Function<LedgerQuery, CreditLedgerPage> ledger;
  private final java.util.function.Supplier<ReconciliationDrift> reconcile;
  /** The budgets' statuses; set by the meter after construction so the constructor other code calls stays as it is. */
  java.util.function.Supplier<java.util.List<dev.tollgate.api.BudgetStatus>> budgets = java.util.List::of;

  public ApiBackend(LowBalanceMonitor monitor, java.util.function.LongSupplier openReservations, Listeners listeners, Quoter quoter,
      java.util.function.Function<LedgerQuery, CreditLedgerPage> ledger, java.util.function.Supplier<ReconciliationDrift> reconcile) {
    this.openReservations = openReservations;
    this.ledger = ledger;
    this.reconcile = reconcile;
    this.monitor = monitor;
    this.listeners = listeners;
    this.quoter = quoter;
  }

  @Override
  public CreditBalance balance() {
    return monitor.balance();
  }

  @Override
  public long openReservations() {
    return openReservations.getAsLong();
  }

  @Override
  public java.util.List<dev.tollgate.api.BudgetStatus> budgets() {
    return budgets.get();
  }

  @Override
  public ReconciliationDrift reconcile() {
    return reconcile.get();
  }

  @Override
  public CreditLedgerPage ledger(LedgerQuery query) {
    return ledger.apply(query);
  }

  @Override
  public void addListener(TollgateListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeListener(TollgateListener listener) {
    listeners.remove(listener);
  }

  @Override
  public CreditEstimate estimate(String model, String input, long maxOutputTokens) {
    return quoter.estimateText(model, input, maxOutputTokens);
  }

  @Override
  public CreditEstimate estimateRequest(@Nullable String model, String requestJson) {
    return quoter.estimateRequest(model, requestJson);
  }
}
