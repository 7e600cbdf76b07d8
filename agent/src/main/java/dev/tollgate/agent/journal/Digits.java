package dev.tollgate.agent.journal;

/** Decimal digits spelled into a caller's {@code char[]}, for the journal's hand-written fields. */
final class Digits {
  private Digits() {}

  /** {@code value} (not negative) in as many digits as it takes, at {@code c[n]}; returns the end. */
  static int write(char[] c, int n, long value) {
    int width = 1;
    for (long v = value / 10; v > 0; v /= 10) {
      width++;
    }
    return padded(c, n, value, width);
  }

  /** {@code value} (not negative) in {@code width} digits, zero-padded, at {@code c[n]}; returns the end. */
  static int padded(char[] c, int n, long value, int width) {
    for (int i = n + width - 1; i >= n; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return n + width;
  }
}
