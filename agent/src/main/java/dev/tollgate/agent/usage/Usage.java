package dev.tollgate.agent.usage;

import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * Token usage of one call, normalised across providers: {@link #input} counts every input token,
 * and {@link #cacheRead} and {@link #cacheWrite} are the parts of it billed at cache rates;
 * {@link #output} counts every output token, {@link #reasoning} the part spent on reasoning.
 */
public final class Usage {
  public final long input;
  public final long output;
  public final long cacheRead;
  public final long cacheWrite;
  /** The part of {@link #cacheWrite} written to Anthropic's 1-hour cache, billed at its own rate. */
  public final long cacheWrite1h;
  public final long reasoning;
  /** The provider's own cost in USD (OpenRouter {@code usage.cost}), or null. */
  public final @Nullable BigDecimal providerCostUsd;

  public Usage(long input, long output, long cacheRead, long cacheWrite, long reasoning, @Nullable BigDecimal providerCostUsd) {
    this(input, output, cacheRead, cacheWrite, 0, reasoning, providerCostUsd);
  }

  /** @param cacheWrite1h the part of {@code cacheWrite} written to a 1-hour cache (at most {@code cacheWrite}) */
  public Usage(long input, long output, long cacheRead, long cacheWrite, long cacheWrite1h, long reasoning,
      @Nullable BigDecimal providerCostUsd) {
    this.input = input;
    this.output = output;
    this.cacheRead = cacheRead;
    this.cacheWrite = cacheWrite;
    this.cacheWrite1h = Math.max(0, Math.min(cacheWrite1h, cacheWrite));
    this.reasoning = reasoning;
    this.providerCostUsd = providerCostUsd;
  }

  /** {@code a + b}, held at {@link Long#MAX_VALUE} rather than wrapping to a negative count. */
  static long sum(long a, long b) {
    long s = a + b;
    return ((a ^ s) & (b ^ s)) < 0 ? Long.MAX_VALUE : s;
  }

  public static Usage of(long input, long output) {
    return new Usage(input, output, 0, 0, 0, null);
  }

  @Override
  public String toString() {
    return "Usage{in=" + input + ", out=" + output + ", cacheRead=" + cacheRead + ", cacheWrite=" + cacheWrite + (cacheWrite1h == 0 ? ""
        : " (1h " + cacheWrite1h + ")")
        + ", reasoning=" + reasoning + ", cost=" + providerCostUsd + '}';
  }
}
