package dev.tollgate.agent.journal;

import java.math.BigDecimal;

/**
 * Spells a {@link BigDecimal} as {@link BigDecimal#toPlainString()} does, without the strings that
 * method builds: an amount of up to 18 digits (in nano-credits, anything under a billion credits)
 * is spelled here; any other is left to {@code toPlainString()}.
 */
final class PlainAmount {
  private static final int MAX_DIGITS = 18;
  /** The longest spelled here, the room {@link #write} needs: a sign, "0." and 18 fraction digits. */
  static final int MAX_LENGTH = MAX_DIGITS + 3;

  private PlainAmount() {}

  /** Whether {@link #write} spells {@code amount}. */
  static boolean spells(BigDecimal amount) {
    return amount.scale() >= 0 && amount.scale() <= MAX_DIGITS && amount.precision() <= MAX_DIGITS;
  }

  /** Spells {@code amount} (one {@link #spells} accepts) in ASCII at {@code b[n]}; returns the end. */
  static int write(byte[] b, int n, BigDecimal amount) {
    int scale = amount.scale();
    // Exact: at most 18 digits. The BigDecimal this makes does not escape: the JIT need not allocate it.
    long unscaled = amount.scaleByPowerOfTen(scale).longValue();
    if (unscaled < 0) {
      b[n++] = '-';
      unscaled = -unscaled;
    }
    long unit = pow10(scale);
    n = Digits.write(b, n, unscaled / unit);
    if (scale > 0) {
      b[n++] = '.';
      n = Digits.padded(b, n, unscaled % unit, scale);
    }
    return n;
  }

  private static long pow10(int exponent) {
    long p = 1;
    for (int i = 0; i < exponent; i++) {
      p *= 10;
    }
    return p;
  }
}
