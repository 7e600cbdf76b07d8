package dev.tollgate.api;

import java.math.BigDecimal;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A dry-run quote, in the spirit of the Synap {@code credits.estimate} call: what a call would
 * reserve before it leaves, computed exactly as the agent computes a real call's reservation (the
 * input tokens at the dearest input rate, plus the output bound at the output price, in credits).
 * Getting one sends nothing and reserves nothing.
 */
public final class CreditEstimate {
  private final String model;
  private final String pricedAs;
  private final String provider;
  private final boolean priced;
  private final long inputTokens;
  private final String tokenizer;
  private final long maxOutputTokens;
  private final BigDecimal cost;
  private final boolean longContext;

  private CreditEstimate(Builder b) {
    this.model = Objects.requireNonNull(b.model, "model");
    this.pricedAs = Objects.requireNonNull(b.pricedAs, "pricedAs");
    this.provider = Objects.requireNonNull(b.provider, "provider");
    this.priced = b.priced;
    this.inputTokens = b.inputTokens;
    this.tokenizer = Objects.requireNonNull(b.tokenizer, "tokenizer");
    this.maxOutputTokens = b.maxOutputTokens;
    this.cost = Objects.requireNonNull(b.cost, "cost");
    this.longContext = b.longContext;
  }

  /** A new builder; for the agent and for tests. */
  public static Builder builder() {
    return new Builder();
  }

  /** The model as asked, for example {@code gpt-4o-mini-2024-07-18}. */
  public String model() {
    return model;
  }

  /**
   * The price-catalog entry the quote used: {@code gpt-4o-mini} for a dated snapshot, or the
   * fallback's name for a model the catalog does not know.
   */
  public String pricedAs() {
    return pricedAs;
  }

  /** The provider of the catalog entry ({@code openai}, {@code anthropic}…), {@code unknown} for the fallback. */
  public String provider() {
    return provider;
  }

  /** {@code false} when the model is not in the catalog and the fallback price was used. */
  public boolean priced() {
    return priced;
  }

  /** The estimated input tokens. */
  public long inputTokens() {
    return inputTokens;
  }

  /** How the input was counted: a tokenizer ({@code o200k_base}, {@code cl100k_base}) or the {@code chars/4} heuristic. */
  public String tokenizer() {
    return tokenizer;
  }

  /** The output bound: the request's {@code max_tokens} (or its equivalent), else the model's maximum output. */
  public long maxOutputTokens() {
    return maxOutputTokens;
  }

  /** The worst-case cost in credits: what the call would reserve. */
  public BigDecimal cost() {
    return cost;
  }

  /** {@code true} when the input is long enough for the model's long-context (dearer) rates. */
  public boolean longContext() {
    return longContext;
  }

  @Override
  public String toString() {
    return "CreditEstimate{" + model + " as " + pricedAs + (priced ? "" : " (unpriced)") + ", in=" + inputTokens + " (" + tokenizer
        + "), maxOut=" + maxOutputTokens + ", cost=" + cost.toPlainString() + (longContext ? ", long context" : "") + '}';
  }

  /** Builds a {@link CreditEstimate}. */
  public static final class Builder {
    private @Nullable String model;
    private @Nullable String pricedAs;
    private String provider = "unknown";
    private boolean priced;
    private long inputTokens;
    private String tokenizer = "chars/4";
    private long maxOutputTokens;
    private BigDecimal cost = BigDecimal.ZERO;
    private boolean longContext;

    private Builder() {}

    /** @see CreditEstimate#model() */
    public Builder model(String v) { model = v; return this; }

    /** @see CreditEstimate#pricedAs() */
    public Builder pricedAs(String v) { pricedAs = v; return this; }

    /** @see CreditEstimate#provider() */
    public Builder provider(String v) { provider = v; return this; }

    /** @see CreditEstimate#priced() */
    public Builder priced(boolean v) { priced = v; return this; }

    /** @see CreditEstimate#inputTokens() */
    public Builder inputTokens(long v) { inputTokens = v; return this; }

    /** @see CreditEstimate#tokenizer() */
    public Builder tokenizer(String v) { tokenizer = v; return this; }

    /** @see CreditEstimate#maxOutputTokens() */
    public Builder maxOutputTokens(long v) { maxOutputTokens = v; return this; }

    /** @see CreditEstimate#cost() */
    public Builder cost(BigDecimal v) { cost = v; return this; }

    /** @see CreditEstimate#longContext() */
    public Builder longContext(boolean v) { longContext = v; return this; }

    /** @throws NullPointerException if model, pricedAs, provider, tokenizer or cost is null */
    public CreditEstimate build() {
      return new CreditEstimate(this);
    }
  }
}
