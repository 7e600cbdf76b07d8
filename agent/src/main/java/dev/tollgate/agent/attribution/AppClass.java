package dev.tollgate.agent.attribution;

import java.lang.ref.WeakReference;
import java.util.Map;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * A class of the application's, looked up by name in the class loader of the calling context and
 * remembered per loader without pinning it: the loader is a weak key and the class a weak value
 * (the loader holds its classes, so the value lives exactly as long as the key). The agent never
 * links against the class; it is only ever reached through method handles.
 *
 * <p>A thread whose context loader is the system (or platform) loader and cannot see the class (a
 * {@code ForkJoinPool.commonPool()} thread in a Spring Boot fat jar, whose libraries only the
 * application's own loader sees) gets the class as the one application loader that found it: a call
 * made from {@code CompletableFuture.supplyAsync} is then attributed from its MDC or baggage like
 * any other, instead of silently escaping the budgets keyed on them. Only when exactly one class of
 * that name has been found: with several (web applications side by side in one server) the call
 * could be read through another application's context, so it gets none.
 */
final class AppClass {
  private static final WeakReference<Class<?>> ABSENT = new WeakReference<>(AppClass.class);
  /** {@link #seen} once two different classes of the name were found. */
  private static final WeakReference<Class<?>> AMBIGUOUS = new WeakReference<>(Last.class);

  private final String name;
  private final Map<ClassLoader, WeakReference<Class<?>>> byLoader = new WeakHashMap<>();
  /** The last lookup, for the common case of one loader calling: no lock. */
  private volatile @Nullable Last last;
  /** The one class of the name a loader found; {@link #ABSENT} until one has, then perhaps {@link #AMBIGUOUS}. */
  private volatile WeakReference<Class<?>> seen = ABSENT;

  private static final class Last {
    final WeakReference<ClassLoader> loader;
    final WeakReference<Class<?>> type;

    Last(ClassLoader loader, WeakReference<Class<?>> type) {
      this.loader = new WeakReference<>(loader);
      this.type = type;
    }
  }

  AppClass(String name) {
    this.name = name;
  }

  /**
   * The class as {@code loader} sees it; when the system or platform loader sees none, the one class
   * of the name an application loader found; else null.
   */
  @Nullable
  Class<?> in(ClassLoader loader) {
    Last l = last;
    WeakReference<Class<?>> found = l != null && l.loader.get() == loader ? l.type : lookUp(loader);
    if (found == ABSENT && (loader == ClassLoader.getSystemClassLoader() || loader == ClassLoader.getPlatformClassLoader())) {
      found = seen;
    }
    return found == ABSENT || found == AMBIGUOUS ? null : found.get();
  }

  private WeakReference<Class<?>> lookUp(ClassLoader loader) {
    WeakReference<Class<?>> found;
    synchronized (byLoader) {
      found = byLoader.get(loader);
      if (found == null) {
        found = load(loader);
        byLoader.put(loader, found);
        if (found != ABSENT) {
          remember(found);
        }
      }
    }
    last = new Last(loader, found);
    return found;
  }

  /** Under the lock of {@link #byLoader}. */
  private void remember(WeakReference<Class<?>> found) {
    WeakReference<Class<?>> s = seen;
    if (s == ABSENT || (s != AMBIGUOUS && s.get() == null)) {
      seen = found; // the first, or the first since the one before was unloaded
    } else if (s != AMBIGUOUS && s.get() != found.get()) {
      seen = AMBIGUOUS;
    }
  }

  private WeakReference<Class<?>> load(ClassLoader loader) {
    try {
      return new WeakReference<>(Class.forName(name, false, loader));
    } catch (ClassNotFoundException | LinkageError e) {
      return ABSENT;
    }
  }

  /** The loader of the calling context: the thread's context loader, else the system loader. */
  static ClassLoader callerLoader() {
    ClassLoader l = Thread.currentThread().getContextClassLoader();
    return l != null ? l : ClassLoader.getSystemClassLoader();
  }
}
