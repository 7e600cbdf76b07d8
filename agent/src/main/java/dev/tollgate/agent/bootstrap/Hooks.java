package dev.tollgate.agent.bootstrap;

import org.jspecify.annotations.Nullable;

/**
 * The static entry points that advice calls. On the bootstrap class path, so every class loader
 * sees the same one; before the agent installs a {@link Dispatcher} everything passes through.
 */
public final class Hooks {
  static final String[] NO_HEADERS = new String[0];
  /** {@link Dispatcher#captureCaller} found nothing to carry. */
  public static final Object NOTHING_CAPTURED = new Object();
  /** What async calls carry from the thread that started them to the one that meters them, by call. */
  private static final java.util.Map<Object, Object> CARRIED = java.util.Collections.synchronizedMap(new java.util.WeakHashMap<>());
  private static volatile @Nullable Dispatcher dispatcher;
  private static volatile @Nullable ConnectionGuard connections;
  /** Apache HttpClient 5 async support, keyed by the application's {@code CloseableHttpAsyncClient}. */
  public static final LibraryBridges<ApacheAsyncBridge> APACHE_ASYNC = new LibraryBridges<>(ApacheAsyncBridge.UNMETERED);
  /** Spring support, keyed by the application's {@code HttpRequest}. */
  public static final LibraryBridges<SpringBridge> SPRING = new LibraryBridges<>(SpringBridge.UNMETERED);
  /** {@code java.net.http} support, keyed by the JDK's {@code HttpClient}. */
  public static final LibraryBridges<JdkHttpBridge> JDK_HTTP = new LibraryBridges<>(JdkHttpBridge.UNMETERED);
  /** AWS SDK for Java v2 support, keyed by the SDK's HTTP stage class. */
  public static final LibraryBridges<AwsBridge> AWS = new LibraryBridges<>(AwsBridge.UNMETERED);
  /** How many calls a hook above the HTTP client (an SDK's own stage) meters on this thread now. */
  private static final ThreadLocal<int[]> OUTER_CALLS = new ThreadLocal<int[]>() { // no lambda: Hooks loads before main
    @Override
    protected int[] initialValue() {
      return new int[1];
    }
  };

  /** Request bodies larger than this many bytes are estimated from their length instead of copied. */
  public static final int MAX_BODY_COPY = 8 << 20;

  private Hooks() {}

  /** Installs the agent's dispatcher; called once when metering starts. */
  public static void install(Dispatcher d) {
    dispatcher = d;
  }

  /** Installs the check of connections no hooked client opened ({@code tollgate.unmetered-traffic}). */
  public static void install(ConnectionGuard guard) {
    connections = guard;
  }

  /**
   * A socket is about to connect to {@code address} (a {@code SocketAddress}): the one place where a
   * connection the agent's hooks did not see can still be noticed. Throws only the deliberate refusal
   * of {@code tollgate.unmetered-traffic=block}; any failure of the check itself lets it connect.
   */
  public static void connecting(Object address) throws java.net.ConnectException {
    ConnectionGuard g = connections;
    if (g == null) {
      return;
    }
    String refusal;
    try {
      refusal = g.check(address);
    } catch (Throwable t) {
      failed("socket-connect", t);
      return;
    }
    if (refusal != null) {
      throw new java.net.ConnectException(refusal);
    }
  }

  /** See {@link Dispatcher#classify}; {@code null} when the agent is not metering. */
  public static @Nullable Object classify(String method, String url) {
    Dispatcher d = dispatcher;
    Object operation = d == null ? null : d.classify(method, url);
    // Metered once: by the SDK's stage above, not again by the client it sends through (Apache 5, HttpURLConnection).
    return operation != null && OUTER_CALLS.get()[0] > 0 ? null : operation;
  }

  /**
   * A hook above the HTTP client (the AWS SDK's stage) meters the call this thread is about to make
   * through a client that is hooked itself: until {@link #exitOuterCall}, {@link #classify} finds
   * nothing to meter on this thread, so the call is metered once.
   */
  public static void enterOuterCall() {
    OUTER_CALLS.get()[0]++;
  }

  /** Ends what {@link #enterOuterCall} started. */
  public static void exitOuterCall() {
    int[] depth = OUTER_CALLS.get();
    depth[0] = Math.max(0, depth[0] - 1);
  }

