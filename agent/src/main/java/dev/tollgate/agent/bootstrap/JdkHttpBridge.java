package dev.tollgate.agent.bootstrap;

import org.jspecify.annotations.Nullable;

/**
 * The agent's {@code java.net.http} support, seen from advice inlined into the JDK's HttpClient.
 * The JDK client lives in the platform class loader, which the boot loader cannot see, so every
 * client type crosses this bridge as {@code Object}.
 */
public abstract class JdkHttpBridge extends SupportBridge {
  /** The null object: meters nothing, passes every call through. */
  public static final JdkHttpBridge UNMETERED = new Unmetered();
  /** Where advice finds the support beside each copy of the library, keyed by the JDK's {@code HttpClient}. */
  public static final LibraryBridges<JdkHttpBridge> SUPPORT = new LibraryBridges<>(UNMETERED);

  /** The request body's bytes when its publisher holds them ({@code ofString}, {@code ofByteArray}); else null. */
  public abstract byte @Nullable [] bodyBytes(@Nullable Object publisher);

  /** The publisher's content length, or -1. */
  public abstract long contentLength(@Nullable Object publisher);

  /** Wraps the application's {@code BodyHandler} so its subscriber's bytes pass through the call's tap. */
  public abstract Object wrapHandler(CallHandle handle, Object handler);

  /** Set when a support first wraps a handler: until then no subscriber is a tap. */
  private static volatile boolean wrapped;

  /**
   * The subscriber whose trust the client should judge in place of {@code subscriber}: the
   * application's own when {@code subscriber} is the agent's tap around it, else {@code subscriber}.
   */
  public abstract Object trustedAs(Object subscriber);

  /**
   * Whether any handler was wrapped yet: the client asks about the trust of every response's
   * subscriber, and until a call is metered none is a tap, so advice need not reach (or make) a support.
   */
  public static boolean anyWrapped() {
    return wrapped;
  }

  /** Called by a support as it wraps a handler. */
  protected static void wrapping() {
    wrapped = true;
  }

  /** The {@code CompletableFuture} a blocked call completes with: a 402 through the app's handler, or the exception. */
  public abstract Object blocked(CallHandle handle, Object request, Object handler);

  /**
   * Watches the client's future: releases the call when it fails before a response (connection
   * refused, timeout). Returns the future to hand the application: it ends as the client's does and
   * cancels it when cancelled, and it gives a body the application pulls through {@link
   * CallHandle#onPulledBody}.
   */
  public abstract Object watch(CallHandle handle, Object future);

  private static final class Unmetered extends JdkHttpBridge {
    @Override
    public boolean meters() {
      return false;
    }

    @Override
    public byte @Nullable [] bodyBytes(@Nullable Object publisher) {
      return null;
    }

    @Override
    public long contentLength(@Nullable Object publisher) {

      return -1;
    }

    @Override
    public Object wrapHandler(CallHandle handle, Object handler) {
      return handler;
    }

    @Override
    public Object trustedAs(Object subscriber) {
      return subscriber;
    }

    @Override
    public Object blocked(CallHandle handle, Object request, Object handler) {
      throw new IllegalStateException("never blocks");
    }

    @Override
    public Object watch(CallHandle handle, Object future) {
      return future;
    }
  }
}
