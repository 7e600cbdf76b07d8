package dev.tollgate.api.internal;

import org.jspecify.annotations.Nullable;

/**
 * The one place the agent binds the facade to its live state. Not for application use.
 *
 * <p>The agent places the API classes on the bootstrap class path before the application starts,
 * so the application's {@code Tollgate} and the agent's are the same class and see this binding.
 */
public final class TollgateBinding {
  private static volatile @Nullable TollgateBackend backend;

  private TollgateBinding() {}

  /** Binds the facade; called once by the agent when it starts metering. */
  public static void bind(TollgateBackend b) {
    backend = b;
  }

  /** The bound backend, or {@code null} when no agent is metering. */
  public static @Nullable TollgateBackend backend() {
    return backend;
  }
}
