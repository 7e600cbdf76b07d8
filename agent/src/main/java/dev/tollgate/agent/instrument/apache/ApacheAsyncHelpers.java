package dev.tollgate.agent.instrument.apache;

import dev.tollgate.agent.bootstrap.ApacheAsyncBridge;
import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * Defines the async support ({@code instrument.apache.async}) next to each copy of Apache
 * HttpClient 5 the application loads.
 *
 * <p>The support implements Apache interfaces ({@code AsyncResponseConsumer}, {@code
 * RequestChannel}…), so it must be defined where the application's Apache classes are visible,
 * which the agent's own class loader need not be (a Spring Boot jar, an application server). Rather
 * than injecting classes into the application's loader (reflection into {@code ClassLoader} or
 * {@code Unsafe}, which JDK 24+ warns about), each copy of the library gets a small child loader:
 * its parent is the library's loader, so Apache and the boot loader's hook bridge resolve as usual,
 * and it defines the support package itself from the agent jar's bytes, child-first. Advice reaches
 * the support through the boot-loader type {@link ApacheAsyncBridge}. No class of the
 * application's loader is touched. (A {@code java.lang.reflect.Proxy} over the consumer would avoid
 * the loader but read every response through reflection, and a blocked call must build Apache
 * objects for the consumer anyway.)
 */
public final class ApacheAsyncHelpers implements Function<Class<?>, ApacheAsyncBridge> {
  static final String PACKAGE = "dev.tollgate.agent.instrument.apache.async.";

  @Override
  public ApacheAsyncBridge apply(Class<?> client) {
    try {
      return define(client.getClassLoader());
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      Log.once("apache-async-helpers", Log.Level.WARN, "could not set up the Apache HttpClient 5 async support; its calls go on unmetered", e);
      return new Unmetered();
    }
  }

  /** The support, defined in a new child of {@code library}, the loader of the application's Apache client. */
  static ApacheAsyncBridge define(/* @Nullable */ ClassLoader library) throws ReflectiveOperationException {
    ClassLoader helpers = new HelperLoader(library, ApacheAsyncHelpers.class.getClassLoader());
    return (ApacheAsyncBridge) helpers.loadClass(PACKAGE + "ApacheAsyncSupport").getConstructor().newInstance();
  }

  /** Child-first for the support package, parent-first for everything else. */
  static final class HelperLoader extends ClassLoader {
    static {
      registerAsParallelCapable();
    }

    private final ClassLoader source;

    HelperLoader(/* @Nullable */ ClassLoader parent, ClassLoader source) {
      super(parent);
      this.source = source;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(PACKAGE)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        return c != null ? c : define(name);
      }
    }

    private Class<?> define(String name) throws ClassNotFoundException {
      try (InputStream in = source.getResourceAsStream(name.replace('.', '/') + ".class")) {
        if (in == null) {
          throw new ClassNotFoundException(name);
        }
        byte[] bytes = in.readAllBytes();
        return defineClass(name, bytes, 0, bytes.length);
      } catch (IOException e) {
        throw new ClassNotFoundException(name, e);
      }
    }
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
