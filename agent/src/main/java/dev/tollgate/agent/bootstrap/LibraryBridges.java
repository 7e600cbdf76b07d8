package dev.tollgate.agent.bootstrap;

import java.util.function.Function;

/**
 * Where advice finds the agent's support for one client library, one instance per copy of the
 * library the application loads: the support implements the library's interfaces, so it is defined
 * beside each copy, and advice reaches it through a boot-loader type {@code T}. Keyed by a class of
 * the library (the anchor), so a support goes away with the class loader that holds the library.
 * Never null: where no support could be made, advice gets the bridge's null object.
 */
public final class LibraryBridges<T extends SupportBridge> {
  private final T unmetered;
  private volatile Function<Class<?>, T> factory;
  private final ClassValue<T> bridges = new ClassValue<T>() {
    @Override
    protected T computeValue(Class<?> anchor) {
      Function<Class<?>, T> f = factory;
      T bridge = f == null ? null : f.apply(anchor);
      return bridge == null ? unmetered : bridge;
    }
  };

  /** @param unmetered the bridge's null object, for a copy of the library no support could be made for */
  public LibraryBridges(T unmetered) {
    this.unmetered = unmetered;
  }

  /** Installs how a support is made for a copy of the library; called once when metering starts. */
  public void install(Function<Class<?>, T> f) {
    factory = f;
  }

  /** The bridge's null object. */
  public T unmetered() {
    return unmetered;
  }

  /** The support for the copy of the library {@code anchor} belongs to, or the null object. */
  public T forLibrary(Class<?> anchor) {
    return bridges.get(anchor);
  }
}
