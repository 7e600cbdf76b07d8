package dev.tollgate.agent.bootstrap;

/**
 * What the agent's work must not take from the application's thread it runs on. The agent works on
 * threads it does not own: a call's pre-flight, top-up and settle run on the thread that makes the
 * call, and a thread the agent starts lazily is started by whichever thread first needs it.
 */
public final class AppThreads {
  private AppThreads() {}

  /** Work that may throw {@code E}. */
  public interface Work<T, E extends Exception> {
    T run() throws E;
  }

  /**
   * Runs {@code work} with the calling thread's interrupt flag clear, and sets it again afterwards
   * if it was set. An application thread may carry its flag into a call (a task cancelled as its
   * call runs); interruptible I/O (a {@code FileChannel}, okio's timeouts, {@code Thread.sleep})
   * would fail on it, turning the application's cancellation into a failed balance read (and so a
   * blocked call) or a lost file. The interrupt is the application's: it gets it back untouched.
   */
  public static <T, E extends Exception> T uninterrupted(Work<T, E> work) throws E {
    boolean interrupted = Thread.interrupted();
    try {
      return work.run();
    } finally {
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * A daemon thread of the agent's that inherits nothing of the thread that happens to start it:
   * no inheritable thread locals (a request's or tenant's context) and the system class loader as
   * its context loader, as the threads the agent starts at launch have. A thread that lives as long
   * as the JVM would otherwise keep a web application's class loader, and what its thread locals
   * hold, from being collected after the application is undeployed. Made as a privileged action of
   * this boot class: before JDK 24 a thread keeps the access-control context of the code that made
   * it (every protection domain on the stack, each holding its class loader), and under a security
   * manager setting its context loader needs a permission the application's frames may not have.
   */
  @SuppressWarnings("removal") // AccessController: a no-op from JDK 24, which keeps no such context
  public static Thread daemon(Runnable task, String name) {
    return java.security.AccessController.doPrivileged(new java.security.PrivilegedAction<Thread>() {
      @Override
      public Thread run() {
        Thread t = new Thread(null, task, name, 0, false);
        t.setDaemon(true);
        t.setContextClassLoader(ClassLoader.getSystemClassLoader());
        return t;
      }
    });
  }
}
