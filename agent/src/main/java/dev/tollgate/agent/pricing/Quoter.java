package dev.tollgate.agent.pricing;

import dev.tollgate.agent.endpoint.Format;
import dev.tollgate.agent.usage.Formats;
import dev.tollgate.agent.usage.RequestInfo;
import dev.tollgate.agent.usage.Usage;
import dev.tollgate.api.CreditEstimate;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * Prices a call before it leaves: the catalog entry (or the fallback for an unknown model), the
 * output bound, and the worst case in nano-credits. The meter reserves what {@link #quote} says, and
 * {@code Tollgate.estimate} / {@code tollgate estimate} show the same quote without reserving it.
 */
public final class Quoter {
  private final PriceCatalog prices;
  private final BigDecimal creditsPerUsd;
  private final @Nullable FixedRate fixedCreditsPerUsd;

  public Quoter(PriceCatalog prices, BigDecimal creditsPerUsd) {
    this.prices = prices;
    this.creditsPerUsd = creditsPerUsd;
    this.fixedCreditsPerUsd = FixedRate.of(creditsPerUsd);
  }

  /** One call's quote. */
  public static final class Quote {
    /** The catalog's price, or null when the model is unknown (then {@link #reservePrice} is the fallback). */
    public final @Nullable ModelPrice price;
    public final ModelPrice reservePrice;
    public final long inputTokens;
    public final long maxOutputTokens;
    public final long worstCaseNanos;

    Quote(@Nullable ModelPrice price, ModelPrice reservePrice, long inputTokens, long maxOutputTokens, long worstCaseNanos) {
      this.price = price;
      this.reservePrice = reservePrice;
      this.inputTokens = inputTokens;
      this.maxOutputTokens = maxOutputTokens;
      this.worstCaseNanos = worstCaseNanos;
    }
  }

  /**
   * The worst case of sending {@code inputTokens} to {@code model} with an output bound of
   * {@code requestedMaxOutput} (0 or less: the model's maximum output).
   */
  public Quote quote(@Nullable String model, long inputTokens, long requestedMaxOutput) {
    return quote(null, model, inputTokens, requestedMaxOutput);
  }

  /**
   * {@link #quote(String, long, long)} for a call served by {@code provider} (the endpoint's provider
   * name, or null): that provider's price for the model when the catalog has one.
   */
  public Quote quote(@Nullable String provider, @Nullable String model, long inputTokens, long requestedMaxOutput) {
    return quote(provider, model, inputTokens, requestedMaxOutput, false);
  }

  /**
   * The worst case of sending {@code request} to {@code model} on {@code provider}: its input
   * estimate, its output bound, and (when it asks for the 1-hour cache) cache writes at the 1-hour rate.
   */
  public Quote quote(@Nullable String provider, @Nullable String model, RequestInfo request) {
    return quote(provider, model, request.estimatedInputTokens, request.maxOutputTokens, request.cacheWrite1h);
  }

  private Quote quote(@Nullable String provider, @Nullable String model, long inputTokens, long requestedMaxOutput, boolean cacheWrite1h) {
    ModelPrice price = prices.find(provider, model);
    ModelPrice reservePrice = price != null ? price : prices.fallback();
    long maxOutput = requestedMaxOutput > 0 ? requestedMaxOutput : reservePrice.maxOutputTokens;
    // On longs in the pre-flight, the same value BigDecimal gives; BigDecimal when longs cannot hold it.
    long worstCase = reservePrice.worstCaseNanos(inputTokens, maxOutput, cacheWrite1h, fixedCreditsPerUsd);
    if (worstCase == FixedRate.INEXACT) {
      worstCase = toCredits(reservePrice.worstCaseUsd(inputTokens, maxOutput, cacheWrite1h));
    }
    return new Quote(price, reservePrice, inputTokens, maxOutput, worstCase);
  }

  /** What {@code usage} costs at {@code price}, in nano-credits: on longs, or BigDecimal when longs cannot hold it. */
  public long costNanos(ModelPrice price, Usage usage) {
    long nanos = price.costNanos(usage, fixedCreditsPerUsd);
    return nanos != FixedRate.INEXACT ? nanos : toCredits(price.costUsd(usage));
  }

  /** USD to nano-credits; a cost beyond what a {@code long} holds (absurd max_tokens) saturates, so it is blocked. */
  public long toCredits(BigDecimal usd) {
    try {
      return Money.toNanos(usd.multiply(creditsPerUsd));
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  /** The catalog this quoter prices from. */
  public PriceCatalog prices() {
    return prices;
  }

  /** A dry-run quote for {@code text} sent to {@code model}. */
  public CreditEstimate estimateText(String model, String text, long maxOutputTokens) {
    return estimate(model, RequestInfo.ofText(model, text), maxOutputTokens);
  }

  /** A dry-run quote for a request body; {@code model} (nullable) names it when the body does not. */
  public CreditEstimate estimateRequest(@Nullable String model, byte[] body, long maxOutputTokens) {
    RequestInfo request = RequestInfo.inspect(formatOf(model), body, body.length, model);
    String name = request.model != null ? request.model : model;
    return estimate(name, request, maxOutputTokens > 0 ? maxOutputTokens : request.maxOutputTokens);
  }

  /** A dry-run quote for a request body given as text. */
  public CreditEstimate estimateRequest(@Nullable String model, String body) {
    return estimateRequest(model, body.getBytes(StandardCharsets.UTF_8), 0);
  }

  private CreditEstimate estimate(@Nullable String model, RequestInfo request, long maxOutputTokens) {
    Quote q = quote(null, model, request.estimatedInputTokens, maxOutputTokens, request.cacheWrite1h);
    return CreditEstimate.builder()
        .model(model == null ? "unknown" : model)
        .pricedAs(q.reservePrice.model)
        .provider(q.reservePrice.provider)
        .priced(q.price != null)
        .inputTokens(q.inputTokens)
        .tokenizer(request.counter)
        .maxOutputTokens(q.maxOutputTokens)
        .cost(Money.fromNanos(q.worstCaseNanos))
        .longContext(q.reservePrice.tierFor(q.inputTokens) != q.reservePrice)
        .build();
  }

  /** How to read a request body for {@code model}: by its catalog provider, OpenAI's shape by default. */
  private Format formatOf(@Nullable String model) {
    ModelPrice p = prices.find(model);
    String provider = p == null ? "" : p.provider;
    return provider.equals("anthropic") ? Formats.ANTHROPIC : provider.equals("google") ? Formats.GEMINI : Formats.OPENAI;
  }
}
