package dev.tollgate.agent.instrument.grpc.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.InputStream;
import java.io.OutputStream;
import org.jspecify.annotations.Nullable;

/**
 * A metered call's listener, in front of the application's: each response message reaches the tap as
 * the gRPC body frames it, a five-byte prefix and then the message's wire bytes, before the
 * application gets the message. A unary call settles with its one message, before the application
 * sees it (gax completes a unary call on its first message, before the trailers); a stream settles
 * when it closes, before the application hears of the close. grpc calls a listener, and parses a
 * call's messages, from one thread at a time.
 *
 * <p>Teed (the call's response marshaller is a {@link ResponseTee}): the bytes are the ones grpc
 * parses, fed as its protobuf marshaller reads them, so nothing is serialized for the tap; a message
 * that reaches the marshaller as no wire bytes is written out ({@link #write}) as it is parsed, in
 * order. Not teed (another marshaller), each message is written out by its own protobuf runtime as
 * it is handed to the application. A raw prediction's {@code HttpBody} messages carry the provider's own
 * body (Anthropic's JSON or SSE): their {@code data} is what the tap reads, with their {@code
 * content_type}, as each is handed over.
 */
final class ResponseTap<RespT> extends ClientCall.Listener<RespT> {
  private static final ResponseInfo GRPC = new ResponseInfo(200, "application/grpc", null);

  private final ClientCall.Listener<RespT> app;
  private final CallHandle handle;
  private final boolean unary;
  private final boolean raw;
  private boolean teed;
  private boolean parsed;
  private final byte[] prefix = new byte[5];
  private @Nullable OutputStream body;
  private boolean started;
  private boolean tapping;
  private boolean ended;

  /** @param teed the call's {@link ResponseTee} feeds this tap as grpc parses each message */
  ResponseTap(ClientCall.Listener<RespT> app, CallHandle handle, boolean unary, boolean raw, boolean teed) {
    this.app = app;
    this.handle = handle;
    this.unary = unary;
    this.raw = raw;
    this.teed = teed;
  }

  @Override
  public void onHeaders(Metadata headers) {
    app.onHeaders(headers);
  }

  @Override
  public void onMessage(RespT message) {
    tap(message);
    app.onMessage(message);
  }

  @Override
  public void onClose(Status status, Metadata trailers) {
    close(status);
    app.onClose(status, trailers);
  }

  @Override
  public void onReady() {
    app.onReady();
  }

  /**
   * Before the tee parses a message: starts the tap at the first; whether it reads on (false: the
   * message is parsed as without it).
   */
  boolean parsing() {
    parsed = true;
    if (!teed) {
      return false; // its messages are written out as they are handed over
    }
    try {
      return start(null);
    } catch (Throwable t) {
      failed(t);
      return false;
    }
  }

  /** The prefix of a message of {@code stream}'s {@code available()} bytes (it is {@code KnownLength}); whether the tap reads on. */
  boolean prefix(InputStream stream) {
    try {
      feedPrefix(stream.available());
    } catch (Throwable t) {
      failed(t);
    }
    return tapping;
  }

  boolean tapping() {
    return tapping;
  }

  /** The next bytes of the message being parsed, as the marshaller read them. */
  void feed(byte[] b, int off, int len) {
    if (tapping) {
      try {
        handle.onBodyChunk(b, off, len);
      } catch (Throwable t) {
        failed(t);
      }
    }
  }

  /** A message that was parsed from no wire bytes, written out by its protobuf runtime. */
  void write(RespT message) {
    try {
      tapping = frame(message);
    } catch (Throwable t) {
      failed(t);
    }
  }

  /** Starts the tap at the first message ({@code message}, a raw prediction's, names the content type); whether it reads on. */
  private boolean start(@Nullable RespT message) throws ReflectiveOperationException {
    if (!started) {
      started = true;
      tapping = handle.onResponseStart(raw && message != null ? new ResponseInfo(200, ProtoMessages.contentType(message), null) : GRPC);
    }
    return tapping;
  }

  /**
   * Handed to the application: fed unless teed, and a unary call settled with it. A message that
   * reaches the listener of a teed call before the tee parsed any was parsed by another marshaller
   * (something under the channel created the call with a descriptor of its own): every message is
   * then written out, as when not teed.
   */
  private void tap(RespT message) {
    if (teed && !parsed) {
      teed = false;
    }
    try {
      if (teed ? tapping : start(message)) {
        if (!teed) {
          tapping = raw ? ProtoMessages.writeData(message, body()) : frame(message);
        }
        if (unary) {
          tapping = false;
          ended = true;
          handle.onBodyEnd();
        }
      }
    } catch (Throwable t) {
      failed(t);
    }
  }

  /** Feeds one message, framed; false when it is no protobuf message (its usage cannot be read). */
  private boolean frame(RespT message) throws ReflectiveOperationException {
    long size = ProtoMessages.size(message);
    if (size < 0) {
      return false;
    }
    feedPrefix(size);
    return ProtoMessages.writeTo(message, body());
  }

  /** An uncompressed message's five bytes before its {@code size} bytes. */
  private void feedPrefix(long size) {
    prefix[1] = (byte) (size >>> 24);
    prefix[2] = (byte) (size >>> 16);
    prefix[3] = (byte) (size >>> 8);
    prefix[4] = (byte) size;
    handle.onBodyChunk(prefix, 0, prefix.length);
  }

  private OutputStream body() {
    OutputStream b = body;
    if (b == null) {
      b = new OutputStream() {
        @Override
        public void write(int b) {
          write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          handle.onBodyChunk(b, off, len);
        }
      };
      body = b;
    }
    return b;
  }

  /** The tap stops: the call settles at its close with what was read. */
  void failed(Throwable t) {
    tapping = false;
    Hooks.failed("grpc-response", t);
  }

  private void close(Status status) {
    try {
      if (ended) {
        return; // a unary call, settled with its answer
      }
      if (status.isOk()) {
        if (started || handle.onResponseStart(GRPC)) {
          handle.onBodyEnd();
        }
      } else if (!started) {
        handle.onFailure(status.asRuntimeException()); // no answer: it costs nothing
      } else {
        handle.onBodyError(status.asRuntimeException()); // a stream cut short: what it reported so far
      }
    } catch (Throwable t) {
      Hooks.failed("grpc-close", t);
    }
  }
}
