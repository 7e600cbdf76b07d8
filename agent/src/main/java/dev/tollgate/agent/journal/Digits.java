package dev.tollgate.agent.journal;

/** Decimal digits spelled as ASCII into a caller's byte array, for the journal's encoder. */
final class Digits {
  private Digits() {}

  /** {@code value} (not negative) in as many digits as it takes, at {@code b[n]}; returns the end. */
  static int write(byte[] b, int n, long value) {
    int width = 1;
    for (long v = value / 10; v > 0; v /= 10) {
      width++;
    }
    return padded(b, n, value, width);
  }

  /** {@code value} (not negative) in {@code width} digits, zero-padded, at {@code b[n]}; returns the end. */
  static int padded(byte[] b, int n, long value, int width) {
    for (int i = n + width - 1; i >= n; i--) {
      b[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
    return n + width;
  }
}
