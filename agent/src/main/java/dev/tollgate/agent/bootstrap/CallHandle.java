package dev.tollgate.agent.bootstrap;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * One metered call, as the advice inlined into an HTTP client sees it. Lives on the bootstrap class
 * path and uses only JDK types, so advice in any class loader can call it.
 *
 * <p>Implementations never throw: a failure inside metering is contained and logged once, and the
 * call goes on unmetered.
 */
public abstract class CallHandle {
  private byte[] scratch; // chunks of one body arrive one after another, never concurrently

  /** {@code true} when the call must not leave: the advice skips the client's send. */
  public abstract boolean isBlocked();

  /** For a blocked call in {@code response} mode: the JSON body of the synthetic 402; else null. */
  public abstract /* @Nullable */ String blockedBody();

  /** For a blocked call in {@code exception} mode: the exception to throw; else null. */
  public abstract /* @Nullable */ IOException blockedException();

  /** The block as an exception, for a client whose synthetic 402 could not be built. */
  public final IOException blockedFailure(Throwable cause) {
    return new IOException("Tollgate blocked this call: " + blockedBody(), cause);
  }

  /**
   * The client received a response. Returns a stream that taps {@code body} for usage as the
   * application reads it, or {@code null} when the body needs no tap (error status, no body).
   */
  public abstract /* @Nullable */ InputStream onResponse(
      int status, /* @Nullable */ String contentType, /* @Nullable */ InputStream body);

  /**
   * As {@link #onResponse(int, String, InputStream)}, for a body the client hands to the application
   * still encoded as {@code contentEncoding} (the response's {@code Content-Encoding}; null when the
   * client decoded it or it was never encoded). The tap decodes {@code gzip} and {@code deflate}
   * itself; the application's bytes are untouched. The default ignores the encoding.
   */
  public /* @Nullable */ InputStream onResponse(
      int status, /* @Nullable */ String contentType, /* @Nullable */ String contentEncoding, /* @Nullable */ InputStream body) {
    return onResponse(status, contentType, body);
  }

  /**
   * The response's headers count its tokens (Bedrock's {@code X-Amzn-Bedrock-Input-Token-Count} and
   * {@code -Output-Token-Count}): used when the body reports no usage. Call it before the body is
   * read; -1 for a count the headers do not give. The default ignores them.
   */
  public void onUsageHeaders(long inputTokens, long outputTokens) {}

  /** The call failed before a response arrived: releases the reservation and records the error. */
  public abstract void onFailure(Throwable error);

  /**
   * For clients that push the body (the JDK HttpClient): the response arrived. Returns whether its
   * body should be fed to {@link #onBodyChunk}; when false the call is already settled.
   */
  public abstract boolean onResponseStart(int status, /* @Nullable */ String contentType);

  /** As {@link #onResponseStart(int, String)}, for a body still encoded as {@code contentEncoding}. */
  public boolean onResponseStart(int status, /* @Nullable */ String contentType, /* @Nullable */ String contentEncoding) {
    return onResponseStart(status, contentType);
  }

  /** The next bytes of a pushed body, before the application gets them. */
  public abstract void onBodyChunk(byte[] b, int off, int len);

  /**
   * The next bytes of a pushed body, as the buffer's remaining bytes; its position is left where it
   * was, for the application to read them.
   */
  public final void onBodyChunk(ByteBuffer b) {
    int n = b.remaining();
    if (b.hasArray()) {
      onBodyChunk(b.array(), b.arrayOffset() + b.position(), n);
      return;
    }
    if (scratch == null || scratch.length < n) {
      scratch = new byte[Math.max(n, 8192)];
    }
    b.duplicate().get(scratch, 0, n);
    onBodyChunk(scratch, 0, n);
  }

  /**
   * For clients that push the body into a stream the application pulls from at its own pace (the
   * JDK client's {@code BodyHandlers.ofInputStream()}): {@code body} is that stream. The client
   * keeps it reachable until the body ends, and stops pushing when nobody reads, so a stream
   * dropped unread and unclosed would hold the call open forever. Returns the stream to hand the
   * application instead: the same bytes, and once the application has dropped it, the call
   * settles when the garbage collector finds it. The default returns {@code body}.
   */
  public InputStream onPulledBody(InputStream body) {
    return body;
  }

  /** The pushed body ended. */
  public abstract void onBodyEnd();

  /** The pushed body failed or was cancelled. */
  public abstract void onBodyError(Throwable t);
}
