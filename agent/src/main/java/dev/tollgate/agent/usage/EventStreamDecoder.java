package dev.tollgate.agent.usage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32;

/**
 * The AWS event-stream framing ({@code application/vnd.amazon.eventstream}), decoded as the bytes
 * flow, whatever their chunking. A message is a 12-byte prelude (total length, headers length, the
 * prelude's CRC32), headers, a payload and the whole message's CRC32; both CRCs are checked, and a
 * mismatch (or a length no message can have) fails the stream. A message is held only up to
 * {@link #MAX_HELD} bytes; a longer one is checked as it passes and handed on without its payload.
 */
final class EventStreamDecoder {
  /** The longest message whose headers and payload are kept: usage events are a few hundred bytes. */
  static final int MAX_HELD = 1 << 20;
  /** The spec's bound on a message. */
  private static final long MAX_MESSAGE = 16L << 20;
  private static final int PRELUDE = 12;
  private static final int CRC = 4;

  /** Receives each whole, checked message. */
  interface Listener {
    /**
     * @param messageType the {@code :message-type} header ({@code event}, {@code exception}, {@code error}), or null
     * @param eventType the {@code :event-type} (or {@code :exception-type}) header, or null
     * @param payload the payload, or null when the message was longer than {@link #MAX_HELD}
     * @return whether to go on: false ends the decoding, whatever bytes follow
     */
    boolean onMessage(/* @Nullable */ String messageType, /* @Nullable */ String eventType, byte[] payload, int off, int len)
        throws IOException;
  }

  private final Listener listener;
  private final CRC32 crc = new CRC32();
  private final byte[] prelude = new byte[PRELUDE];
  private final byte[] trailer = new byte[CRC];
  private byte[] held = new byte[256];
  private int have; // bytes of the current part (prelude, body or trailer) read so far
  private int part; // 0 prelude, 1 body, 2 trailer
  private int bodyLength;
  private int headersLength;
  private boolean holding;
  private boolean stopped;

  EventStreamDecoder(Listener listener) {
    this.listener = listener;
  }

  /** Whether the bytes fed so far end between two messages. */
  boolean atBoundary() {
    return part == 0 && have == 0;
  }

  void feed(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    while (off < end && !stopped) {
      if (part == 0) {
        off = fill(prelude, b, off, end, PRELUDE);
        if (have == PRELUDE) {
          startBody();
        }
      } else if (part == 1) {
        int n = Math.min(end - off, bodyLength - have);
        crc.update(b, off, n);
        if (holding) {
          System.arraycopy(b, off, held, have, n);
        }
        have += n;
        off += n;
        if (have == bodyLength) {
          part = 2;
          have = 0;
        }
      } else {
        off = fill(trailer, b, off, end, CRC);
        if (have == CRC) {
          endMessage();
        }
      }
    }
  }

  private int fill(byte[] into, byte[] b, int off, int end, int size) {
    int n = Math.min(end - off, size - have);
    System.arraycopy(b, off, into, have, n);
    have += n;
    return off + n;
  }

  private void startBody() throws IOException {
    long total = uint32(prelude, 0);
    headersLength = (int) Math.min(uint32(prelude, 4), Integer.MAX_VALUE);
    crc.reset();
    crc.update(prelude, 0, 8);
    if (crc.getValue() != uint32(prelude, 8)) {
      throw new IOException("event stream: prelude CRC mismatch");
    }
    if (total < PRELUDE + CRC || total > MAX_MESSAGE || headersLength > total - PRELUDE - CRC) {
      throw new IOException("event stream: invalid message length " + total);
    }
    crc.update(prelude, 8, 4);
    bodyLength = (int) total - PRELUDE - CRC;
    holding = bodyLength <= MAX_HELD;
    if (holding && held.length < bodyLength) {
      held = new byte[Math.max(bodyLength, held.length * 2)];
    }
    have = 0;
    part = bodyLength == 0 ? 2 : 1;
  }

  private void endMessage() throws IOException {
    if (crc.getValue() != uint32(trailer, 0)) {
      throw new IOException("event stream: message CRC mismatch");
    }
    part = 0;
    have = 0;
    if (!holding) {
      stopped = !listener.onMessage(null, null, held, 0, 0);
      return;
    }
    String messageType = null;
    String eventType = null;
    int i = 0;
    while (i < headersLength) {
      int nameLength = held[i] & 0xff;
      String name = new String(held, i + 1, nameLength, StandardCharsets.UTF_8);
      i += 1 + nameLength;
      int type = held[i++];
      if (type == 7) { // string
        int n = ((held[i] & 0xff) << 8) | (held[i + 1] & 0xff);
        String value = new String(held, i + 2, n, StandardCharsets.UTF_8);
        if (name.equals(":message-type")) {
          messageType = value;
        } else if (name.equals(":event-type") || name.equals(":exception-type")) {
          eventType = value;
        }
        i += 2 + n;
      } else {
        i += valueLength(type, held, i);
      }
    }
    if (i != headersLength) {
      throw new IOException("event stream: headers overrun their length");
    }
    stopped = !listener.onMessage(messageType, eventType, held, headersLength, bodyLength - headersLength);
  }

  /** The bytes a header value of {@code type} (other than a string) takes at {@code i}. */
  private static int valueLength(int type, byte[] b, int i) throws IOException {
    switch (type) {
      case 0: // true
      case 1: // false
        return 0;
      case 2: // byte
        return 1;
      case 3: // short
        return 2;
      case 4: // int
        return 4;
      case 5: // long
      case 8: // timestamp
        return 8;
      case 6: // bytes
        return 2 + (((b[i] & 0xff) << 8) | (b[i + 1] & 0xff));
      case 9: // uuid
        return 16;
      default:
        throw new IOException("event stream: unknown header type " + type);
    }
  }

  private static long uint32(byte[] b, int i) {
    return ((b[i] & 0xffL) << 24) | ((b[i + 1] & 0xffL) << 16) | ((b[i + 2] & 0xffL) << 8) | (b[i + 3] & 0xffL);
  }
}
