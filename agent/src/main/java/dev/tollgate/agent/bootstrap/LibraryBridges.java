package dev.tollgate.agent.bootstrap;

import java.util.function.Function;

/**
 * The agent's support for one client library, one instance per copy of the library the
 * application loads: the support implements the library's interfaces, so it is defined beside each
 * copy, and advice reaches it through a boot-loader type {@code T}. Keyed by a class of the library
 * (the anchor), so a support goes away with the class loader that holds the library.
 */
public final class LibraryBridges<T> {
  private volatile Function<Class<?>, T> factory;
  private final ClassValue<T> bridges = new ClassValue<T>() {
    @Override
    protected T computeValue(Class<?> anchor) {
      Function<Class<?>, T> f = factory;
      return f == null ? null : f.apply(anchor);
    }
  };

  /** Installs how a support is made for a copy of the library; called once when metering starts. */
  public void install(Function<Class<?>, T> f) {
    factory = f;
  }

  /** The support for the copy of the library {@code anchor} belongs to; null when it could not be made. */
  public /* @Nullable */ T forLibrary(Class<?> anchor) {
    return bridges.get(anchor);
  }
}
