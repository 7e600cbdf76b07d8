package dev.tollgate.agent.bootstrap;

import java.io.IOException;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The metered calls of Vert.x core's {@code HttpClient}, by request, from the request's first write
 * to the end of its response. Vert.x hands a request, its response and their failures to different
 * methods, on its event loop; the advice in each finds the call here by the request object. Keys are
 * weak, so a request Vert.x dropped without an end or a failure does not stay. Uses only JDK types:
 * the advice compiles against Vert.x 4.5, and the few calls whose signatures differ in 5.x are made
 * here reflectively.
 */
public final class VertxCalls {
  private static final Map<Object, Call> CALLS = Collections.synchronizedMap(new WeakHashMap<>());
  /** How many calls are in {@link #CALLS}: the responses of calls that are not metered skip the lookup. */
  private static volatile int open;
  /**
   * Requests blocked at their first write. A blocked write never writes the head, so the request's
   * next write (the {@code end} after a {@code write}) is a first write again: it is refused with the
   * same block instead of being metered, blocked and recorded a second time. Weak keys, as {@link #CALLS}.
   */
  private static final Map<Object, CallHandle> BLOCKED = Collections.synchronizedMap(new WeakHashMap<>());
  /** Whether a request was ever blocked: until then a first write skips the lookup in {@link #BLOCKED}. */
  private static volatile boolean anyBlocked;

  private VertxCalls() {}

  /** One call's handle and how far its response got. Guarded by {@link #CALLS}. */
  private static final class Call {
    final CallHandle handle;
    boolean tapping;

    Call(CallHandle handle) {
      this.handle = handle;
    }
  }

  /**
   * The request's first write, before its body is read: the handle of an earlier block of this
   * request, else the operation to meter (for {@link #begin}), else null when the call is not metered.
   * A call that is not metered costs the advice no copy of its body.
   */
  public static @Nullable Object classify(Object request, String url) {
    CallHandle earlier = anyBlocked ? BLOCKED.get(request) : null;
    return earlier != null ? earlier : Hooks.classify("POST", url);
  }

  /**
   * Starts metering what {@link #classify} found. Returns the handle, blocked or not; for a request
   * already blocked, that block's handle.
   *
   * @param classified what {@link #classify} returned, not null
   * @param body the whole body when the first write ends the request, else null
   * @param contentLength the body's declared length, or -1
   */
  public static CallHandle begin(Object request, Object classified, String url, byte @Nullable [] body, long contentLength,
      String @Nullable [] headers) {
    if (classified instanceof CallHandle) {
      return (CallHandle) classified;
    }
    CallHandle handle = Hooks.begin(classified, url, body, contentLength, headers);
    if (handle.isBlocked()) {
      BLOCKED.put(request, handle);
      anyBlocked = true;
    } else {
      synchronized (CALLS) {
        CALLS.put(request, new Call(handle));
        open = CALLS.size();
      }
    }
    return handle;
  }

  /**
   * After a request's first write: a write that failed fails its call; a blocked one resets the
   * request and returns the refusal the app's write must fail with (null when it was not blocked).
   */
  public static @Nullable Throwable afterWrite(Object request, @Nullable CallHandle blocked, Object stream,
      @Nullable Throwable thrown) {
    if (blocked == null) {
      if (thrown != null) {
        failed(request, thrown);
      }
      return null;
    }
    Throwable refusal = refusal(blocked);
    try {
      block(request, stream, refusal);
    } catch (Throwable t) {
      Hooks.failed("vertx-block", t);
    }
    return refusal;
  }

  /** What the application's future fails with for a blocked call: the block's exception, in either mode. */
  public static Throwable refusal(CallHandle blocked) {
    IOException e = blocked.blockedException();
    return e != null ? e : blocked.blockedFailure(null);
  }

  /**
   * Ends a blocked request before its head was written: the request is failed with {@code cause}
   * (its {@code handleException}, which fails its futures and tells its exception handler), then
   * its stream is reset, so Vert.x gives the stream back and no byte of the request leaves. The
   * failure comes first because an HTTP/2 stream reset before it exists reports a reset of its own.
   * Both calls are reflective: {@code handleException} is package-private, and {@code
   * HttpClientStream.reset} returns {@code void} in 4.x and a {@code Future} in 5.x. Only ever made
   * for a blocked call.
   */
  public static void block(Object request, Object stream, Throwable cause) throws ReflectiveOperationException {
    try {
      Method fail = request.getClass().getDeclaredMethod("handleException", Throwable.class);
      fail.setAccessible(true); // refused where Vert.x runs as a named module: the reset alone fails the request there
      fail.invoke(request, cause);
    } catch (ReflectiveOperationException | RuntimeException e) {
      // the reset below fails the request (HTTP/1.x: with this cause)
    }
    Class<?> type = Class.forName("io.vertx.core.http.impl.HttpClientStream", false, stream.getClass().getClassLoader());
    type.getMethod("reset", Throwable.class).invoke(stream, cause);
  }

  /** Whether {@code request} is a metered call still waiting for its response (most calls: one volatile read). */
  public static boolean metered(Object request) {
    return open != 0 && CALLS.containsKey(request);
  }

  /** The response to {@code request} arrived; false when its body needs no tap (the call is settled, or not metered). */
  public static boolean responseStarted(Object request, int status, @Nullable String contentType,
      @Nullable String contentEncoding) {
    Call call = open == 0 ? null : CALLS.get(request);
    if (call == null) {
      return false;
    }
    boolean tapping = call.handle.onResponseStart(new ResponseInfo(status, contentType, contentEncoding));
    synchronized (CALLS) {
      if (tapping) {
        call.tapping = true;
      } else {
        remove(request);
      }
    }
    return tapping;
  }

  /** The handle whose response body {@code request} is receiving, or null (most calls: one volatile read). */
  public static @Nullable CallHandle tapping(Object request) {
    if (open == 0) {
      return null;
    }
    Call call = CALLS.get(request);
    return call != null && call.tapping ? call.handle : null;
  }

  /** The response body ended: the call settles. */
  public static void ended(Object request) {
    Call call = take(request);
    if (call != null && call.tapping) {
      call.handle.onBodyEnd();
    }
  }

  /** The request or its response failed (connection lost, reset, timeout): the reservation is released. */
  public static void failed(Object request, Throwable error) {
    Call call = take(request);
    if (call == null) {
      return;
    }
    if (call.tapping) {
      call.handle.onBodyError(error);
    } else {
      call.handle.onFailure(error);
    }
  }

  private static @Nullable Call take(Object request) {
    if (open == 0) {
      return null;
    }
    synchronized (CALLS) {
      return remove(request);
    }
  }

  private static @Nullable Call remove(Object request) {
    Call call = CALLS.remove(request);
    open = CALLS.size();
    return call;
  }
}
