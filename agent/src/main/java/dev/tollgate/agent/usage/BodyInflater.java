package dev.tollgate.agent.usage;

import java.io.IOException;
import java.util.Objects;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.jspecify.annotations.Nullable;

/**
 * Decodes a {@code gzip} or {@code deflate} body as it flows, for a client that hands the encoded
 * bytes to the application (OkHttp or Apache HttpClient when the application asked for gzip itself,
 * the JDK client always). Memory is the inflater's window and one 8 KiB output buffer, however long
 * the body. gzip members are read one after another; {@code deflate} is accepted zlib-wrapped (as
 * the RFC says) or raw (as some servers send it).
 */
final class BodyInflater {
  private static final int FTEXT_HCRC = 2;
  private static final int FEXTRA = 4;
  private static final int FNAME = 8;
  private static final int FCOMMENT = 16;
  private static final byte[] NO_INPUT = new byte[0];

  private enum State { FIXED_HEADER, EXTRA_LENGTH, SKIP, ZERO_TERMINATED, BODY, TRAILER, DONE }

  private final boolean gzip;
  private final byte[] out = new byte[8192];
  private final byte[] header = new byte[10];
  private @Nullable Inflater inflater;
  private State state;
  private int headerLength;
  private int flags;
  private int skip;
  private int members;

  private BodyInflater(boolean gzip) {
    this.gzip = gzip;
    this.state = State.FIXED_HEADER;
  }

  /** A decoder for a {@code Content-Encoding}, or null when the body is not one this class decodes. */
  static @Nullable BodyInflater forEncoding(String encoding) {
    switch (encoding) {
      case "gzip":
      case "x-gzip":
        return new BodyInflater(true);
      case "deflate":
        return new BodyInflater(false);
      default:
        return null;
    }
  }

  /** Decodes the next encoded bytes, handing what they decode to to {@code sink}. */
  void decode(byte[] b, int off, int len, ByteSink sink) throws IOException {
    int end = off + len;
    while (off < end && state != State.DONE) {
      if (state == State.BODY) {
        off = inflate(b, off, end, sink);
      } else {
        off = header(b, off, end);
        if (state == State.BODY && !gzip) {
          inflate(header, 0, 2, sink); // a deflate stream's first two bytes were read to tell zlib from raw
        }
      }
    }
  }

  /** Releases the inflater's native memory; the body is not read further. */
  void close() {
    if (inflater != null) {
      inflater.end();
    }
    state = State.DONE;
  }

  private int inflate(byte[] b, int off, int end, ByteSink sink) throws IOException {
    Inflater inf = Objects.requireNonNull(inflater, "inflater"); // set when the header was read
    inf.setInput(b, off, end - off);
    try {
      int n;
      do {
        n = inf.inflate(out);
        if (n > 0) {
          sink.accept(out, 0, n);
        }
      } while (n > 0 && !inf.finished());
    } catch (DataFormatException e) {
      throw new IOException("the " + (gzip ? "gzip" : "deflate") + " body is corrupt", e);
    }
    int rest = inf.getRemaining();
    inf.setInput(NO_INPUT); // keep no reference to the application's buffer
    if (inf.finished()) {
      inf.reset();
      state = gzip ? State.TRAILER : State.DONE;
      skip = 8; // CRC-32 and size: the inflater already checked the data
    } else if (rest > 0) {
      throw new IOException("the " + (gzip ? "gzip" : "deflate") + " body needs a preset dictionary");
    }
    return end - rest;
  }

  private int header(byte[] b, int off, int end) throws IOException {
    switch (state) {
      case FIXED_HEADER:
        return fixedHeader(b, off, end);
      case EXTRA_LENGTH:
        off = collect(b, off, end, 2);
        if (headerLength == 2) {
          skip = (header[0] & 0xff) | (header[1] & 0xff) << 8;
          state = State.SKIP;
        }
        return off;
      case ZERO_TERMINATED:
        while (off < end) {
          if (b[off++] == 0) {
            nextHeaderField();
            break;
          }
        }
        return off;
      default: // SKIP or TRAILER
        int n = Math.min(skip, end - off);
        skip -= n;
        if (skip == 0) {
          if (state == State.TRAILER) {
            state = State.FIXED_HEADER; // another member may follow
            headerLength = 0;
          } else {
            nextHeaderField();
          }
        }
        return off + n;
    }
  }

  private int fixedHeader(byte[] b, int off, int end) throws IOException {
    if (!gzip) {
      return deflateHeader(b, off, end);
    }
    off = collect(b, off, end, 10);
    if (headerLength < 10) {
      return off;
    }
    if ((header[0] & 0xff) != 0x1f || (header[1] & 0xff) != 0x8b || header[2] != 8) {
      if (members > 0) {
        state = State.DONE; // padding after the last member
        return end;
      }
      throw new IOException("the body says Content-Encoding: gzip but is not gzip");
    }
    members++;
    flags = header[3] & 0xff;
    nextHeaderField();
    return off;
  }

  /** zlib-wrapped deflate starts with a header whose two bytes are a multiple of 31; raw deflate does not. */
  private int deflateHeader(byte[] b, int off, int end) {
    off = collect(b, off, end, 2);
    if (headerLength == 2) {
      int cmf = header[0] & 0xff;
      boolean zlib = (cmf & 0x0f) == 8 && ((cmf << 8) | (header[1] & 0xff)) % 31 == 0;
      inflater = new Inflater(!zlib);
      state = State.BODY;
    }
    return off;
  }

  private int collect(byte[] b, int off, int end, int want) {
    int n = Math.min(want - headerLength, end - off);
    System.arraycopy(b, off, header, headerLength, n);
    headerLength += n;
    return off + n;
  }

  /** Moves past the header's fixed part to its optional fields, in the order RFC 1952 gives them. */
  private void nextHeaderField() {
    headerLength = 0;
    if (take(FEXTRA)) {
      state = State.EXTRA_LENGTH;
    } else if (take(FNAME) || take(FCOMMENT)) {
      state = State.ZERO_TERMINATED;
    } else if (take(FTEXT_HCRC)) {
      state = State.SKIP;
      skip = 2;
    } else {
      state = State.BODY;
      if (inflater == null) {
        inflater = new Inflater(true);
      }
    }
  }

  private boolean take(int flag) {
    boolean set = (flags & flag) != 0;
    flags &= ~flag;
    return set;
  }
}