  /**
   * Whether a {@code method} request to {@code host} may be metered: only POSTs are, and only to a
   * host in the endpoint catalog. The fast path for a client that holds the host apart from the URL:
   * it allocates nothing, and {@link #classify} need only run when this says true.
   *
   * @param host the host as the URL spells it, without the port; null when unknown (only the method is checked)
   */
  public static boolean mayMeter(String method, @Nullable String host) {
    Dispatcher d = dispatcher;
    return d != null && "POST".equals(method) && (host == null || d.mayMeterHost(host));
  }

  /**
   * Whether a request body of this class can be written twice (once for the estimate, once to the
   * network): OkHttp's own bodies and the official SDKs' hold their bytes. A custom body may stream
   * from a source it can read once, so it is estimated from its length instead.
   */
  public static boolean isReplayableBody(String className) {
    return className.startsWith("okhttp3.") || className.startsWith("com.openai.") || className.startsWith("com.anthropic.");
  }

  /** An instrumentation failed inside its advice; reported once per site, the call goes on as it was. */
  public static void failed(String site, Throwable t) {
    Dispatcher d = dispatcher;
    if (d != null) {
      d.failed(site, t);
    }
  }

  /** The dispatcher, which {@link #classify} returning an operation proves installed. */
  private static Dispatcher installed() {
    Dispatcher d = dispatcher;
    if (d == null) {
      throw new IllegalStateException("Hooks.begin before Hooks.install");
    }
    return d;
  }

  /** See {@link Dispatcher#begin}. Only called with an operation {@link #classify} returned. */
  public static CallHandle begin(Object operation, String url, byte @Nullable [] body, long contentLength) {
    return installed().begin(operation, url, body, contentLength);
  }

  /**
   * The request headers attribution reads, each once: an advice that reads them passes their
   * values to {@link #begin(Object, String, byte[], long, String[])}. Empty (read nothing) when no
   * {@code header:} source is configured. Shared: never modify it.
   */
  public static String[] attributeHeaders() {
    Dispatcher d = dispatcher;
    return d == null ? NO_HEADERS : d.attributeHeaders();
  }

  /** See {@link Dispatcher#begin(Object, String, byte[], long, String[], Object)}; the caller's context is taken now. */
  public static CallHandle begin(Object operation, String url, byte @Nullable [] body, long contentLength,
      String @Nullable [] headerValues) {
    return installed().begin(operation, url, body, contentLength, headerValues, null);
  }

  /** See {@link Dispatcher#begin(Object, String, byte[], long, long, String[], Object)}; the caller's context is taken now. */
  public static CallHandle begin(Object operation, String url, byte @Nullable [] body, long contentLength, long maxOutputTokens,
      String @Nullable [] headerValues) {
    return installed().begin(operation, url, body, contentLength, maxOutputTokens, headerValues, null);
  }

  /** See {@link Dispatcher#begin(Object, String, byte[], long, String[], Object)}. */
  public static CallHandle begin(Object operation, String url, byte @Nullable [] body, long contentLength,
      String @Nullable [] headerValues, @Nullable Object caller) {
    return installed().begin(operation, url, body, contentLength, headerValues, caller);
  }

  /**
   * What {@link Dispatcher#captureCaller} takes on this thread, for a call that a client starts
   * here and meters later elsewhere (WebClient); null when the agent is not metering.
   */
  public static @Nullable Object captureCaller() {
    Dispatcher d = dispatcher;
    return d == null ? null : d.captureCaller();
  }

  /**
   * The application started {@code call} on this thread to run on another (OkHttp {@code enqueue}):
   * takes what its attributes need from this thread, for {@link #carried} to hand over when it is
   * metered. Call it only for a call that {@link #mayMeter} may meter.
   */
  public static void carry(Object call) {
    Dispatcher d = dispatcher;
    if (d != null) {
      CARRIED.put(call, d.captureCaller());
    }
  }

  /** What {@link #carry} took for {@code call}, or null when it was started on this thread; once. */
  public static @Nullable Object carried(Object call) {
    return CARRIED.isEmpty() ? null : CARRIED.remove(call);
  }
}
