package dev.tollgate.agent.meter;

import dev.tollgate.api.CreditBalance;
import dev.tollgate.api.TollgateListener;
import dev.tollgate.api.internal.TollgateBackend;

/** Binds the application's {@code Tollgate} facade to the live agent. */
public final class ApiBackend implements TollgateBackend {
  private final LowBalanceMonitor monitor;
  private final Listeners listeners;

  public ApiBackend(LowBalanceMonitor monitor, Listeners listeners) {
    this.monitor = monitor;
    this.listeners = listeners;
  }

  @Override
  public CreditBalance balance() {
    return monitor.balance();
  }

  @Override
  public void addListener(TollgateListener listener) {
    listeners.add(listener);
  }

  @Override
  public void removeListener(TollgateListener listener) {
    listeners.remove(listener);
  }
}
