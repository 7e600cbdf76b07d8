package dev.tollgate.agent.instrument;

import dev.tollgate.agent.log.Log;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The transformer the JVM calls for every class it loads. It only compares the class's name with
 * the few it rewrites, and builds the real (Byte Buddy) transformer the first time one of them is
 * loaded, or earlier on a background thread: building Byte Buddy costs hundreds of milliseconds of
 * class loading that a JVM should not wait for before its {@code main} runs.
 */
final class DeferredTransformer implements ClassFileTransformer {
  private final Set<String> internalNames;
  /** Classes whose loading does not wait for the build: loaded before it, they are retransformed after it. */
  private final Set<String> noWait;
  /** Binary names of {@link #noWait} classes loaded before the build, still to retransform. */
  private final Set<String> skipped = ConcurrentHashMap.newKeySet();
  private final Supplier<ClassFileTransformer> factory;
  private volatile @Nullable ClassFileTransformer delegate;
  private boolean failed;

  /** {@code classNames} in binary form ({@code a.b.C$D}). */
  DeferredTransformer(Set<String> classNames, Supplier<ClassFileTransformer> factory) {
    this(classNames, Set.of(), factory);
  }

  /**
   * {@code noWait}: the classes of checks that may miss what happens before the build (the socket
   * check under {@code warn}): a JVM that opens its first socket during start-up (a connection pool, a
   * log shipper) must not wait seconds for Byte Buddy to be built. Such a class loaded before the
   * build is left as it is and retransformed once the build is done ({@link #retransformSkipped}).
   */
  DeferredTransformer(Set<String> classNames, Set<String> noWait, Supplier<ClassFileTransformer> factory) {
    this.internalNames = internal(classNames);
    this.noWait = internal(noWait);
    this.factory = factory;
  }

  private static Set<String> internal(Set<String> names) {
    Set<String> internal = new HashSet<>();
    for (String name : names) {
      internal.add(name.replace('.', '/'));
    }
    return internal;
  }

  @Override
  public byte @Nullable [] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classfileBuffer) {
    if (className == null || !internalNames.contains(className)) {
      return null;
    }
    if (delegate == null && classBeingRedefined == null && noWait.contains(className)) {
      skipped.add(className.replace('/', '.'));
      return null;
    }
    ClassFileTransformer d = delegate();
    if (d == null) {
      return null;
    }
    try {
      return d.transform(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    } catch (Throwable t) {
      Log.once("instrument-" + className, Log.Level.WARN,
          "could not instrument " + className.replace('/', '.') + "; its calls go on unmetered", t);
      return null;
    }
  }

  /**
   * Builds the real transformer on a daemon thread, so it is ready before the application needs it,
   * then runs {@code then} there (the retransformation of classes that may wait).
   */
  void prepareInBackground(Runnable then) {
    Thread t = new Thread(() -> {
      if (delegate() != null) {
        then.run();
      }
    }, "tollgate-instrument");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Retransforms the {@code noWait} classes that were loaded before the build, once it is done. A
   * class is named here just before the JVM defines it, so one not yet visible is looked for again,
   * a few times, a moment apart.
   */
  void retransformSkipped(Instrumentation inst) {
    for (int attempt = 0; attempt < 20 && !skipped.isEmpty(); attempt++) {
      List<Class<?>> found = new ArrayList<>();
      for (Class<?> c : inst.getAllLoadedClasses()) {
        if (skipped.contains(c.getName()) && inst.isModifiableClass(c)) {
          found.add(c);
        }
      }
      if (!found.isEmpty()) {
        for (Class<?> c : found) {
          skipped.remove(c.getName());
        }
        try {
          inst.retransformClasses(found.toArray(new Class<?>[0]));
        } catch (Throwable e) {
          Log.once("instrument-retransform-skipped", Log.Level.WARN, "could not instrument " + found
              + " after start-up; the socket-connect check (tollgate.unmetered-traffic) is off for them", e);
          return;
        }
      }
      if (!skipped.isEmpty()) {
        try {
          Thread.sleep(50);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  /** The {@code noWait} classes loaded before the build and not yet retransformed. */
  Set<String> skipped() {
    return Set.copyOf(skipped);
  }

  /** The real transformer, built on first use; null if it cannot be built (logged once). */
  @Nullable
  ClassFileTransformer delegate() {
    ClassFileTransformer d = delegate;
    if (d != null) {
      return d;
    }
    synchronized (this) {
      if (delegate == null && !failed) {
        try {
          delegate = factory.get();
        } catch (Throwable t) {
          failed = true;
          Log.error("could not set up instrumentation; HTTP calls go on unmetered", t);
        }
      }
      return delegate;
    }
  }
}
