package dev.tollgate.agent.bootstrap;

import org.jspecify.annotations.Nullable;

/**
 * The agent's Jetty 12 {@code HttpClient} support, seen from advice inlined into the client. Its
 * implementation implements Jetty's listener interfaces, so it is defined beside each copy of Jetty
 * the application loads ({@link #SUPPORT}); Jetty types cross as {@code Object}.
 */
public abstract class JettyBridge extends SupportBridge {
  /** The null object: meters nothing, every request is sent as it was. */
  public static final JettyBridge UNMETERED = new JettyBridge() {
    @Override
    public boolean meters() {
      return false;
    }

    @Override
    public boolean send(Object request, @Nullable Object listener) {
      return false;
    }
  };
  /** Where advice finds the support beside each copy of Jetty, keyed by its {@code HttpRequest} class. */
  public static final LibraryBridges<JettyBridge> SUPPORT = new LibraryBridges<>(UNMETERED);

  /**
   * A request about to be sent with {@code listener} ({@code Response.CompleteListener}, may be null):
   * a metered call is reserved and its response tapped. Returns true when the call was blocked and
   * already answered, so the client must not send it.
   */
  public abstract boolean send(Object request, @Nullable Object listener) throws Exception;
}
