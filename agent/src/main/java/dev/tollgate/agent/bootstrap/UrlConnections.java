package dev.tollgate.agent.bootstrap;

import java.net.HttpURLConnection;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Which {@code HttpURLConnection}s are metered, and their calls. The JDK's connection has no field
 * to hold Tollgate's state (retransformed classes cannot gain one), so each connection is a weak key
 * in a small striped map: a connection the application drops takes its entry with it.
 *
 * <p>A connection is classified once, on its first {@code connect}, {@code getOutputStream} or
 * {@code getInputStream}. That costs one {@code URL.toString()} (an allocation) and one map entry,
 * also for connections that are not metered; later hooks on the same connection are one lookup.
 */
public final class UrlConnections {
  private static final Object NOT_METERED = new Object();
  private static final int STRIPES = 16;
  private static final Map<HttpURLConnection, Object>[] STATE = newStripes();
  /** How deep this thread is in metered {@code getInputStream} calls: the JDK calls it from inside itself. */
  private static final ThreadLocal<int[]> DEPTH = new ThreadLocal<int[]>() {
    @Override
    protected int[] initialValue() {
      return new int[1];
    }
  };

  private UrlConnections() {}

  /** The connection's metered call, classifying the connection on first sight; null when it is not metered. */
  public static /* @Nullable */ UrlCall call(HttpURLConnection c) {
    Object state = lookup(c);
    if (state == null) {
      state = classify(c);
      Map<HttpURLConnection, Object> stripe = stripe(c);
      synchronized (stripe) {
        Object earlier = stripe.putIfAbsent(c, state);
        state = earlier != null ? earlier : state;
      }
    }
    return state == NOT_METERED ? null : (UrlCall) state;
  }

  /** The connection's metered call if it has one; never classifies. */
  public static /* @Nullable */ UrlCall find(HttpURLConnection c) {
    Object state = lookup(c);
    return state == null || state == NOT_METERED ? null : (UrlCall) state;
  }

  /** The synthetic 402 of a blocked call; null for every other connection. */
  public static /* @Nullable */ BlockedUrlResponse blocked(HttpURLConnection c) {
    UrlCall call = find(c);
    return call == null ? null : call.blocked();
  }

  private static Object lookup(HttpURLConnection c) {
    Map<HttpURLConnection, Object> stripe = stripe(c);
    synchronized (stripe) {
      return stripe.get(c);
    }
  }

  /** {@code getOutputStream} turns a GET with {@code doOutput} into a POST, so the call is classified as one. */
  private static Object classify(HttpURLConnection c) {
    try {
      String method = c.getRequestMethod();
      if ("GET".equals(method) && c.getDoOutput()) {
        method = "POST";
      }
      String url = c.getURL().toString();
      Object operation = Hooks.classify(method, url);
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
