package dev.tollgate.agent.usage;

import java.io.IOException;

/**
 * Cuts every JSON string down to its first {@value #KEEP} bytes before the parser sees it, so a
 * response whose text runs to hundreds of megabytes costs the parser no more memory than a short
 * one: Jackson buffers each string value whole, and the usage fields never need long strings.
 * Cuts fall on a character boundary outside any escape sequence, so what passes stays valid JSON
 * in valid UTF-8. The kept bytes are handed on as runs of the caller's own array; nothing is copied.
 */
final class StringClipper {
  static final int KEEP = 1024;
  /**
   * Longer than this a number is refused by the parser anyway ({@code StreamReadConstraints}' default
   * {@code maxNumberLength}), but only once it ends: the non-blocking parser buffers it until then, so a
   * damaged body of endless digits would be held whole. Such a body fails here instead, unbuffered.
   */
  static final int MAX_NUMBER = 1000;
  private static final long QUOTES = ByteScan.pattern('"');
  private static final long BACKSLASHES = ByteScan.pattern('\\');

  private boolean inString;
  private boolean clipping;
  private boolean escaped;
  private int hexLeft;
  private int kept;
  /** Number characters in a row outside strings, across chunks. */
  private int numberRun;
  /** The byte {@link #skipPlain} stopped at is the first past {@link #MAX_NUMBER}. */
  private boolean numberTooLong;

  void reset() {
    inString = clipping = escaped = false;
    hexLeft = kept = numberRun = 0;
    numberTooLong = false;
  }

  void feed(byte[] b, int off, int len, ByteSink sink) throws IOException {
    int end = off + len;
    int runStart = off;
    for (int i = skipPlain(b, off, end); i < end; i = skipPlain(b, i + 1, end)) {
      if (numberTooLong) {
        if (i > runStart) {
          sink.accept(b, runStart, i); // what came before reaches the parser, however the bytes were cut
        }
        throw new IOException("a number longer than " + MAX_NUMBER + " characters, which no JSON parser here accepts");
      }
      byte c = b[i];
      if (!inString) {
        if (c == '"') {
          inString = true;
          kept = 0;
          numberRun = 0;
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
      int quote = ByteScan.indexOf(b, i, end, QUOTES);
      int next = quote < 0 ? end : quote;
      int over = countNumbers(b, i, next);
      numberTooLong = over >= 0;
      return over >= 0 ? over : next;
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

  /** Counts the number characters in a row in {@code b[from, to)}, outside strings: the index of the first past {@link #MAX_NUMBER}, or -1. */
  private int countNumbers(byte[] b, int from, int to) {
    int run = numberRun;
    for (int j = from; j < to; j++) {
      byte c = b[j];
      if ((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '-' || c == '+') {
        if (++run > MAX_NUMBER) {
          numberRun = run;
          return j;
        }
      } else {
        run = 0;
      }
    }
    numberRun = run;
    return -1;
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
