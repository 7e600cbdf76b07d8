package dev.tollgate.agent.usage;

import java.io.IOException;

/**
 * Cuts every JSON string down to its first {@value #KEEP} bytes, and every number to its first
 * {@value #KEEP_DIGITS}, before the parser sees it, so a response whose text runs to hundreds of
 * megabytes costs the parser no more memory than a short one: Jackson buffers each string and
 * number whole, and the usage fields never need long ones.
 * Cuts fall on a character boundary outside any escape sequence, so what passes stays valid JSON
 * in valid UTF-8. The kept bytes are handed on as runs of the caller's own array; nothing is copied.
 */
final class StringClipper {
  static final int KEEP = 1024;
  /** Digits kept of a number: Jackson buffers a number whole too, and no usage count has more. */
  static final int KEEP_DIGITS = 64;
  private static final long QUOTES = ByteScan.pattern('"');
  private static final long BACKSLASHES = ByteScan.pattern('\\');

  private boolean inString;
  private boolean clipping;
  private boolean escaped;
  private int hexLeft;
  private int kept;
  /** Outside strings: the length of the run of number bytes that ends here. */
  private int digits;

  void reset() {
    inString = clipping = escaped = false;
    hexLeft = kept = digits = 0;
  }

  void feed(byte[] b, int off, int len, ByteSink sink) throws IOException {
    int end = off + len;
    int runStart = off;
    for (int i = skipPlain(b, off, end); i < end; i = skipPlain(b, i + 1, end)) {
      byte c = b[i];
      if (!inString) {
        boolean numberByte = (c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
        digits = numberByte ? digits + 1 : 0;
        if (clipping && !numberByte) {
          clipping = false; // the number ended: this byte passes again
          runStart = i;
        } else if (!clipping && digits > KEEP_DIGITS) {
          if (i > runStart) {
            sink.accept(b, runStart, i);
          }
          clipping = true;
        }
        if (c == '"') {
          inString = true;
          kept = 0;
        }
      } else if (clipping) {
        if (skipClipped(c)) {
          runStart = i; // the closing quote passes again
        }
      } else if (startsClip(c)) {
        if (i > runStart) {
          sink.accept(b, runStart, i);
        }
        clipping = true;
      }
    }
    if (!clipping && end > runStart) {
      sink.accept(b, runStart, end);
    }
  }

  /**
   * The next byte from {@code i} that may change the state, found eight bytes at a time: outside a
   * string the next quote; inside one, past no escape, the next quote or backslash (in a kept part,
   * at most where the part reaches {@link #KEEP} bytes).
   */
  private int skipPlain(byte[] b, int i, int end) {
    if (!inString) {
      return i; // every byte: numbers are counted (the parts outside strings are short)
    }
    if (escaped || hexLeft > 0 || (!clipping && kept >= KEEP)) {
      return i;
    }
    int to = clipping ? end : (int) Math.min(end, (long) i + KEEP - kept);
    int special = ByteScan.indexOfEither(b, i, to, QUOTES, BACKSLASHES);
    int next = special < 0 ? to : special;
    if (!clipping) {
      kept += next - i;
    }
    return next;
  }

  /** Inside a kept part of a string: whether {@code c} is where the clipped part begins. */
  private boolean startsClip(byte c) {
    if (escaped) {
      escaped = false;
      hexLeft = c == 'u' ? 4 : 0;
    } else if (hexLeft > 0) {
      hexLeft--;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == '"') {
      inString = false;
      return false;
    } else if (kept >= KEEP && (c & 0xC0) != 0x80) { // not a UTF-8 continuation byte
      return true;
    }
    kept++;
    return false;
  }

  /** Inside a clipped part: whether {@code c} is the string's closing quote. */
  private boolean skipClipped(byte c) {
    if (escaped) {
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == '"') {
      clipping = false;
      inString = false;
      return true;
    }
    return false;
  }
}
