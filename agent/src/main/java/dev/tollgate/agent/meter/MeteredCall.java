package dev.tollgate.agent.meter;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.endpoint.Operation;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.pricing.ModelPrice;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.usage.RequestInfo;
import dev.tollgate.agent.usage.Usage;
import dev.tollgate.agent.usage.UsageTap;
import dev.tollgate.agent.wallet.Reservation;
import dev.tollgate.api.BlockedCall;
import dev.tollgate.api.CreditsExhaustedException;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One metered call from reservation to journal record. Settles exactly once, on whichever comes
 * first: the tap seeing the response complete, the end of the body, an error, or the app closing
 * the body early.
 */
final class MeteredCall extends CallHandle {
  private final Meter meter;
  private final Operation op;
  private final String endpoint;
  private final /* @Nullable */ String requestedModel;
  private final /* @Nullable */ ModelPrice price;
  private final RequestInfo request;
  private final Instant time;
  private final long startNanos;
  private final AtomicBoolean settled = new AtomicBoolean();
  private Reservation reservation;
  private /* @Nullable */ UsageTap tap;
  private int httpStatus;
  private /* @Nullable */ String blockedBody;
  private /* @Nullable */ IOException blockedException;

  MeteredCall(Meter meter, Operation op, String endpoint, /* @Nullable */ String requestedModel,
      /* @Nullable */ ModelPrice price, RequestInfo request, Instant time, long startNanos) {
    this.meter = meter;
    this.op = op;
    this.endpoint = endpoint;
    this.requestedModel = requestedModel;
    this.price = price;
    this.request = request;
    this.time = time;
    this.startNanos = startNanos;
  }

  CallHandle proceed(Reservation r) {
    this.reservation = r;
    return this;
  }

  CallHandle block(Reservation r, TollgateConfig.BlockMode mode) {
    this.reservation = r;
    settled.set(true);
    BigDecimal required = Money.fromNanos(r.amountNanos);
    BigDecimal available = Money.fromNanos(r.availableNanos);
    String model = requestedModel == null ? "unknown" : requestedModel;
    String message = "Tollgate blocked this call to " + op.provider() + " (" + model + "): it needs up to "
        + required.toPlainString() + " credits and " + available.toPlainString() + " are available.";
    if (mode == TollgateConfig.BlockMode.EXCEPTION) {
      blockedException = new CreditsExhaustedException(message, required, available);
    } else {
      blockedBody = BlockedResponse.json(message);
    }
    UsageRecord record = base(UsageRecord.Status.BLOCKED).model(model).build();
    meter.recordBlocked(record, new BlockedCall(op.provider(), model, endpoint, required, available));
    return this;
  }

  @Override
  public boolean isBlocked() {
    return blockedBody != null || blockedException != null;
  }

  @Override
  public String blockedBody() {
    return blockedBody;
  }

  @Override
  public IOException blockedException() {
    return blockedException;
  }

  @Override
  public InputStream onResponse(int status, String contentType, InputStream body) {
    try {
      httpStatus = status;
      if (status < 200 || status >= 300 || body == null) {
        settle(status < 200 || status >= 300 ? UsageRecord.Status.ERROR : UsageRecord.Status.OK);
        return null;
      }
      tap = UsageTap.forResponse(op.format(), contentType);
      return new TapInputStream(body, this);
    } catch (RuntimeException | LinkageError e) {
      Log.once("on-response", Log.Level.ERROR, "metering a response failed inside Tollgate; the call goes on unmetered", e);
      settleQuietly(UsageRecord.Status.ERROR);
      return null;
    }
  }

  @Override
  public void onFailure(Throwable error) {
    settleQuietly(UsageRecord.Status.ERROR);
  }

  void onChunk(byte[] b, int off, int len) {
    UsageTap t = tap;
    t.feed(b, off, len);
    if (t.isComplete()) {
      settleQuietly(UsageRecord.Status.OK);
    }
  }

  void onEnd() {
    tap.end();
    settleQuietly(UsageRecord.Status.OK);
  }

  void onStreamError(Exception e) {
    settleQuietly(UsageRecord.Status.CANCELLED);
  }

  void onClose() {
    if (!settled.get()) {
      settleQuietly(tap.hasFinalUsage() ? UsageRecord.Status.OK : UsageRecord.Status.CANCELLED);
    }
  }

  private void settleQuietly(UsageRecord.Status status) {
    try {
      settle(status);
    } catch (RuntimeException | LinkageError e) {
      Log.once("settle", Log.Level.ERROR, "settling a call failed inside Tollgate", e);
    }
  }

  private void settle(UsageRecord.Status status) {
    if (!settled.compareAndSet(false, true)) {
      return;
    }
    UsageRecord.Builder b = base(status).httpStatus(httpStatus);
    long costNanos = status == UsageRecord.Status.ERROR ? 0 : price(b, status);
    meter.wallet.settle(reservation, costNanos);
    meter.record(b.cost(Money.fromNanos(costNanos)).build());
  }

  /** Fills tokens and model; returns the cost in nano-credits. */
  private long price(UsageRecord.Builder b, UsageRecord.Status status) {
    UsageTap t = tap;
    Usage usage;
    boolean estimated = t == null || !t.hasUsage();
    if (estimated) {
      // No usage from the provider: the request's input estimate, and a token per four bytes received.
      long outputBytes = t == null ? 0 : t.bytes();
      usage = Usage.of(request.estimatedInputTokens, (outputBytes + 3) / 4);
    } else {
      usage = t.usage();
    }
    String model = t != null && t.model() != null ? t.model() : requestedModel;
    ModelPrice p = model != null && !model.equals(requestedModel) ? meter.prices.find(model) : price;
    b.model(model == null ? "unknown" : model)
        .inputTokens(usage.input).outputTokens(usage.output)
        .cacheReadTokens(usage.cacheRead).cacheWriteTokens(usage.cacheWrite).reasoningTokens(usage.reasoning)
        .estimated(estimated).requestId(t == null ? null : t.responseId());
    if (usage.providerCostUsd != null) {
      return meter.toCredits(usage.providerCostUsd);
    }
    if (p == null) {
      b.unpriced(true);
      return 0;
    }
    return meter.toCredits(p.costUsd(usage));
  }

  private UsageRecord.Builder base(UsageRecord.Status status) {
    return UsageRecord.builder()
        .id(meter.nextId())
        .time(time)
        .provider(op.provider())
        .model(requestedModel == null ? "unknown" : requestedModel)
        .operation(op.name())
        .endpoint(endpoint)
        .status(status)
        .reservation(Money.fromNanos(reservation.amountNanos))
        .latencyMillis((System.nanoTime() - startNanos) / 1_000_000)
        .stream(request.stream || op.alwaysStreams() || (tap != null && tap.isStream()));
  }
}
