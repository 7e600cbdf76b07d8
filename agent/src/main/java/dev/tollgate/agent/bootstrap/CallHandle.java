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

  /** {@link #exit}: nothing left to do; a failure is already reported. */
  public static final int DONE = 0;
  /** {@link #exit}: the call was blocked in {@code exception} mode: throw {@link #blockedException()}. */
  public static final int THROW_BLOCKED = 1;
  /** {@link #exit}: the call was blocked in {@code response} mode: answer the client's own 402 with {@link #blockedBody()}. */
  public static final int ANSWER_BLOCKED = 2;
  /** {@link #exit}: a response arrived: wrap its body with {@link #onResponse}. */
  public static final int TAP = 3;

  /**
   * The exit decision every client that returns its response shares, made here once: what the
   * advice's exit does with the method's outcome. A failure ({@code thrown}, or no response) is
   * reported to the call here. The advice only throws {@link #blockedException()} ({@link
   * #THROW_BLOCKED}), builds its client's synthetic 402 ({@link #ANSWER_BLOCKED}) and wraps its
   * client's body ({@link #TAP}); where that throws, it throws what {@link #exitFailed} returns.
   *
   * @param blocked what the advice's enter returned: the client's method was skipped
   */
  public final int exit(boolean blocked, /* @Nullable */ Throwable thrown, /* @Nullable */ Object response) {
    if (blocked) {
      return blockedException() != null ? THROW_BLOCKED : ANSWER_BLOCKED;
    }
    if (thrown != null || response == null) {
      onFailure(thrown);
      return DONE;
    }
    return TAP;
  }

  /**
   * Building the 402 or wrapping the body ({@code step}, what {@link #exit} returned) failed with
   * {@code t}. Returns what the advice throws: for a block, the block as an exception; for a tap,
   * nothing (the failure is reported once as {@code site}, and the response stays the client's).
   */
  public final /* @Nullable */ Throwable exitFailed(int step, String site, Throwable t) {
    if (step == ANSWER_BLOCKED) {
      return blockedFailure(t);
    }
    Hooks.failed(site, t);
    return null;
  }

  /**
   * The client received a response. Returns a stream that taps {@code body} for usage as the
   * application reads it, or {@code null} when the body needs no tap (error status, no body).
   */
  public abstract /* @Nullable */ InputStream onResponse(ResponseInfo response, /* @Nullable */ InputStream body);

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
  public abstract boolean onResponseStart(ResponseInfo response);

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
