package dev.tollgate.agent.instrument.grpc.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import io.grpc.ClientCall;
import io.grpc.Metadata;
import io.grpc.Status;
import java.io.OutputStream;

/**
 * A metered call's listener, in front of the application's: each response message is handed to the
 * tap as the gRPC body frames it (a five-byte prefix, then the message's wire bytes as the protobuf
 * runtime writes them, in chunks of at most a few KiB, never the whole message at once) before the
 * application gets the message. A raw prediction's {@code HttpBody} messages carry the provider's own
 * body (Anthropic's JSON or SSE): their {@code data} is what the tap reads, with their {@code
 * content_type}. A unary call settles with its one message, before the application
 * sees it (gax completes a unary call on its first message, before the trailers); a stream settles
 * when it closes, before the application hears of the close. grpc calls a listener from one thread at
 * a time.
 */
final class ResponseTap<RespT> extends ClientCall.Listener<RespT> {
  private static final ResponseInfo GRPC = new ResponseInfo(200, "application/grpc", null);

  private final ClientCall.Listener<RespT> app;
  private final CallHandle handle;
  private final boolean unary;
  private final boolean raw;
  private final byte[] prefix = new byte[5];
  private final OutputStream body = new OutputStream() {
    @Override
    public void write(int b) {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      handle.onBodyChunk(b, off, len);
    }
  };
  private boolean started;
  private boolean tapping;
  private boolean ended;

  ResponseTap(ClientCall.Listener<RespT> app, CallHandle handle, boolean unary, boolean raw) {
    this.app = app;
    this.handle = handle;
    this.unary = unary;
    this.raw = raw;
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

  private void tap(RespT message) {
    try {
      if (!started) {
        started = true;
        tapping = handle.onResponseStart(raw ? new ResponseInfo(200, ProtoMessages.contentType(message), null) : GRPC);
      }
      if (tapping) {
        tapping = raw ? ProtoMessages.writeData(message, body) : frame(message);
        if (unary) {
          tapping = false;
          ended = true;
          handle.onBodyEnd();
        }
      }
    } catch (Throwable t) {
      tapping = false; // the call settles at its close with what was read
      Hooks.failed("grpc-response", t);
    }
  }

  /** Feeds one message, framed; false when it is no protobuf message (its usage cannot be read). */
  private boolean frame(RespT message) throws ReflectiveOperationException {
    long size = ProtoMessages.size(message);
    if (size < 0) {
      return false;
    }
    prefix[1] = (byte) (size >>> 24);
    prefix[2] = (byte) (size >>> 16);
    prefix[3] = (byte) (size >>> 8);
    prefix[4] = (byte) size;
    handle.onBodyChunk(prefix, 0, prefix.length);
    return ProtoMessages.writeTo(message, body);
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
