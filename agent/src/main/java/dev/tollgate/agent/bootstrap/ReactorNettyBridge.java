package dev.tollgate.agent.bootstrap;

/**
 * The agent's Reactor Netty support ({@code reactor.netty.http.client.HttpClient} used directly, as
 * Azure's default transport and hand-written clients do), seen from advice inlined into Reactor
 * Netty. Its implementation uses Reactor and Netty types, so it is defined beside each copy of
 * Reactor Netty the application loads ({@link #SUPPORT}); they cross as {@code Object}.
 */
public abstract class ReactorNettyBridge extends SupportBridge {
  /** The null object: meters nothing, passes every call through. */
  public static final ReactorNettyBridge UNMETERED = new Unmetered();
  /** Where advice finds the support, keyed by a class of the library. */
  public static final LibraryBridges<ReactorNettyBridge> SUPPORT = new LibraryBridges<>(UNMETERED);

  /**
   * A metered request about to connect: the {@code Mono<Connection>} that captures the body,
   * reserves, and only then connects (or fails with the block), in place of {@code client}'s own
   * {@code connect()}; null when the call is not this support's to meter (a call the Spring support
   * meters, or the support's own second connect), which then goes on as it was.
   *
   * @param client the application's {@code HttpClient} (its request finalizer)
   */
  public abstract /* @Nullable */ Object connect(Object client, Object operation, String url);

  private static final class Unmetered extends ReactorNettyBridge {
    @Override
    public boolean meters() {
      return false;
    }

    @Override
    public Object connect(Object client, Object operation, String url) {
      return null;
    }
  }
}
