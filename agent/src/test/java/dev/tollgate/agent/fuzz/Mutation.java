package dev.tollgate.agent.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * One way a body can arrive damaged: what a flaky proxy, a cut connection, a hostile or buggy server
 * would send. Positions are fractions of the body ({@code at} in millionths), so one mutation applies
 * to a body of any length and shrinks towards its start.
 */
public final class Mutation {
  /** What is done to the body. */
  public enum Kind {
    /** One byte XORed with a non-zero mask. */
    FLIP,
    /** The body ends here. */
    TRUNCATE,
    /** Up to 64 bytes removed. */
    DELETE,
    /** A span of up to 4 KiB repeated up to 20 times (a replayed event, a stuttering proxy). */
    DUPLICATE,
    /** The nearest number replaced by an extreme one (beyond a long, 1e999999999, negative, 1,001 digits). */
    HUGE_NUMBER,
    /** 70 KB of text (plain, or escaped and multi-byte) inside the nearest string: longer than any buffered line. */
    HUGE_STRING,
    /** 2,000 levels of nested arrays or objects opened here. */
    DEEP_NESTING,
    /** A byte sequence that is not UTF-8: a lone continuation, an overlong form, a surrogate, a cut sequence. */
    INVALID_UTF8
  }

  static final int SCALE = 1_000_000;
  private static final String[] NUMBERS = {
      "99999999999999999999999", "9223372036854775807", "-9223372036854775808", "-1", "1e999999999",
      "-1e999999999", "1e-999999999", "0.5", "-0.0", "1E+2147483647", "1".repeat(1001)};
  private static final byte[][] NOT_UTF8 = {
      {(byte) 0xC3, 0x28}, {(byte) 0xFF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0x80},
      {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}, {(byte) 0x80}};

  public final Kind kind;
  /** Where, in millionths of the body's length. */
  public final int at;
  /** The mutation's own choice: a mask, a length, which number or which byte sequence. */
  public final int arg;

  public Mutation(Kind kind, int at, int arg) {
    this.kind = kind;
    this.at = at;
    this.arg = arg;
  }

  /** A new array: {@code body} with this mutation applied. */
  public byte[] apply(byte[] body) {
    int i = (int) ((long) body.length * at / SCALE);
    switch (kind) {
      case FLIP:
        byte[] flipped = body.clone();
        if (i < flipped.length) {
          flipped[i] ^= (byte) (arg | 1);
        }
        return flipped;
      case TRUNCATE:
        return Arrays.copyOf(body, i);
      case DELETE:
        return splice(body, i, Math.min(body.length, i + 1 + arg % 64), new byte[0]);
      case DUPLICATE:
        int end = Math.min(body.length, i + 1 + arg % 4096);
        byte[] span = Arrays.copyOfRange(body, i, end);
        return splice(body, end, end, repeat(span, 1 + arg % 20));
      case HUGE_NUMBER:
        return replaceNumber(body, i, NUMBERS[arg % NUMBERS.length]);
      case HUGE_STRING:
        int quote = indexOf(body, i, (byte) '"');
        String text = arg % 2 == 0 ? "a".repeat(70_000) : "\\u00e9\\\"\\n\u00e9\u2603 ".repeat(3_500);
        return splice(body, quote + 1, quote + 1, text.getBytes(StandardCharsets.UTF_8));
      case DEEP_NESTING:
        return splice(body, i, i, (arg % 2 == 0 ? "[" : "{\"a\":").repeat(2_000).getBytes(StandardCharsets.US_ASCII));
      default: // INVALID_UTF8, preferably inside a string
        int inString = indexOf(body, i, (byte) '"') + 1;
        return splice(body, inString, inString, NOT_UTF8[arg % NOT_UTF8.length]);
    }
  }

  /** Applies {@code mutations} in order. */
  public static byte[] applyAll(byte[] body, Iterable<Mutation> mutations) {
    byte[] b = body;
    for (Mutation m : mutations) {
      b = m.apply(b);
    }
    return b;
  }

  private static byte[] replaceNumber(byte[] body, int from, String number) {
    int start = from;
    while (start < body.length && !isDigit(body[start])) {
      start++;
    }
    if (start == body.length) {
      return splice(body, from, from, number.getBytes(StandardCharsets.US_ASCII));
    }
    int end = start;
    while (end < body.length && (isDigit(body[end]) || body[end] == '.' || body[end] == 'e' || body[end] == 'E')) {
      end++;
    }
    if (start > 0 && body[start - 1] == '-') {
      start--;
    }
    return splice(body, start, end, number.getBytes(StandardCharsets.US_ASCII));
  }

  private static boolean isDigit(byte b) {
    return b >= '0' && b <= '9';
  }

  /** The first {@code b} at or after {@code from}, or {@code from} itself (clamped) when there is none. */
  private static int indexOf(byte[] body, int from, byte b) {
    for (int k = from; k < body.length; k++) {
      if (body[k] == b) {
        return k;
      }
    }
    return Math.min(from, body.length) - 1;
  }

  private static byte[] splice(byte[] body, int from, int to, byte[] insert) {
    int f = Math.max(0, Math.min(from, body.length));
    int t = Math.max(f, Math.min(to, body.length));
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length - (t - f) + insert.length);
    out.write(body, 0, f);
    out.writeBytes(insert);
    out.write(body, t, body.length - t);
    return out.toByteArray();
  }

  private static byte[] repeat(byte[] span, int times) {
    byte[] out = new byte[span.length * times];
    for (int k = 0; k < times; k++) {
      System.arraycopy(span, 0, out, k * span.length, span.length);
    }
    return out;
  }

  @Override
  public String toString() {
    return kind + "@" + at + "ppm/" + arg;
  }
}
