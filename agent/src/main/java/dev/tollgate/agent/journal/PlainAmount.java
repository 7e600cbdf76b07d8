package dev.tollgate.agent.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Writes a {@link BigDecimal} as {@link BigDecimal#toPlainString()} spells it, without the strings
 * that method builds: an amount of up to 18 digits (in nano-credits, anything under a billion
 * credits) is spelled here; any other takes {@code toPlainString()}.
 */
final class PlainAmount {
  private static final int MAX_DIGITS = 18;
  /** The longest spelled here: a sign, "0." and 18 fraction digits. */
  static final int MAX_LENGTH = MAX_DIGITS + 3;

  private PlainAmount() {}

  /** Writes {@code amount} as a JSON number, spelled in {@code c} (at least {@link #MAX_LENGTH} long). */
  static void write(JsonGenerator g, BigDecimal amount, char[] c) throws IOException {
    int scale = amount.scale();
    if (scale < 0 || scale > MAX_DIGITS || amount.precision() > MAX_DIGITS) {
      g.writeNumber(amount.toPlainString());
      return;
    }
    // Exact: at most 18 digits. The BigDecimal this makes does not escape: the JIT need not allocate it.
    long unscaled = amount.scaleByPowerOfTen(scale).longValue();
    int n = 0;
    if (unscaled < 0) {
      c[n++] = '-';
      unscaled = -unscaled;
    }
    long unit = pow10(scale);
    n = Digits.write(c, n, unscaled / unit);
    if (scale > 0) {
      c[n++] = '.';
      n = Digits.padded(c, n, unscaled % unit, scale);
    }
    g.writeNumber(c, 0, n);
  }

  private static long pow10(int exponent) {
    long p = 1;
    for (int i = 0; i < exponent; i++) {
      p *= 10;
    }
    return p;
  }
}
