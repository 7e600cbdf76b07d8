package dev.tollgate.agent.bootstrap;

import org.jspecify.annotations.Nullable;

/** The agent's check of a socket about to connect, called by {@link Hooks#connecting}. */
public abstract class ConnectionGuard {
  /**
   * Checks a connection about to open to {@code address} (a {@code java.net.SocketAddress}).
   *
   * @return why it is refused, or null to let it connect
   */
  public abstract @Nullable String check(Object address);
}
