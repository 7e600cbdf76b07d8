package dev.tollgate.agent.pricing;

import dev.tollgate.agent.usage.Usage;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * One model's list prices in USD per million tokens, and the most output tokens it can produce
 * (the reservation bound when a request does not set one).
 *
 * <p>Some models charge more for a long prompt: Gemini 2.5 Pro and Claude Sonnet 4/4.5 (with the 1M
 * context window) bill <em>every</em> token of a call at higher rates once its input exceeds 200k
 * tokens. Such a model has a {@link #longContext} tier, used for a call whose input tokens are above
 * {@link #longContextThreshold}. Reasoning (thinking) tokens are output tokens: billed at the output
 * price, as every provider in the catalog bills them.
 */
public final class ModelPrice {
  public final String model;
  public final String provider;
  public final BigDecimal input;
  public final BigDecimal output;
  public final BigDecimal cachedInput;
  public final BigDecimal cacheWrite;
  public final long maxOutputTokens;
  /** Input tokens above which {@link #longContext} applies; 0 when the model has no such tier. */
  public final long longContextThreshold;
  /** The rates for a call whose input exceeds {@link #longContextThreshold}, or null. */
  public final @Nullable ModelPrice longContext;
  /** What the catalog says about this entry (an unverified price, a disagreement), or null. */
  public final @Nullable String notes;
  /** Anthropic's 1-hour cache write rate (2x input); {@link #cacheWrite} is the 5-minute one. */
  public final BigDecimal cacheWrite1h;
  /** Where the price was read (a pricing page, a dataset), or null. */
  public final @Nullable String source;
  /** The date the price was checked against {@link #source}, YYYY-MM-DD, or null. */
  public final @Nullable String checked;
  /** The rates as longs, for {@link #worstCaseNanos} and {@link #costNanos}; each null when too fine for one. */
  private final @Nullable FixedRate worstInputRate;
  private final @Nullable FixedRate worstInput1hRate;
  private final @Nullable FixedRate inputRate;
  private final @Nullable FixedRate cachedInputRate;
  private final @Nullable FixedRate cacheWriteRate;
  private final @Nullable FixedRate cacheWrite1hRate;
  private final @Nullable FixedRate outputRate;

  ModelPrice(String model, String provider, BigDecimal input, BigDecimal output, BigDecimal cachedInput,
      BigDecimal cacheWrite, long maxOutputTokens) {
    this(model, provider, input, output, cachedInput, cacheWrite, maxOutputTokens, 0, null, null);
  }

  ModelPrice(String model, String provider, BigDecimal input, BigDecimal output, BigDecimal cachedInput,
      BigDecimal cacheWrite, long maxOutputTokens, long longContextThreshold,
      @Nullable ModelPrice longContext, @Nullable String notes) {
    this(model, provider, input, output, cachedInput, cacheWrite, maxOutputTokens, longContextThreshold, longContext, notes,
        cacheWrite, null, null);
  }

  private ModelPrice(String model, String provider, BigDecimal input, BigDecimal output, BigDecimal cachedInput,
      BigDecimal cacheWrite, long maxOutputTokens, long longContextThreshold, @Nullable ModelPrice longContext,
      @Nullable String notes, BigDecimal cacheWrite1h, @Nullable String source, @Nullable String checked) {
    this.model = model;
    this.cacheWrite1h = cacheWrite1h;
    this.source = source;
    this.checked = checked;
    this.provider = provider;
    this.input = input;
    this.output = output;
    this.cachedInput = cachedInput;
    this.cacheWrite = cacheWrite;
    this.maxOutputTokens = maxOutputTokens;
    this.longContextThreshold = longContextThreshold;
    this.longContext = longContext;
    this.notes = notes;
    this.worstInputRate = FixedRate.of(input.max(cacheWrite));
    this.worstInput1hRate = FixedRate.of(input.max(cacheWrite).max(cacheWrite1h));
    this.inputRate = FixedRate.of(input);
    this.cachedInputRate = FixedRate.of(cachedInput);
    this.cacheWriteRate = FixedRate.of(cacheWrite);
    this.cacheWrite1hRate = FixedRate.of(cacheWrite1h);
    this.outputRate = FixedRate.of(output);
  }

  /** This price with its 1-hour cache write rate and provenance. */
  ModelPrice withDetails(BigDecimal cacheWrite1h, @Nullable String source, @Nullable String checked) {
    return new ModelPrice(model, provider, input, output, cachedInput, cacheWrite, maxOutputTokens, longContextThreshold, longContext,
        notes, cacheWrite1h, source, checked);
  }

  /** The rates that apply to a call with {@code inputTokens} of input: the long-context tier above its threshold. */
  public ModelPrice tierFor(long inputTokens) {
    return longContext != null && inputTokens > longContextThreshold ? longContext : this;
  }

  /**
   * The catalog cost of {@code usage} in USD, at the tier its input selects: uncached input at the
   * input price, cache reads and writes at theirs (1-hour writes at the 1-hour rate), all output (reasoning included) at the output price.
   */
  public BigDecimal costUsd(Usage usage) {
    ModelPrice p = tierFor(usage.input);
    long uncached = Math.max(0, usage.input - usage.cacheRead - usage.cacheWrite);
    return p.input.multiply(BigDecimal.valueOf(uncached))
        .add(p.cachedInput.multiply(BigDecimal.valueOf(usage.cacheRead)))
        .add(p.cacheWrite.multiply(BigDecimal.valueOf(usage.cacheWrite - usage.cacheWrite1h)))
        .add(p.cacheWrite1h.multiply(BigDecimal.valueOf(usage.cacheWrite1h)))
        .add(p.output.multiply(BigDecimal.valueOf(usage.output)))
        .movePointLeft(6);
  }

  /**
   * {@link #costUsd} times {@code creditsPerUsd}, in nano-credits rounded half-even, computed on
   * longs; {@link FixedRate#INEXACT} when they cannot hold it.
   */
  long costNanos(Usage usage, @Nullable FixedRate creditsPerUsd) {
    ModelPrice p = tierFor(usage.input);
    long uncached = Math.max(0, usage.input - usage.cacheRead - usage.cacheWrite);
    return FixedRate.nanos(p.inputRate, uncached, p.cachedInputRate, usage.cacheRead, p.cacheWriteRate, usage.cacheWrite
        - usage.cacheWrite1h,
        p.cacheWrite1hRate, usage.cacheWrite1h, p.outputRate, usage.output, creditsPerUsd);
  }

  /**
   * The worst case of a call: every input token at the dearest input rate (a cache write costs
   * more than plain input at Anthropic) and {@code maxOutput} output tokens, at the tier the input
   * estimate selects.
   */
  public BigDecimal worstCaseUsd(long inputTokens, long maxOutput) {
    return worstCaseUsd(inputTokens, maxOutput, false);
  }

  /**
   * {@link #worstCaseUsd(long, long)}, for a request that asks for the 1-hour cache when
   * {@code cacheWrite1h}: then a cache write is reserved at the 1-hour rate ({@link #cacheWrite1h}).
   */
  public BigDecimal worstCaseUsd(long inputTokens, long maxOutput, boolean cacheWrite1h) {
    ModelPrice p = tierFor(inputTokens);
    BigDecimal worstInput = p.input.max(p.cacheWrite);
    return (cacheWrite1h ? worstInput.max(p.cacheWrite1h) : worstInput).multiply(BigDecimal.valueOf(inputTokens))
        .add(p.output.multiply(BigDecimal.valueOf(maxOutput)))
        .movePointLeft(6);
  }

  /**
   * {@link #worstCaseUsd(long, long, boolean)} times {@code creditsPerUsd}, in nano-credits rounded
   * half-even, computed on longs; {@link FixedRate#INEXACT} when they cannot hold it.
   */
  long worstCaseNanos(long inputTokens, long maxOutput, boolean cacheWrite1h, @Nullable FixedRate creditsPerUsd) {
    ModelPrice p = tierFor(inputTokens);
    return FixedRate.nanos(cacheWrite1h ? p.worstInput1hRate : p.worstInputRate, inputTokens, p.outputRate, maxOutput, creditsPerUsd);
  }

  @Override
  public String toString() {
    return model + "{in=" + input + ", out=" + output + ", cached=" + cachedInput + ", cacheWrite=" + cacheWrite
        + (longContext == null ? "" : ", above " + longContextThreshold + ": " + longContext) + '}';
  }
}
