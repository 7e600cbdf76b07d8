package dev.tollgate.agent.metrics;

import dev.tollgate.api.UsageRecord;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What tells one kind of call from another for the GenAI series: endpoint, provider, operation, the
 * models asked for and answered, status, and the HTTP status of an error (the error type follows
 * from them). The kinds a table holds are never changed; {@link CallKinds} reuses one mutable probe
 * per thread to look a record up without allocating.
 */
public final class CallKind {
  /** The kind the calls past {@link CallKinds#MAX_SERIES} kinds share. */
  public static final CallKind OVERFLOW = overflow();
  private String endpoint;
  private String provider;
  private String operation;
  private @Nullable String requestedModel;
  private String model;
  private UsageRecord.Status status;
  private int httpStatus;
  private int hash;

  @SuppressWarnings("NullAway.Init") // a reusable key: set() fills it before any use
  CallKind() {}

  private static CallKind overflow() {
    CallKind k = new CallKind();
    k.endpoint = "_OTHER";
    k.provider = "_OTHER";
    k.operation = "_OTHER";
    k.model = "unknown";
    k.status = UsageRecord.Status.OK;
    return k;
  }

  CallKind set(UsageRecord r, @Nullable String requestedModel) {
    this.endpoint = r.endpoint();
    this.provider = r.provider();
    this.operation = r.operation();
    this.requestedModel = requestedModel;
    this.model = r.model();
    this.status = r.status();
    this.httpStatus = r.status() == UsageRecord.Status.ERROR ? r.httpStatus() : 0;
    this.hash = ((endpoint.hashCode() * 31 + model.hashCode()) * 31 + Objects.hashCode(requestedModel)) * 31 + status.hashCode() * 7
        + httpStatus;
    return this;
  }

  CallKind copy() {
    CallKind k = new CallKind();
    k.endpoint = endpoint;
    k.provider = provider;
    k.operation = operation;
    k.requestedModel = requestedModel;
    k.model = model;
    k.status = status;
    k.httpStatus = httpStatus;
    k.hash = hash;
    return k;
  }

  public String endpoint() {
    return endpoint;
  }

  public String provider() {
    return provider;
  }

  public String operation() {
    return operation;
  }

  public @Nullable String requestedModel() {
    return requestedModel;
  }

  /** The model the response named; {@code unknown} when it named none. */
  public String model() {
    return model;
  }

  /** {@code error.type} of this kind of call; null for one that succeeded (see {@link GenAi#errorType}). */
  public @Nullable String errorType() {
    return GenAi.errorType(status, httpStatus);
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof CallKind)) {
      return false;
    }
    CallKind k = (CallKind) o;
    return hash == k.hash && status == k.status && httpStatus == k.httpStatus && endpoint.equals(k.endpoint) && model.equals(k.model)
        && provider.equals(k.provider) && operation.equals(k.operation) && Objects.equals(requestedModel, k.requestedModel);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
