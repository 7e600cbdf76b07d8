package dev.tollgate.agent.instrument.apache;

import dev.tollgate.agent.bootstrap.ApacheAsyncBridge;
import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.instrument.LibraryHelpers;

/**
 * The Apache HttpClient 5 async support ({@code instrument.apache.async}), defined next to each
 * copy of the library by {@link LibraryHelpers}. (A {@code java.lang.reflect.Proxy} over the
 * consumer would avoid the child loader but read every response through reflection, and a blocked
 * call must build Apache objects for the consumer anyway.)
 */
public final class ApacheAsyncHelpers {
  static final String PACKAGE = "dev.tollgate.agent.instrument.apache.async.";

  private ApacheAsyncHelpers() {}

  /** The factory the agent installs: one support per copy of the library, pass-through where that fails. */
  public static LibraryHelpers<ApacheAsyncBridge> factory() {
    return new LibraryHelpers<>(PACKAGE, "ApacheAsyncSupport", new Unmetered(), "Apache HttpClient 5 async");
  }

  /** The support, defined in a new child of {@code library}, the loader of the application's Apache client. */
  static ApacheAsyncBridge define(/* @Nullable */ ClassLoader library) throws ReflectiveOperationException {
    return factory().define(library);
  }

  /** For a copy of the library the support could not be defined for: its calls pass through. */
  static final class Unmetered extends ApacheAsyncBridge {
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
