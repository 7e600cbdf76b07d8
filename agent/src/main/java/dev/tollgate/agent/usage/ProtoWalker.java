package dev.tollgate.agent.usage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Walks one protocol-buffers message in wire format as its bytes arrive, in chunks of any size, with
 * no schema and no buffering of the message: each field's number and wire type are read, varints are
 * handed to {@link Fields}, and a length-delimited field is descended into, kept as a short string or
 * skipped, as {@link Fields#lengthDelimited} says. Memory is constant (at most {@link #MAX_DEPTH}
 * levels and {@link #MAX_STRING} bytes of string); skipped bytes are passed over in bulk. Malformed
 * input (a varint of more than ten bytes, a field that runs past what encloses it, field number 0,
 * groups or the reserved wire types 6 and 7) throws an {@link IOException}, which fails the tap.
 */
final class ProtoWalker {
  /** What the walker reports, with the path of the enclosing fields ({@code path[0..depth)}; depth 0 is the root). */
  interface Fields {
    /** A length-delimited field begins: {@link #SKIP}, {@link #DESCEND} into it as a message, or read it as a {@link #STRING}. */
    int lengthDelimited(int[] path, int depth, int field);

    /** A varint field (int32, int64, enum, bool: the raw 64-bit value). */
    void varint(int[] path, int depth, int field, long value);

    /** A length-delimited field read as a {@link #STRING}, when it is at most {@link #MAX_STRING} bytes. */
    void string(int[] path, int depth, int field, String value);
  }

  static final int SKIP = 0;
  static final int DESCEND = 1;
  static final int STRING = 2;
  static final int MAX_DEPTH = 8;
  static final int MAX_STRING = 256;

  private static final int TAG = 0;
  private static final int VARINT = 1;
  private static final int LENGTH = 2;
  private static final int SKIPPING = 3;
  private static final int READING_STRING = 4;

  private final Fields fields;
  private final int[] path = new int[MAX_DEPTH];
  /** Where each open message ends, as an offset from the start of the root message. */
  private final long[] ends = new long[MAX_DEPTH + 1];
  private final byte[] string = new byte[MAX_STRING];
  private int depth;
  private long pos;
  private int state;
  private long value;
  private int shift;
  private int field;
  private long remaining;
  private long stringLength;

  ProtoWalker(Fields fields) {
    this.fields = fields;
  }

  /** Starts a new root message of {@code length} bytes. */
  void reset(long length) {
    depth = 0;
    pos = 0;
    ends[0] = length;
    state = TAG;
    value = 0;
    shift = 0;
  }

  /** Whether the root message has been read whole: every field ended exactly where its message does. */
  boolean isAtEnd() {
    return state == TAG && depth == 0 && pos == ends[0];
  }

  /** Walks the next {@code len} bytes of the root message. */
  void feed(byte[] b, int off, int len) throws IOException {
    int end = off + len;
    while (off < end) {
      if (state == SKIPPING || state == READING_STRING) {
        int n = (int) Math.min(remaining, end - off);
        if (state == READING_STRING && stringLength <= MAX_STRING) {
          System.arraycopy(b, off, string, (int) (stringLength - remaining), n);
        }
        off += n;
        advance(n);
        remaining -= n;
        if (remaining == 0) {
          fieldEnded();
        }
        continue;
      }
      byte x = b[off++];
      advance(1);
      value |= (long) (x & 0x7f) << shift;
      shift += 7;
      if (x < 0) {
        if (shift >= 70) {
          throw new IOException("protobuf varint longer than ten bytes");
        }
        continue;
      }
      long v = value;
      value = 0;
      shift = 0;
      onVarint(v);
    }
  }

  private void advance(int n) throws IOException {
    pos += n;
    if (pos > ends[depth]) {
      throw new IOException("protobuf field runs past the end of its message");
    }
  }

  private void onVarint(long v) throws IOException {
    if (state == VARINT) {
      fields.varint(path, depth, field, v);
      fieldEnded();
    } else if (state == LENGTH) {
      onLength(v);
    } else {
      onTag(v);
    }
  }

  private void onTag(long tag) throws IOException {
    field = (int) (tag >>> 3);
    if (field <= 0 || tag >>> 3 > 0x1fffffffL) {
      throw new IOException("protobuf field number out of range");
    }
    switch ((int) (tag & 7)) {
      case 0:
        state = VARINT;
        break;
      case 1:
        skip(8);
        break;
      case 2:
        state = LENGTH;
        break;
      case 5:
        skip(4);
        break;
      default:
        throw new IOException("protobuf wire type " + (tag & 7) + " is not read");
    }
  }

  private void onLength(long length) throws IOException {
    if (length < 0 || length > ends[depth] - pos) {
      throw new IOException("protobuf field runs past the end of its message");
    }
    int action = fields.lengthDelimited(path, depth, field);
    if (action == DESCEND && depth < MAX_DEPTH) {
      path[depth] = field;
      depth++;
      ends[depth] = pos + length;
      state = TAG;
      closeEnded();
    } else if (action == STRING) {
      stringLength = length;
      remaining = length;
      state = READING_STRING;
      if (length == 0) {
        fieldEnded();
      }
    } else {
      skip(length);
    }
  }

  private void skip(long length) {
    remaining = length;
    state = SKIPPING;
    if (length == 0) {
      state = TAG;
      closeEnded();
    }
  }

  private void fieldEnded() {
    if (state == READING_STRING && stringLength <= MAX_STRING) {
      fields.string(path, depth, field, new String(string, 0, (int) stringLength, StandardCharsets.UTF_8));
    }
    state = TAG;
    closeEnded();
  }

  /** Leaves every nested message that ends here. */
  private void closeEnded() {
    while (depth > 0 && pos == ends[depth]) {
      depth--;
    }
  }
}
