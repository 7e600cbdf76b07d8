package dev.tollgate.agent.pricing;

import dev.tollgate.agent.usage.Usage;
import java.math.BigDecimal;

/**
 * One model's list prices in USD per million tokens, and the most output tokens it can produce
 * (the reservation bound when a request does not set one).
 */
public final class ModelPrice {
  public final String model;
  public final String provider;
  public final BigDecimal input;
  public final BigDecimal output;
  public final BigDecimal cachedInput;
  public final BigDecimal cacheWrite;
  public final long maxOutputTokens;

  ModelPrice(String model, String provider, BigDecimal input, BigDecimal output, BigDecimal cachedInput,
      BigDecimal cacheWrite, long maxOutputTokens) {
    this.model = model;
    this.provider = provider;
    this.input = input;
    this.output = output;
    this.cachedInput = cachedInput;
    this.cacheWrite = cacheWrite;
    this.maxOutputTokens = maxOutputTokens;
  }

  /**
   * The catalog cost of {@code usage} in USD: uncached input at the input price, cache reads and
   * writes at theirs, all output (reasoning included) at the output price.
   */
  public BigDecimal costUsd(Usage usage) {
    long uncached = Math.max(0, usage.input - usage.cacheRead - usage.cacheWrite);
    return input.multiply(BigDecimal.valueOf(uncached))
        .add(cachedInput.multiply(BigDecimal.valueOf(usage.cacheRead)))
        .add(cacheWrite.multiply(BigDecimal.valueOf(usage.cacheWrite)))
        .add(output.multiply(BigDecimal.valueOf(usage.output)))
        .movePointLeft(6);
  }

  /**
   * The worst case of a call: every input token at the dearest input rate (a cache write costs
   * more than plain input at Anthropic) and {@code maxOutput} output tokens.
   */
  public BigDecimal worstCaseUsd(long inputTokens, long maxOutput) {
    return input.max(cacheWrite).multiply(BigDecimal.valueOf(inputTokens))
        .add(output.multiply(BigDecimal.valueOf(maxOutput)))
        .movePointLeft(6);
  }

  @Override
  public String toString() {
    return model + "{in=" + input + ", out=" + output + ", cached=" + cachedInput + ", cacheWrite=" + cacheWrite + '}';
  }
}
