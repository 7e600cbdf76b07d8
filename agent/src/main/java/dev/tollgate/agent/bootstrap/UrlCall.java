package dev.tollgate.agent.bootstrap;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.WeakReference;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import org.jspecify.annotations.Nullable;

/**
 * One metered {@code HttpURLConnection}, from first sight to settled. The JDK sends the request on
 * the first {@code getInputStream} (which {@code getResponseCode} and the header getters call), or,
 * in fixed-length or chunked streaming mode, as the body is written to {@code getOutputStream}. The
 * call is decided at that point:
 *
 * <ul>
 *   <li>Default mode: the JDK would buffer the body anyway, so the application writes into a buffer
 *       here, and {@code connect()} is deferred; when the request is about to leave, the buffered
 *       body is read for the estimate and, if the call is allowed, copied into the JDK's own stream.
 *   <li>Streaming mode: the body leaves as it is written, so the call is decided when
 *       {@code getOutputStream} is called, from the declared length alone (chunked: unknown).
 * </ul>
 *
 * A connection is meant to be driven by one thread at a time, as the JDK documents.
 */
public final class UrlCall {
  /** Bodies larger than this are estimated from their length instead of read. */
  private static final int PENDING = 0;
  private static final int SENT = 1;
  private static final int BLOCKED = 2;
  private static final int REFUSED = 3;

  private final Object operation;
  private final String url;
  private int state = PENDING;
  private @Nullable ByteArrayOutputStream body;
  private @Nullable CallHandle handle;
  private @Nullable BlockedUrlResponse blocked;
  private @Nullable Throwable refusal;
  // Weak: the JDK's stream under the tap is an inner class of the connection, and this call is held
  // by the connection table and by the cleaner that watches the connection; a strong reference here
  // would keep every metered connection alive for good.
  private @Nullable WeakReference<InputStream> tapped;
  private boolean responded;
  /** Watches the connection for being dropped before any response; given up once one is handed on. */
  private java.lang.ref.Cleaner.@Nullable Cleanable unanswered;

  UrlCall(Object operation, String url) {
    this.operation = operation;
    this.url = url;
  }

  /** {@code connect()}: whether to skip it. A metered call opens no connection before it may leave. */
  public synchronized boolean deferConnect() {
    return state != SENT;
  }

  /**
   * {@code getOutputStream()}: the stream to give the application instead of the JDK's, or the
   * exception to throw; null to run the JDK's method.
   *
   * @param streamingLength the fixed length in streaming mode, -1 when chunked
   */
  public synchronized @Nullable Object beforeOutput(HttpURLConnection c, boolean streaming, long streamingLength) {
    try {
      if (state == PENDING && !streaming) {
        if (!c.getDoOutput()) {
          return null; // the JDK refuses it before connecting
        }
        if (body == null) {
          body = new ByteArrayOutputStream();
        }
        return body;
      }
      if (state == PENDING) {
        decide(c, null, streamingLength);
      }
      return state == SENT ? null : state == BLOCKED ? OutputStream.nullOutputStream() : refusal;
    } catch (RuntimeException | LinkageError e) {
      Hooks.failed("url-connection-output", e);
      return null;
    }
  }

  /**
   * {@code getInputStream()}: the exception to throw or the tapped stream to return instead of
   * running the JDK's method; null to run it, and then {@link #afterInput} must follow.
   */
  public @Nullable Object beforeInput(HttpURLConnection c) {
    Object verdict;
    try {
      verdict = inputVerdict(c);
    } catch (RuntimeException | LinkageError e) {
      Hooks.failed("url-connection-input", e);
      verdict = null;
    }
    if (verdict == null) {
      UrlConnections.enter();
    }
    return verdict;
  }

  private @Nullable Object inputVerdict(HttpURLConnection c) {
    ByteArrayOutputStream written = null;
    synchronized (this) {
      if (state == PENDING) {
        written = body;
        body = null;
        int size = written == null ? 0 : written.size();
        decide(c, written == null || size > Hooks.MAX_BODY_COPY ? null : written.toByteArray(), size);
      }
    }
    if (written != null && state == SENT) {
      // Not under this object's lock: the JDK's getOutputStream takes the connection's own lock.
      try {
        written.writeTo(c.getOutputStream());
      } catch (IOException | RuntimeException e) {
        refuse(e);
        handle().onFailure(e);
        return e;
      }
    }
    synchronized (this) {
      switch (state) {
        case SENT:
          return tapped == null ? null : tapped.get();
        case BLOCKED:
          return new IOException("Server returned HTTP response code: 402 for URL: " + url);
        default:
          return refusal;
      }
    }
  }

