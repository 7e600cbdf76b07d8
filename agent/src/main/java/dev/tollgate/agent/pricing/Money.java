package dev.tollgate.agent.pricing;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Credits as fixed-point {@code long} nano-credits (10⁻⁹), the unit the wallet counts in. Costs are
 * computed in {@link BigDecimal} and rounded once, half-even, to nano-credits; the rounded value is
 * what is reserved, settled, journaled and reported, so every sum is exact.
 */
public final class Money {
  public static final int SCALE = 9;

  private Money() {}

  /** Rounds to nano-credits. @throws ArithmeticException beyond ±9.2 billion credits */
  public static long toNanos(BigDecimal credits) {
    // Decided from the digits' count, never by expanding them: a garbled "1e9999999" (or its inverse)
    // read from a response, a journal or a credit API took 19 s of CPU, and more digits take longer.
    long integerDigits = (long) credits.precision() - credits.scale();
    if (credits.signum() == 0 || integerDigits < -SCALE) {
      return 0; // under 10^-10: rounds to zero nano-credits
    }
    if (integerDigits > 19) {
      throw new ArithmeticException("beyond the range of nano-credits: " + credits.precision() + " digits, scale " + credits.scale());
    }
    return credits.setScale(SCALE, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
  }

  /** Exact decimal credits, with trailing zeros removed (never in exponent form via {@link #format}). */
  public static BigDecimal fromNanos(long nanos) {
    return stripped(BigDecimal.valueOf(nanos, SCALE));
  }

  /** {@code credits} without trailing zeros ({@code 0}, not {@code 0.0000}; {@code 100}, not {@code 1E+2}). */
  public static BigDecimal stripped(BigDecimal credits) {
    BigDecimal d = credits.stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  /** Credits as messages print them: plain decimal, no trailing zeros ({@code 0}, not {@code 0.0000}). */
  public static String plain(BigDecimal credits) {
    return stripped(credits).toPlainString();
  }

  /**
   * What is left, {@code credits}, then {@code what} ({@code "left"}, {@code "are available"}), as
   * messages say it: {@code 0.5 left}; a remainder below zero (calls cost more than they reserved)
   * is {@code none left (over by 0.00305)}.
   */
  public static String left(BigDecimal credits, String what) {
    return credits.signum() < 0 ? "none " + what + " (over by " + plain(credits.negate()) + ")" : plain(credits) + " " + what;
  }

  /** Plain decimal text, for the journal and reports. */
  public static String format(long nanos) {
    return fromNanos(nanos).toPlainString();
  }
}
