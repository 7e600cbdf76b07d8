package dev.tollgate.agent.bootstrap;

import java.lang.ref.Cleaner;
import java.net.HttpURLConnection;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * Which {@code HttpURLConnection}s are metered, and their calls. The JDK's connection has no field
 * to hold Tollgate's state (retransformed classes cannot gain one), so each metered connection is a
 * weak key in a small striped map: a connection the application drops takes its entry with it.
 *
 * <p>A connection that cannot be metered (not a POST, or to a host outside the endpoint catalog) is
 * ruled out from its method and its URL's host, which the connection holds: no allocation, no
 * entry, and no lock while no metered connection is reachable. Any other connection is classified
 * once, on its first {@code connect}, {@code getOutputStream} or {@code getInputStream}, which costs
 * one {@code URL.toString()} and one map entry; later hooks on it are one lookup.
 */
public final class UrlConnections {
  private static final Object NOT_METERED = new Object();
  private static final int STRIPES = 16;
  private static final Map<HttpURLConnection, Object>[] STATE = newStripes();
  /** Metered connections still reachable; while there are none, no lookup can find a call. */
  private static final AtomicInteger METERED = new AtomicInteger();
  private static final Runnable UNREACHABLE = new Runnable() {
    @Override
    public void run() {
      METERED.decrementAndGet();
    }
  };
  /** How deep this thread is in metered {@code getInputStream} calls: the JDK calls it from inside itself. */
  private static final ThreadLocal<int[]> DEPTH = new ThreadLocal<int[]>() {
    @Override
    protected int[] initialValue() {
      return new int[1];
    }
  };
  /** The connection whose unmetered {@code getInputStream} this thread is in, where the JDK follows redirects. */
  private static final ThreadLocal<HttpURLConnection[]> READING = new ThreadLocal<HttpURLConnection[]>() {
    @Override
    protected HttpURLConnection[] initialValue() {
      return new HttpURLConnection[1];
    }
  };

  private UrlConnections() {}

  /** The connection's metered call, classifying the connection on first sight; null when it is not metered. */
  public static @Nullable UrlCall call(HttpURLConnection c) {
    if (!mayBeMetered(c)) {
      return find(c); // a metered call the JDK redirected (a 302 turns its POST into a GET) keeps its call
    }
    Object state = lookup(c);
    if (state == null) {
      // Seen first inside its own unmetered getInputStream: a redirect moved a call that already left.
      state = reading(c) ? NOT_METERED : classify(c);
      Map<HttpURLConnection, Object> stripe = stripe(c);
      synchronized (stripe) {
        Object earlier = stripe.putIfAbsent(c, state);
        if (earlier == null && state != NOT_METERED) {
          METERED.incrementAndGet();
          cleaner().register(c, UNREACHABLE);
        }
        state = earlier != null ? earlier : state;
      }
    }
    return state == NOT_METERED ? null : (UrlCall) state;
  }

  /** The connection's metered call if it has one; never classifies. */
  public static @Nullable UrlCall find(HttpURLConnection c) {
    if (METERED.get() == 0) {
      return null;
    }
    Object state = lookup(c);
    return state == null || state == NOT_METERED ? null : (UrlCall) state;
  }

  /** The synthetic 402 of a blocked call; null for every other connection. */
  public static @Nullable BlockedUrlResponse blocked(HttpURLConnection c) {
    UrlCall call = find(c);
    return call == null ? null : call.blocked();
  }

  /** A POST (or a GET that {@code getOutputStream} will turn into one) to a host in the endpoint catalog. */
  private static boolean mayBeMetered(HttpURLConnection c) {
    return Hooks.mayMeter(method(c), c.getURL().getHost());
  }

  /** {@code getOutputStream} turns a GET with {@code doOutput} into a POST, so the call is classified as one. */
  private static String method(HttpURLConnection c) {
    String method = c.getRequestMethod();
    return "GET".equals(method) && c.getDoOutput() ? "POST" : method;
  }

  private static @Nullable Object lookup(HttpURLConnection c) {
    Map<HttpURLConnection, Object> stripe = stripe(c);
    synchronized (stripe) {
      return stripe.get(c);
    }
  }

  private static Object classify(HttpURLConnection c) {
    try {
      String url = c.getURL().toString();
      Object operation = Hooks.classify(method(c), url);
      return operation == null ? NOT_METERED : new UrlCall(operation, url);
    } catch (RuntimeException | LinkageError e) {
      Hooks.failed("url-connection-classify", e);
      return NOT_METERED;
    }
  }

  /** Entering a metered {@code getInputStream} that runs the JDK's code. */
  static void enter() {
    DEPTH.get()[0]++;
  }

  /** Leaving it; returns how many of them this thread is still inside. */
  static int exit() {
    int[] depth = DEPTH.get();
    depth[0] = Math.max(0, depth[0] - 1);
    return depth[0];
  }

  /**
   * Entering an unmetered {@code getInputStream}: marks {@code c} as the connection this thread is
   * reading. Returns the mark it replaces, for {@link #stopReading}.
   */
  public static @Nullable HttpURLConnection startReading(HttpURLConnection c) {
    HttpURLConnection[] mark = READING.get();
    HttpURLConnection outer = mark[0];
    mark[0] = c;
    return outer;
  }

  /** Leaving it: restores the mark {@link #startReading} returned. */
  public static void stopReading(@Nullable HttpURLConnection outer) {
    READING.get()[0] = outer;
  }

  private static boolean reading(HttpURLConnection c) {
    return READING.get()[0] == c;
  }

  /** Tollgate's cleaner for dropped connections; its thread starts with the first metered connection. */
  static Cleaner cleaner() {
    return Holder.CLEANER;
  }

  private static final class Holder {
    static final Cleaner CLEANER = Cleaner.create(new ThreadFactory() {
      @Override
      public Thread newThread(Runnable r) {
        return AppThreads.daemon(r, "tollgate-url-cleaner");
      }
    });
  }

  /** HttpURLConnection does not override equals or hashCode, so the weak keys compare by identity. */
  private static Map<HttpURLConnection, Object> stripe(HttpURLConnection c) {
    return STATE[System.identityHashCode(c) & (STRIPES - 1)];
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Map<HttpURLConnection, Object>[] newStripes() {
    Map<HttpURLConnection, Object>[] stripes = new Map[STRIPES];
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new WeakHashMap<>();
    }
    return stripes;
  }
}
