package dev.tollgate.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One metered call as the journal records it. Token fields follow the OpenTelemetry GenAI
 * conventions: {@link #inputTokens()} counts every input token, and the cache-read and
 * cache-write counts are the parts of it that were billed at cache rates.
 *
 * <p>Never holds request headers, query strings or bodies.
 */
public final class UsageRecord {

  /** Outcome of a metered call. */
  public enum Status {
    /** The provider answered 2xx and the usage was read (or estimated). */
    OK,
    /** The provider answered 4xx/5xx, or the call failed: no usage, zero cost. */
    ERROR,
    /** Tollgate stopped the call before it left the machine. */
    BLOCKED,
    /** The response stream ended early (the app closed it, or the connection broke). */
    CANCELLED;

    /** The lower-case name used in the journal and reports. */
    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final String id;
  private final Instant time;
  private final String provider;
  private final String model;
  private final String operation;
  private final String endpoint;
  private final Status status;
  private final int httpStatus;
  private final long inputTokens;
  private final long outputTokens;
  private final long cacheReadTokens;
  private final long cacheWriteTokens;
  private final long cacheWrite1hTokens;
  private final long reasoningTokens;
  private final BigDecimal cost;
  private final boolean estimated;
  private final boolean unpriced;
  private final BigDecimal reservation;
  private final long latencyMillis;
  private final boolean stream;
  private final Map<String, String> attributes;
  private final @Nullable String requestId;

  private UsageRecord(Builder b) {
    this.id = Objects.requireNonNull(b.id, "id");
    this.time = Objects.requireNonNull(b.time, "time");
    this.provider = Objects.requireNonNull(b.provider, "provider");
    this.model = Objects.requireNonNull(b.model, "model");
    this.operation = Objects.requireNonNull(b.operation, "operation");
    this.endpoint = Objects.requireNonNull(b.endpoint, "endpoint");
    this.status = Objects.requireNonNull(b.status, "status");
    this.httpStatus = b.httpStatus;
    this.inputTokens = b.inputTokens;
    this.outputTokens = b.outputTokens;
    this.cacheReadTokens = b.cacheReadTokens;
    this.cacheWriteTokens = b.cacheWriteTokens;
    this.cacheWrite1hTokens = b.cacheWrite1hTokens;
    this.reasoningTokens = b.reasoningTokens;
    this.cost = Objects.requireNonNull(b.cost, "cost");
    this.estimated = b.estimated;
    this.unpriced = b.unpriced;
    this.reservation = Objects.requireNonNull(b.reservation, "reservation");
    this.latencyMillis = b.latencyMillis;
    this.stream = b.stream;
    this.attributes = Map.copyOf(b.attributes);
    this.requestId = b.requestId;
  }

  /** A builder with every optional field zero, false or empty. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder holding this record's values. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Unique id of this record. */
  public String id() { return id; }

  /** When the call started. */
  public Instant time() { return time; }

  /** The provider, for example {@code "openai"} or {@code "anthropic"}. */
  public String provider() { return provider; }

  /** The model that served the call (from the response where it says), else the requested one. */
  public String model() { return model; }

  /** The operation, for example {@code "chat"}, {@code "messages"}, {@code "embeddings"}. */
  public String operation() { return operation; }

  /** Scheme, host, port and path; never the query string. */
  public String endpoint() { return endpoint; }

  /** The outcome. */
  public Status status() { return status; }

  /** The HTTP status the app saw, or 0 when there was none (blocked, failed before a response). */
  public int httpStatus() {
    return httpStatus;
  }

  /** All input tokens, cached ones included. */
  public long inputTokens() { return inputTokens; }

  /** All output tokens, reasoning ones included. */
  public long outputTokens() { return outputTokens; }

  /** Input tokens read from the provider's prompt cache. */
  public long cacheReadTokens() { return cacheReadTokens; }

  /** Input tokens written to the provider's prompt cache, 1-hour writes included. */
  public long cacheWriteTokens() {
    return cacheWriteTokens;
  }

  /**
   * The part of {@link #cacheWriteTokens()} written to Anthropic's 1-hour cache, billed at its own
   * rate; the rest were 5-minute writes. 0 when there were none, and in records written before this
   * field existed.
   */
  public long cacheWrite1hTokens() { return cacheWrite1hTokens; }

  /** Output tokens spent on reasoning. */
  public long reasoningTokens() { return reasoningTokens; }

  /** What the call cost, in credits. */
  public BigDecimal cost() { return cost; }

  /** {@code true} when the response carried no usage and the tokens are estimates. */
  public boolean estimated() { return estimated; }

  /** {@code true} when the model has no price in the catalog; the cost is then zero. */
  public boolean unpriced() { return unpriced; }

  /** The credits reserved before the call left: its worst-case cost. */
  public BigDecimal reservation() { return reservation; }

  /** Milliseconds from the call leaving to the end of its response. */
  public long latencyMillis() { return latencyMillis; }

  /** {@code true} for a streamed (server-sent events) response. */
  public boolean stream() { return stream; }

  /** Attribution attributes such as tenant or feature; may be empty. */
  public Map<String, String> attributes() { return attributes; }

  /** The provider's id for the response, or {@code null}. */
  public @Nullable String requestId() { return requestId; }

  @Override
  public boolean equals(@Nullable Object o) {
    if (!(o instanceof UsageRecord)) {
      return false;
    }
    UsageRecord r = (UsageRecord) o;
    return id.equals(r.id) && time.equals(r.time) && provider.equals(r.provider) && model.equals(r.model)
        && operation.equals(r.operation) && endpoint.equals(r.endpoint) && status == r.status
        && httpStatus == r.httpStatus && inputTokens == r.inputTokens && outputTokens == r.outputTokens
        && cacheReadTokens == r.cacheReadTokens && cacheWriteTokens == r.cacheWriteTokens && cacheWrite1hTokens == r.cacheWrite1hTokens
        && reasoningTokens == r.reasoningTokens && cost.compareTo(r.cost) == 0 && estimated == r.estimated
        && unpriced == r.unpriced && reservation.compareTo(r.reservation) == 0
        && latencyMillis == r.latencyMillis && stream == r.stream && attributes.equals(r.attributes)
        && Objects.equals(requestId, r.requestId);
  }

  @Override
  public int hashCode() {
    return id.hashCode();
  }

  @Override
  public String toString() {
    return "UsageRecord{" + id + ' ' + status.wireName() + ' ' + provider + '/' + model + " in=" + inputTokens
        + " out=" + outputTokens + " cost=" + cost.toPlainString() + '}';
  }

  /** Builds a {@link UsageRecord}; {@code id}, {@code time}, provider, model, operation, endpoint and status are required. */
  public static final class Builder {
    private @Nullable String id;
    private @Nullable Instant time;
    private @Nullable String provider;
    private @Nullable String model;
    private @Nullable String operation;
    private @Nullable String endpoint;
    private @Nullable Status status;
    private int httpStatus;
    private long inputTokens;
    private long outputTokens;
    private long cacheReadTokens;
    private long cacheWriteTokens;
    private long cacheWrite1hTokens;
    private long reasoningTokens;
    private BigDecimal cost = BigDecimal.ZERO;
    private boolean estimated;
    private boolean unpriced;
    private BigDecimal reservation = BigDecimal.ZERO;
    private long latencyMillis;
    private boolean stream;
    private Map<String, String> attributes = Map.of();
    private @Nullable String requestId;

    private Builder() {}

    private Builder(UsageRecord r) {
      id = r.id;
      time = r.time;
      provider = r.provider;
      model = r.model;
      operation = r.operation;
      endpoint = r.endpoint;
      status = r.status;
      httpStatus = r.httpStatus;
      inputTokens = r.inputTokens;
      outputTokens = r.outputTokens;
      cacheReadTokens = r.cacheReadTokens;
      cacheWriteTokens = r.cacheWriteTokens;
      cacheWrite1hTokens = r.cacheWrite1hTokens;
      reasoningTokens = r.reasoningTokens;
      cost = r.cost;
      estimated = r.estimated;
      unpriced = r.unpriced;
      reservation = r.reservation;
      latencyMillis = r.latencyMillis;
      stream = r.stream;
      attributes = r.attributes;
      requestId = r.requestId;
    }

    /** Sets {@link UsageRecord#id()}. */
    public Builder id(String v) { id = v; return this; }
    /** Sets {@link UsageRecord#time()}. */
    public Builder time(Instant v) { time = v; return this; }
    /** Sets {@link UsageRecord#provider()}. */
    public Builder provider(String v) { provider = v; return this; }
    /** Sets {@link UsageRecord#model()}. */
    public Builder model(String v) { model = v; return this; }
    /** Sets {@link UsageRecord#operation()}. */
    public Builder operation(String v) { operation = v; return this; }
    /** Sets {@link UsageRecord#endpoint()}. */
    public Builder endpoint(String v) { endpoint = v; return this; }
    /** Sets {@link UsageRecord#status()}. */
    public Builder status(Status v) { status = v; return this; }
    /** Sets {@link UsageRecord#httpStatus()}. */
    public Builder httpStatus(int v) { httpStatus = v; return this; }
    /** Sets {@link UsageRecord#inputTokens()}. */
    public Builder inputTokens(long v) { inputTokens = v; return this; }
    /** Sets {@link UsageRecord#outputTokens()}. */
    public Builder outputTokens(long v) { outputTokens = v; return this; }
    /** Sets {@link UsageRecord#cacheReadTokens()}. */
    public Builder cacheReadTokens(long v) { cacheReadTokens = v; return this; }
    /** Sets {@link UsageRecord#cacheWriteTokens()}. */
    public Builder cacheWriteTokens(long v) { cacheWriteTokens = v; return this; }
    /** Sets {@link UsageRecord#cacheWrite1hTokens()}. */
    public Builder cacheWrite1hTokens(long v) { cacheWrite1hTokens = v; return this; }
    /** Sets {@link UsageRecord#reasoningTokens()}. */
    public Builder reasoningTokens(long v) { reasoningTokens = v; return this; }
    /** Sets {@link UsageRecord#cost()}. */
    public Builder cost(BigDecimal v) { cost = v; return this; }
    /** Sets {@link UsageRecord#estimated()}. */
    public Builder estimated(boolean v) { estimated = v; return this; }
    /** Sets {@link UsageRecord#unpriced()}. */
    public Builder unpriced(boolean v) { unpriced = v; return this; }
    /** Sets {@link UsageRecord#reservation()}. */
    public Builder reservation(BigDecimal v) { reservation = v; return this; }
    /** Sets {@link UsageRecord#latencyMillis()}. */
    public Builder latencyMillis(long v) { latencyMillis = v; return this; }
    /** Sets {@link UsageRecord#stream()}. */
    public Builder stream(boolean v) { stream = v; return this; }
    /** Sets {@link UsageRecord#attributes()}. */
    public Builder attributes(Map<String, String> v) { attributes = v; return this; }
    /** Sets {@link UsageRecord#requestId()}. */
    public Builder requestId(@Nullable String v) { requestId = v; return this; }

    /** @throws NullPointerException if a required field is missing */
    public UsageRecord build() {
      return new UsageRecord(this);
    }
  }
}
