package dev.tollgate.agent.instrument;

import dev.tollgate.agent.log.Log;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.Set;
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
  private final Supplier<ClassFileTransformer> factory;
  private volatile @Nullable ClassFileTransformer delegate;
  private boolean failed;

  /** {@code classNames} in binary form ({@code a.b.C$D}). */
  DeferredTransformer(Set<String> classNames, Supplier<ClassFileTransformer> factory) {
    Set<String> internal = new HashSet<>();
    for (String name : classNames) {
      internal.add(name.replace('.', '/'));
    }
    this.internalNames = internal;
    this.factory = factory;
  }

  @Override
  public byte @Nullable [] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
      ProtectionDomain protectionDomain, byte[] classfileBuffer) {
    if (className == null || !internalNames.contains(className)) {
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
