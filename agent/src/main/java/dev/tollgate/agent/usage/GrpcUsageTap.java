package dev.tollgate.agent.usage;

import java.io.IOException;

/**
 * A gRPC response body ({@code application/grpc}): length-prefixed protocol-buffers messages, each a
 * flag byte (0: not compressed), a four-byte big-endian length and the message, as they cross
 * HTTP/2. Each message is walked field by field as it arrives ({@link ProtoWalker}); its reader
 * keeps what a message says only once the whole message has been read, so a message cut short
 * reports nothing. A compressed message is passed over unread. The body is never complete before
 * it ends: a unary answer and a server stream both settle when the call closes.
 */
final class GrpcUsageTap extends UsageTap {
  /** The content type the gRPC support reports for a response. */
  static final String CONTENT_TYPE = "application/grpc";

  /** A reader of protocol-buffers messages: one {@link #messageStart}, fields, one {@link #messageEnd} each. */
  interface Messages extends ProtoWalker.Fields {
    void messageStart();

    /** @param whole the message was read to its end; when false nothing it said may be kept */
    void messageEnd(boolean whole);
  }

  private final Messages messages;
  private final ProtoWalker walker;
  private int headerRead;
  private boolean compressed;
  private long remaining;

  <R extends UsageReader & Messages> GrpcUsageTap(R reader) {
    super(reader);
    this.messages = reader;
    this.walker = new ProtoWalker(reader);
  }

  @Override
  void consume(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    while (off < end) {
      if (headerRead < 5) {
        header(b[off++] & 0xff);
        continue;
      }
      int n = (int) Math.min(remaining, end - off);
      if (!compressed) {
        walker.feed(b, off, n);
      }
      off += n;
      remaining -= n;
      if (remaining == 0) {
        messageEnded();
      }
    }
  }

  private void header(int x) throws IOException {
    if (headerRead == 0) {
      if (x > 1) {
        throw new IOException("not a gRPC message frame (flag " + x + ")");
      }
      compressed = x == 1;
      remaining = 0;
    } else {
      remaining = remaining << 8 | x;
    }
    if (++headerRead == 5) {
      walker.reset(remaining);
      messages.messageStart();
      if (remaining == 0) {
        messageEnded();
      }
    }
  }

  private void messageEnded() {
    messages.messageEnd(!compressed && walker.isAtEnd());
    headerRead = 0;
  }

  @Override
  void onEnd() {
    if (headerRead == 5) {
      messages.messageEnd(false); // the body ended inside a message
      headerRead = 0;
    }
  }

  @Override
  public boolean isComplete() {
    return false;
  }
}
