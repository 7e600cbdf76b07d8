package dev.tollgate.api;

import dev.tollgate.api.internal.TollgateBackend;
import dev.tollgate.api.internal.TollgateBinding;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;

/**
 * The application's view of Tollgate.
 *
 * <p>With the agent attached ({@code -javaagent:tollgate-agent.jar}) and metering, every method
 * reads or changes the agent's live state. Without it, {@link #isActive()} is {@code false}, the
 * balance is empty and listeners are never called: code that uses this class runs unchanged in
 * environments without the agent.
 */
public final class Tollgate {

  private static final CreditBalance NO_AGENT = new CreditBalance(BigDecimal.ZERO, false, List.of());

  private Tollgate() {}

  /** {@code true} when the agent is attached and metering calls in this JVM. */
  public static boolean isActive() {
    return TollgateBinding.backend() != null;
  }

  /**
   * The balance enforcement uses now: the cached wallet balance minus spend recorded since it was
   * read and minus open reservations. Without the agent, a zero balance with no buckets.
   */
  public static CreditBalance balance() {
    TollgateBackend b = TollgateBinding.backend();
    return b == null ? NO_AGENT : b.balance();
  }

  /**
   * Registers a listener for usage, blocked-call and low-balance events. Without the agent it is
   * kept nowhere and never called.
   *
   * @throws NullPointerException if {@code listener} is null
   */
  public static void addListener(TollgateListener listener) {
    Objects.requireNonNull(listener, "listener");
    TollgateBackend b = TollgateBinding.backend();
    if (b != null) {
      b.addListener(listener);
    }
  }

  /** Removes a listener added with {@link #addListener}; a no-op if it was not added. */
  public static void removeListener(TollgateListener listener) {
    Objects.requireNonNull(listener, "listener");
    TollgateBackend b = TollgateBinding.backend();
    if (b != null) {
      b.removeListener(listener);
    }
  }
}