  /**
   * After the JDK's {@code getInputStream}: taps the response the first time the outermost call
   * returns it (the JDK calls itself several times on the way). Returns the stream to hand on.
   *
   * @param code the connection's {@code responseCode} field, -1 when no response was read
   */
  public @Nullable InputStream afterInput(HttpURLConnection c, @Nullable InputStream stream, @Nullable Throwable thrown, int code) {
    if (UrlConnections.exit() > 0) {
      return stream;
    }
    synchronized (this) {
      if (responded || state != SENT) {
        return stream;
      }
      responded = true; // before getContentType, which calls getInputStream again
    }
    giveUpWatch();
    try {
      if (thrown != null) {
        // The JDK throws for 4xx and 5xx, after reading the status: an error response, not a failure.
        if (code > 0) {
          handle().onResponse(new ResponseInfo(code, null, null), null);
        } else {
          handle().onFailure(thrown);
        }
        return stream;
      }
      InputStream t = handle().onResponse(new ResponseInfo(code, c.getContentType(), c.getContentEncoding(), bodyLength(c)),
          stream); // the JDK never decodes gzip for the app
      if (t == null) {
        return stream;
      }
      synchronized (this) {
        tapped = new WeakReference<>(t);
      }
      return t;
    } catch (RuntimeException | LinkageError e) {
      Hooks.failed("url-connection-response", e);
      return stream;
    }
  }

  /** {@code getErrorStream()} and the header getters: the synthetic 402 of a blocked call, else null. */
  public synchronized @Nullable BlockedUrlResponse blocked() {
    return blocked;
  }

  /** After {@code disconnect()}: settles a response the application never read, or a request never answered. */
  public void afterDisconnect() {
    InputStream t;
    synchronized (this) {
      t = tapped == null ? null : tapped.get();
      if (t == null && (tapped != null || !claimUnanswered())) {
        return;
      }
    }
    if (t == null) {
      handle().onFailure(null);
      return;
    }
    try {
      t.close(); // the JDK closed the stream under it; this settles the call with what was read
    } catch (IOException e) {
      // already closed by the JDK: the call is settled either way
    }
  }

  /**
   * A response was handed on: the watch for a dropped connection is given up (its cleanup runs here
   * and finds the call answered), so an answered call leaves the cleaner's thread nothing to do.
   */
  private void giveUpWatch() {
    java.lang.ref.Cleaner.Cleanable watch;
    synchronized (this) {
      watch = unanswered;
      unanswered = null;
    }
    if (watch != null) {
      watch.clean();
    }
  }

  /** The connection became unreachable before any response: release the reservation. */
  void abandoned() {
    synchronized (this) {
      if (!claimUnanswered()) {
        return;
      }
    }
    handle().onFailure(null);
  }

  /** Whether the request left and no response was handed to the call; claims the settling if so. */
  private boolean claimUnanswered() {
    if (state != SENT || responded) {
      return false;
    }
    responded = true;
    return true;
  }

  /** The call's handle: {@link #decide} set it before the state left PENDING. */
  private CallHandle handle() {
    return java.util.Objects.requireNonNull(handle, "handle");
  }

  private void decide(HttpURLConnection c, byte @Nullable [] bytes, long length) {
    CallHandle h = Hooks.begin(operation, url, bytes, length, headers(c));
    handle = h;
    IOException refused = h.blockedException();
    if (!h.isBlocked()) {
      state = SENT;
      java.lang.ref.Cleaner.Cleanable watch = UrlConnections.cleaner().register(c, new Abandoned(this));
      synchronized (this) {
        unanswered = watch;
      }
    } else if (refused != null) {
      refuse(refused);
    } else {
      state = BLOCKED;
      blocked = new BlockedUrlResponse(h.requireBlockedBody());
    }
  }

  private synchronized void refuse(Throwable t) {
    state = REFUSED;
    refusal = t;
  }

  /** Settles a call whose connection was dropped before a response; runs on Tollgate's cleaner thread. */
  /** The request headers attribution reads; the connection is not connected yet, so it still answers. */
  private static String @Nullable [] headers(HttpURLConnection c) {
    String[] names = Hooks.attributeHeaders();
    String[] values = names.length == 0 ? null : new String[names.length];
    for (int i = 0; values != null && i < names.length; i++) {
      try {
        values[i] = c.getRequestProperty(names[i]);
      } catch (IllegalStateException e) {
        return values; // connected after all: the headers are no longer readable
      }
    }
    return values;
  }

  private static final class Abandoned implements Runnable {
    private final UrlCall call;

    Abandoned(UrlCall call) {
      this.call = call;
    }

    @Override
    public void run() {
      call.abandoned();
    }
  }

  /**
   * The length of the body the JDK hands the application, or -1: a chunked answer is read chunk by
   * chunk whatever {@code Content-Length} it also carries (invalid, but proxies leave one).
   */
  private static long bodyLength(HttpURLConnection c) {
    return c.getHeaderField("Transfer-Encoding") != null ? -1 : c.getContentLengthLong();
  }
}
