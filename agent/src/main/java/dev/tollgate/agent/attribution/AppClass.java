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
 * <p>A thread whose context loader cannot see the class (a {@code ForkJoinPool.commonPool()} thread
 * has the system loader, which in a Spring Boot fat jar or an application server sees none of the
 * application's libraries) gets the class as the last loader that could see it found it: a call
 * made from {@code CompletableFuture.supplyAsync} is then attributed from its MDC or baggage like
 * any other, instead of silently escaping the budgets keyed on them.
 */
final class AppClass {
  private static final WeakReference<Class<?>> ABSENT = new WeakReference<>(AppClass.class);

  private final String name;
  private final Map<ClassLoader, WeakReference<Class<?>>> byLoader = new WeakHashMap<>();
  /** The last lookup, for the common case of one loader calling: no lock. */
  private volatile @Nullable Last last;
  /** The class as the last loader that could see it found it; {@link #ABSENT} until one has. */
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
   * The class as {@code loader} sees it; when it sees none, as the last loader that could see it
   * found it; null when no loader has.
   */
  @Nullable
  Class<?> in(ClassLoader loader) {
    Last l = last;
    WeakReference<Class<?>> found = l != null && l.loader.get() == loader ? l.type : lookUp(loader);
    if (found == ABSENT) {
      found = seen;
    }
    return found == ABSENT ? null : found.get();
  }

  private WeakReference<Class<?>> lookUp(ClassLoader loader) {
    WeakReference<Class<?>> found;
    synchronized (byLoader) {
      found = byLoader.get(loader);
      if (found == null) {
        found = load(loader);
        byLoader.put(loader, found);
        if (found != ABSENT) {
          seen = found;
        }
      }
    }
    last = new Last(loader, found);
    return found;
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
