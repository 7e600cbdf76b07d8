package dev.tollgate.agent.bootstrap;

/**
 * The static entry points that advice calls. On the bootstrap class path, so every class loader
 * sees the same one; before the agent installs a {@link Dispatcher} everything passes through.
 */
public final class Hooks {
  private static volatile Dispatcher dispatcher;

  private Hooks() {}

  /** Installs the agent's dispatcher; called once when metering starts. */
  public static void install(Dispatcher d) {
    dispatcher = d;
  }

  /** See {@link Dispatcher#classify}; {@code null} when the agent is not metering. */
  public static /* @Nullable */ Object classify(String method, String url) {
    Dispatcher d = dispatcher;
    return d == null ? null : d.classify(method, url);
  }

  /** See {@link Dispatcher#begin}. Only called with an operation {@link #classify} returned. */
  public static CallHandle begin(Object operation, String url, /* @Nullable */ byte[] body, long contentLength) {
    return dispatcher.begin(operation, url, body, contentLength);
  }
}
