package dev.tollgate.agent.pricing;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * A non-negative decimal rate held as {@code unscaled × 10^-scale} in a {@code long}, so the
 * pre-flight's worst case and a settled call's cost are computed without {@link BigDecimal}: the same value, rounded the same
 * way (half-even, to nano-credits), as {@code Money.toNanos(price × tokens × creditsPerUsd / 10⁶)}.
 * When a {@code long} cannot hold a step, {@link #nanos} says {@link #INEXACT} and the caller does
 * the {@link BigDecimal} computation instead.
 */
final class FixedRate {
  static final long INEXACT = Long.MIN_VALUE;
  private static final int MAX_SCALE = 18;
  private static final long[] POW10 = new long[MAX_SCALE + 1];

  static {
    POW10[0] = 1;
    for (int i = 1; i <= MAX_SCALE; i++) {
      POW10[i] = POW10[i - 1] * 10;
    }
  }

  private static final FixedRate ZERO = new FixedRate(0, 0);

  private final long unscaled;
  private final int scale;

  private FixedRate(long unscaled, int scale) {
    this.unscaled = unscaled;
    this.scale = scale;
  }

  /** The rate, or null when a long cannot hold it exactly (then the caller keeps to BigDecimal). */
  static @Nullable FixedRate of(BigDecimal rate) {
    BigDecimal r = rate.stripTrailingZeros();
    if ((long) r.precision() - r.scale() > MAX_SCALE) { // in long: 1E+2147483647's int difference wraps negative
      return null; // more integer digits than a long holds (and 1E+999999999 must not be expanded)
    }
    r = r.scale() < 0 ? r.setScale(0) : r;
    if (r.signum() < 0 || r.scale() > MAX_SCALE || r.unscaledValue().bitLength() > 62) {
      return null;
    }
    return new FixedRate(r.unscaledValue().longValueExact(), r.scale());
  }

  /**
   * {@code (a × x + b × y) × perMillion / 10⁶} rounded half-even to nano-units (a and b are prices
   * per million tokens, x and y token counts), or {@link #INEXACT}.
   */
  static long nanos(@Nullable FixedRate a, long x, @Nullable FixedRate b, long y, @Nullable FixedRate factor) {
    return nanos(a, x, b, y, ZERO, 0, ZERO, 0, factor);
  }

  /** {@code (a × x + b × y + c × z + d × w) × perMillion / 10⁶}, as {@link #nanos(FixedRate, long, FixedRate, long, FixedRate)}. */
  static long nanos(@Nullable FixedRate a, long x, @Nullable FixedRate b, long y, @Nullable FixedRate c, long z,
      @Nullable FixedRate d, long w, @Nullable FixedRate factor) {
    return nanos(a, x, b, y, c, z, ZERO, 0, d, w, factor);
  }

  /** {@code (a × x + b × y + c × z + d × w + e × v) × perMillion / 10⁶}, rounded once. */
  static long nanos(@Nullable FixedRate a, long x, @Nullable FixedRate b, long y, @Nullable FixedRate c, long z,
      @Nullable FixedRate e, long v, @Nullable FixedRate d, long w, @Nullable FixedRate factor) {
    if (a == null || b == null || c == null || d == null || e == null || factor == null || x < 0 || y < 0 || z < 0 || w < 0 || v < 0) {
      return INEXACT;
    }
    try {
      int scale = Math.max(Math.max(Math.max(a.scale, b.scale), Math.max(c.scale, d.scale)), e.scale);
      long sum = Math.addExact(Math.addExact(
          Math.addExact(Math.multiplyExact(a.rescaled(scale), x), Math.multiplyExact(b.rescaled(scale), y)),
          Math.addExact(Math.multiplyExact(c.rescaled(scale), z), Math.multiplyExact(d.rescaled(scale), w))),
          Math.multiplyExact(e.rescaled(scale), v));
      return halfEven(Math.multiplyExact(sum, factor.unscaled), scale + factor.scale + 6 - Money.SCALE);
    } catch (ArithmeticException overflow) {
      return INEXACT;
    }
  }

  private long rescaled(int to) {
    return Math.multiplyExact(unscaled, POW10[to - scale]);
  }

  /** {@code v × 10^-drop}, half-even (a negative drop scales up). */
  private static long halfEven(long v, int drop) {
    if (drop <= 0) {
      if (-drop > MAX_SCALE) {
        throw new ArithmeticException("scale");
      }
      return Math.multiplyExact(v, POW10[-drop]);
    }
    if (drop > MAX_SCALE) {
      throw new ArithmeticException("scale");
    }
    long unit = POW10[drop];
    long q = v / unit;
    long twice = (v % unit) * 2; // below 2 × 10^18: no overflow
    return twice > unit || (twice == unit && (q & 1) == 1) ? q + 1 : q;
  }
}
