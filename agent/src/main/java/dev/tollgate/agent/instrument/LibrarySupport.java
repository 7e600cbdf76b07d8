package dev.tollgate.agent.instrument;

import dev.tollgate.agent.bootstrap.LibraryBridges;
import dev.tollgate.agent.bootstrap.SupportBridge;
import dev.tollgate.agent.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * The one way the agent places code that must see a client library's types: a support class,
 * defined beside each copy of the library the application loads, and reached from advice through a
 * typed bridge on the boot class path ({@code T}, an abstract class in {@code
 * dev.tollgate.agent.bootstrap}, held in a {@link LibraryBridges} slot).
 *
 * <p>A support implements the library's interfaces, so it must be defined where the library's
 * classes are visible, which the agent's own class loader need not be (a Spring Boot jar, an
 * application server, the JDK's platform loader). Rather than injecting classes into the
 * application's loader, each copy of the library gets a small child loader: its parent is the
 * library's loader, so the library and the boot loader's hook bridge resolve as usual, and it
 * defines the support package itself from the agent jar's bytes, child-first. No class of the
 * application's loader is touched. A support package may use only the library, the JDK and the hook
 * bridge ({@code SupportIsolationTest} checks). Where the support cannot be defined, advice gets the
 * bridge's null object, which meters nothing: the failure is logged once and calls go on unmetered.
 *
 * @param <T> the boot-loader type advice sees the support as
 */
public final class LibrarySupport<T extends SupportBridge> implements Function<Class<?>, T> {
  private final LibraryBridges<T> slot;
  private final String supportPackage;
  private final String supportClass;
  private final T unmetered;
  private final String library;

  /**
   * @param slot where advice finds the support ({@code SpringBridge.SUPPORT}...)
   * @param supportClass the binary name of the class instantiated beside the library, a {@code T}
   *     with a public no-argument constructor; its package is the support package
   * @param library the library's name, for the one log line
   */
  public LibrarySupport(LibraryBridges<T> slot, String supportClass, String library) {
    this.slot = slot;
    this.supportPackage = supportClass.substring(0, supportClass.lastIndexOf('.') + 1);
    this.supportClass = supportClass.substring(supportPackage.length());
    this.unmetered = slot.unmetered();
    this.library = library;
  }

  /** Makes advice find this support (built on first use, per copy of the library); called when its instrumentation is installed. */
  void install() {
    slot.install(this);
  }

  /** The support package, {@code dev.tollgate...support.} (with the dot). */
  String supportPackage() {
    return supportPackage;
  }

  @Override
  public T apply(Class<?> anchor) {
    try {
      return define(anchor.getClassLoader());
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      Log.once("support-" + supportPackage, Log.Level.WARN, "could not set up the " + library + " support; its calls go on unmetered", e);
      return unmetered;
    }
  }

  /** The support, defined in a new child of {@code library}, the loader of the application's copy. */
  @SuppressWarnings("unchecked")
  public T define(/* @Nullable */ ClassLoader library) throws ReflectiveOperationException {
    ClassLoader helpers = new HelperLoader(library, LibrarySupport.class.getClassLoader(), supportPackage);
    return (T) helpers.loadClass(supportPackage + supportClass).getConstructor().newInstance();
  }

  /** Child-first for the support package, parent-first for everything else. */
  public static final class HelperLoader extends ClassLoader {
    static {
      registerAsParallelCapable();
    }

    private final ClassLoader source;
    private final String supportPackage;

    HelperLoader(/* @Nullable */ ClassLoader parent, ClassLoader source, String supportPackage) {
      super(parent);
      this.source = source;
      this.supportPackage = supportPackage;
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(supportPackage)) {
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
}
