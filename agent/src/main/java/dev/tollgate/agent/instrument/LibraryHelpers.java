package dev.tollgate.agent.instrument;

import dev.tollgate.agent.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.Function;

/**
 * Defines the agent's support for a client library next to each copy of it the application loads.
 *
 * <p>A support implements the library's interfaces, so it must be defined where the library's
 * classes are visible, which the agent's own class loader need not be (a Spring Boot jar, an
 * application server). Rather than injecting classes into the application's loader, each copy of
 * the library gets a small child loader: its parent is the library's loader, so the library and the
 * boot loader's hook bridge resolve as usual, and it defines the support package itself from the
 * agent jar's bytes, child-first. Advice reaches the support through a boot-loader type
 * ({@link dev.tollgate.agent.bootstrap.LibraryBridges}). No class of the application's loader is
 * touched. A support package may use only the library, the JDK and the hook bridge.
 *
 * @param <T> the boot-loader type advice sees the support as
 */
public final class LibraryHelpers<T> implements Function<Class<?>, T> {
  private final String supportPackage;
  private final String supportClass;
  private final /* @Nullable */ T unmetered;
  private final String library;

  /**
   * @param supportPackage the package defined beside the library, {@code dev.tollgate...support.}
   * @param supportClass the simple name of the class instantiated there, a {@code T}
   * @param unmetered what advice gets where the support cannot be defined (null: advice passes through)
   * @param library the library's name, for the one log line
   */
  public LibraryHelpers(String supportPackage, String supportClass, /* @Nullable */ T unmetered, String library) {
    this.supportPackage = supportPackage;
    this.supportClass = supportClass;
    this.unmetered = unmetered;
    this.library = library;
  }

  @Override
  public T apply(Class<?> anchor) {
    try {
      return define(anchor.getClassLoader());
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      Log.once("helpers-" + supportPackage, Log.Level.WARN, "could not set up the " + library + " support; its calls go on unmetered", e);
      return unmetered;
    }
  }

  /** The support, defined in a new child of {@code library}, the loader of the application's copy. */
  @SuppressWarnings("unchecked")
  public T define(/* @Nullable */ ClassLoader library) throws ReflectiveOperationException {
    ClassLoader helpers = new HelperLoader(library, LibraryHelpers.class.getClassLoader(), supportPackage);
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
