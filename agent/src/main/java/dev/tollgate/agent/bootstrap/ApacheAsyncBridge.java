package dev.tollgate.agent.bootstrap;

/**
 * The agent's Apache HttpClient 5 async support, seen from advice inlined into the client. Its
 * implementation implements Apache interfaces, so it is defined next to the application's copy of
 * the library (one instance per class loader, see {@link #SUPPORT}); the advice reaches it
 * through this boot-loader type, and every client type crosses as {@code Object}.
 */
public abstract class ApacheAsyncBridge extends SupportBridge {
  /** The null object: meters nothing, passes every call through. */
  public static final ApacheAsyncBridge UNMETERED = new Unmetered();
  /** Where advice finds the support beside each copy of the library, keyed by the application's {@code CloseableHttpAsyncClient}. */
  public static final LibraryBridges<ApacheAsyncBridge> SUPPORT = new LibraryBridges<>(UNMETERED);


  /**
   * Classifies the request an {@code AsyncRequestProducer} will send and starts metering it.
   * Returns {@code null} for a call that is not metered, or whose producer cannot be read without
   * side effects.
   */
  public abstract /* @Nullable */ CallHandle begin(/* @Nullable */ Object target, Object producer) throws Exception;

  /** Wraps the application's {@code AsyncResponseConsumer} so the response's bytes pass through the call's tap. */
  public abstract Object wrapConsumer(CallHandle handle, Object consumer);

  /**
   * The {@code Future} a blocked call returns instead of the client's: the consumer and callback got
   * a synthetic 402, or the {@code CreditsExhaustedException}.
   */
  public abstract Object blocked(CallHandle handle, Object producer, Object consumer,
      /* @Nullable */ Object context, /* @Nullable */ Object callback);

  /** Releases the call when the client's future ended before a response (client shut down, no route). */
  public abstract void watch(CallHandle handle, /* @Nullable */ Object future);

  private static final class Unmetered extends ApacheAsyncBridge {
    @Override
    public boolean meters() {
      return false;
    }

    @Override
    public CallHandle begin(Object target, Object producer) {
      return null;
    }

    @Override
    public Object wrapConsumer(CallHandle handle, Object consumer) {
      return consumer;
    }

    @Override
    public Object blocked(CallHandle handle, Object producer, Object consumer, Object context, Object callback) {
      throw new IllegalStateException("never blocks");
    }

    @Override
    public void watch(CallHandle handle, Object future) {}
  }
}
