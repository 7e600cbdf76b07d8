package dev.tollgate.agent.bootstrap;

import org.jspecify.annotations.Nullable;

/** The agent's side of {@link Hooks}; installed once when metering starts. */
public abstract class Dispatcher {

  /**
   * Whether {@code method url} is a metered model operation; returns an opaque operation, or
   * {@code null} for everything else. This is the fast path for every call the app makes: it must
   * not allocate.
   */
  public abstract @Nullable Object classify(String method, String url);

  /**
   * Whether a URL on {@code host} (without its port) may be metered: false rules the call out before
   * a client builds the URL's string for {@link #classify}. Must not allocate. This default rules
   * nothing out.
   */
  public boolean mayMeterHost(String host) {
    return true;
  }

  /**
   * Starts metering a classified call: estimates, reserves, and decides whether it may leave.
   *
   * @param body the request body if the client could copy it cheaply, else null
   * @param contentLength the body's length, or -1 if unknown
   */
  public abstract CallHandle begin(Object operation, String url, byte @Nullable [] body, long contentLength);

  /** The request headers attribution reads ({@code header:} sources), each once; empty when none. */
  public String[] attributeHeaders() {
    return Hooks.NO_HEADERS;
  }

  /**
   * Takes, on the thread that starts a call to be metered later on another thread (OkHttp {@code
   * enqueue}), what the call's attributes need from that thread: open scopes, MDC, baggage. Never null.
   */
  public Object captureCaller() {
    return Hooks.NOTHING_CAPTURED;
  }

  /**
   * As {@link #begin(Object, String, byte[], long)}, with the call's attribution inputs.
   *
   * @param headerValues the values of {@link #attributeHeaders()}, same index (null where absent); null when not read
   * @param caller what {@link #captureCaller()} took where the call was started; null to take it now, on this thread
   */
  public CallHandle begin(Object operation, String url, byte @Nullable [] body, long contentLength,
      String @Nullable [] headerValues, @Nullable Object caller) {
    return begin(operation, url, body, contentLength);
  }

  /**
   * As {@link #begin(Object, String, byte[], long, String[], Object)}, for a request whose body does
   * not say its own bound on output tokens where the format reads it (gRPC's protobuf, estimated from
   * its length): {@code maxOutputTokens} is that bound, -1 when the request sets none (the catalog's
   * maximum is reserved for). A bound the body does say wins. This default ignores it.
   */
  public CallHandle begin(Object operation, String url, byte @Nullable [] body, long contentLength, long maxOutputTokens,
      String @Nullable [] headerValues, @Nullable Object caller) {
    return begin(operation, url, body, contentLength, headerValues, caller);
  }

  /** An advice failed at {@code site}: log once; the call continues unmetered. */
  public abstract void failed(String site, Throwable t);
}
