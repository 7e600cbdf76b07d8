package dev.tollgate.agent.usage;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * Finds bytes eight at a time: each step reads a long and tests all its bytes at once (SWAR: the
 * has-zero-byte trick), instead of eight loads and compares. A stream tap looks at every
 * byte of the body, so this is most of its cost per chunk.
 */
final class ByteScan {
  private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
  private static final long ONES = 0x0101010101010101L;
  private static final long LOWS = 0x7F7F7F7F7F7F7F7FL;

  private ByteScan() {}

  /** {@code c} in each byte of a long: the pattern {@link #indexOf} takes. */
  static long pattern(char c) {
    return (c & 0xffL) * ONES;
  }

  /** The index of the first byte of {@code pattern} in {@code b[from, to)}, or -1. */
  static int indexOf(byte[] b, int from, int to, long pattern) {
    return indexOfEither(b, from, to, pattern, pattern);
  }

  /** The index of the first byte of {@code pattern} or of {@code other} in {@code b[from, to)}, or -1. */
  static int indexOfEither(byte[] b, int from, int to, long pattern, long other) {
    int i = from;
    for (; i <= to - Long.BYTES; i += Long.BYTES) {
      long w = word(b, i);
      long found = zeroBytes(w ^ pattern) | zeroBytes(w ^ other);
      if (found != 0) {
        return i + firstFlagged(found);
      }
    }
    for (; i < to; i++) {
      if (b[i] == (byte) pattern || b[i] == (byte) other) {
        return i;
      }
    }
    return -1;
  }

  /** {@code b[i, i + 8)} as a long, {@code b[i]} its lowest byte. */
  static long word(byte[] b, int i) {
    return (long) LONGS.get(b, i);
  }

  /** The high bit of each zero byte of {@code x} set, all other bits clear. */
  static long zeroBytes(long x) {
    // Adding 0x7F to the low seven bits carries into the high bit unless they are all zero; with
    // x's own high bit or'ed in, only a zero byte keeps its high bit clear. No carry crosses bytes.
    return ~(((x & LOWS) + LOWS) | x | LOWS);
  }

  /** The byte index, 0 to 7, of the lowest flag of {@link #zeroBytes}. */
  static int firstFlagged(long flags) {
    return Long.numberOfTrailingZeros(flags) >>> 3;
  }
}
