package dev.tollgate.agent.meter;

import dev.tollgate.agent.attribution.Attributes;
import dev.tollgate.agent.bootstrap.AppThreads;
import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import dev.tollgate.agent.budget.BudgetHold;
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
import dev.tollgate.api.BudgetStatus;
import dev.tollgate.api.CreditsExhaustedException;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.io.InputStream;
import java.lang.ref.Cleaner;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;

/**
 * One metered call from reservation to journal record. Settles exactly once, on whichever comes
 * first: the tap seeing the response complete, the end of the body, an error, the app closing the
 * body early, or the body becoming unreachable without being closed (a {@link Cleaner} settles it
 * then, so an abandoned response never holds its reservation forever). What is watched is what
 * the application alone holds: the {@link TapInputStream} it reads a body through (OkHttp), or the
 * {@link PulledInputStream} over a stream the client fills and holds itself (the JDK client).
 *
 * <p>Reading and closing may happen on different threads: the body's events are serialised on this
 * object, uncontended in the normal case of one reading thread.
 */
final class MeteredCall extends CallHandle {
  private static final Cleaner ABANDONED = Cleaner.create(r -> AppThreads.daemon(r, "tollgate-cleaner"));

  private final Meter meter;
  private final Operation op;
  private final String endpoint;
  private final @Nullable String requestedModel;
  private final @Nullable ModelPrice price;
  private final RequestInfo request;
  private final long maxOutputTokens;
  private final Instant time;
  private final long startNanos;
  private final Attributes attributes;
  private final AtomicBoolean settled = new AtomicBoolean();
  /**
   * The watch on the body for the case the app drops it unclosed: given up once the call is settled,
   * so a settled call leaves the garbage collector and the cleaner's thread nothing to do.
   */
  private volatile Cleaner.@Nullable Cleanable abandonment;
  @SuppressWarnings("NullAway.Init") // set by proceed or a block, which every caller chains to the constructor
  private Reservation reservation;
  private BudgetHold budgetHold = BudgetHold.NONE;
  private @Nullable UsageTap tap;
  private int httpStatus;
  /** When the body's first bytes arrived ({@link System#nanoTime}), 0 before: a stream's time to first chunk. */
  private long firstChunkAt;
  /** Token counts the response's headers gave (Bedrock), -1 without. */
  private long headerInput = -1;
  private long headerOutput = -1;
  private @Nullable String blockedBody;
  private @Nullable IOException blockedException;

  MeteredCall(Meter meter, Operation op, String endpoint, @Nullable String requestedModel,
      @Nullable ModelPrice price, RequestInfo request, long maxOutputTokens, Instant time, long startNanos,
      Attributes attributes) {
    this.attributes = attributes;
    this.meter = meter;
    this.op = op;
    this.endpoint = endpoint;
    this.requestedModel = requestedModel;
    this.price = price;
    this.request = request;
    this.maxOutputTokens = maxOutputTokens;
    this.time = time;
    this.startNanos = startNanos;
  }

  /** The call's attributes, computed once when it started. */
  Attributes attributes() {
    return attributes;
  }

  CallHandle proceed(Reservation r) {
    this.reservation = r;
    return this;
  }

  /** The budgets this call reserved on, settled with it. */
  MeteredCall withBudgets(BudgetHold hold) {
    this.budgetHold = hold;
    return this;
  }

  CallHandle block(Reservation r, TollgateConfig.BlockMode mode) {
    this.reservation = r;
    BigDecimal available = Money.fromNanos(r.availableNanos);
    return block(r.amountNanos, available, null, " credits and " + Money.left(available, "are available") + ".", mode);
  }

  /** Blocked by a budget: the message and the 402 body name it, what it has left and when it resets. */
  CallHandle blockByBudget(long amountNanos, BudgetStatus budget, TollgateConfig.BlockMode mode) {
    this.reservation = Reservation.none(amountNanos);
    String reset = budget.resetsAt() == null ? "" : "; it resets at " + budget.resetsAt();
    return block(amountNanos, budget.remaining(), budget, " credits and the budget " + BlockedResponse.describe(budget) + " has "
        + Money.left(budget.remaining(), "of " + Money.plain(budget.limit()) + " left") + reset + ".", mode);
  }

  private CallHandle block(long amountNanos, BigDecimal available, @Nullable BudgetStatus budget, String why,
      TollgateConfig.BlockMode mode) {
    settled.set(true);
    BigDecimal required = Money.fromNanos(amountNanos);
    String model = requestedModel == null ? "unknown" : requestedModel;
    String message = "Tollgate blocked this call to " + op.provider() + " (" + model + "): it needs up to "
        + required.toPlainString() + why;
    if (mode == TollgateConfig.BlockMode.EXCEPTION) {
      blockedException = new CreditsExhaustedException(message, required, available, budget);
    } else {
      blockedBody = BlockedResponse.json(message, budget);
    }
    // The status the application saw: the synthetic 402, or none when the call threw instead.
    UsageRecord record = base(UsageRecord.Status.BLOCKED).model(model).httpStatus(blockedBody != null ? 402 : 0).build();
    meter.recordBlocked(record, new BlockedCall(op.provider(), model, endpoint, required, available, budget));
    return this;
  }

  @Override
  public boolean isBlocked() {
    return blockedBody != null || blockedException != null;
  }

  @Override
  public @Nullable String blockedBody() {
    return blockedBody;
  }

  @Override
  public @Nullable IOException blockedException() {
    return blockedException;
  }

  @Override
  public @Nullable InputStream onResponse(ResponseInfo response, @Nullable InputStream body) {
    if (!onResponseStart(response)) {
      return null;
    }
    if (body == null) {
      onBodyEnd(); // a 2xx without a body: nothing to read, settle with what the request says
      return null;
    }
    TapInputStream stream = new TapInputStream(body, this);
    watch(stream);
    return stream;
  }

  @Override
  public InputStream onPulledBody(InputStream body) {
    InputStream watched = new PulledInputStream(body);
    watch(watched);
    return watched;
  }

  @Override
  public boolean onResponseStart(ResponseInfo response) {
    try {
      int status = response.status();
      httpStatus = status;
      if (status < 200 || status >= 300) {
        settle(UsageRecord.Status.ERROR);
        return false;
      }
      tap = UsageTap.forResponse(op.format(), response.contentType(), response.contentEncoding(), response.contentLength());
      return true;
    } catch (RuntimeException | LinkageError e) {
      Log.once("on-response", Log.Level.ERROR, "metering a response failed inside Tollgate; the call goes on unmetered", e);
      settleQuietly(UsageRecord.Status.ERROR);
      return false;
    }
  }

  @Override
  public void onUsageHeaders(long inputTokens, long outputTokens) {
    headerInput = inputTokens;
    headerOutput = outputTokens;
  }

  @Override
  public void onFailure(@Nullable Throwable error) {
    settleQuietly(UsageRecord.Status.ERROR);
  }

  @Override
  public synchronized void onBodyChunk(byte[] b, int off, int len) {
    if (settled.get()) {
      return;
    }
    if (firstChunkAt == 0) {
      firstChunkAt = System.nanoTime();
    }
    UsageTap t = Objects.requireNonNull(tap, "onBodyChunk before onResponseStart");
    t.feed(b, off, len);
    if (t.isComplete()) {
      settleQuietly(t.providerFailed() ? UsageRecord.Status.ERROR : UsageRecord.Status.OK);
    }
  }

  /** End of body: a stream that ends before its terminal event or final usage was interrupted. */
  @Override
  public synchronized void onBodyEnd() {
    if (!settled.get()) {
      UsageTap t = Objects.requireNonNull(tap, "onBodyEnd before onResponseStart");
      t.end();
      // A stream that ends before its terminal event was cut short; one whose tap failed is not
      // known to have been, and its body did end normally.
      boolean interrupted = t.isStream() && !t.failed() && !t.isComplete() && !t.hasFinalUsage();
      settleQuietly(interrupted ? UsageRecord.Status.CANCELLED : UsageRecord.Status.OK);
    }
  }

  @Override
  public synchronized void onBodyError(Throwable e) {
    settleQuietly(UsageRecord.Status.CANCELLED);
  }

  synchronized void onClose() {
    if (!settled.get()) {
      UsageTap t = Objects.requireNonNull(tap, "onClose before onResponseStart");
      settleQuietly(t.hasFinalUsage() ? UsageRecord.Status.OK : UsageRecord.Status.CANCELLED);

    }
  }

  /** The app dropped the body without closing it: settle with what was read. Runs on the cleaner thread. */
  private void onAbandoned() {
    onClose();
  }

  private void watch(InputStream body) {
    abandonment = ABANDONED.register(body, this::onAbandoned);
    if (settled.get()) { // settled while it was being registered: give the watch up here
      unwatch();
    }
  }

  /** Whether the body is watched for being dropped unclosed (until the call is settled). */
  boolean watched() {
    return abandonment != null;
  }

  /** Gives up the watch on the body: its cleanup runs here, at once, and finds the call settled. */
  private void unwatch() {
    Cleaner.Cleanable watch = abandonment;
    if (watch != null) {
      abandonment = null;
      watch.clean();
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
    // An error costs nothing unless the provider reported usage for it (a failed response can bill).
    boolean billed = status != UsageRecord.Status.ERROR || (tap != null && tap.hasUsage());
    long costNanos = billed ? price(b, status) : 0;
    UsageRecord record = b.cost(Money.fromNanos(costNanos)).build();
    try {
      meter.record(record, reservation, budgetHold, costNanos, requestedModel,
          record.stream() && firstChunkAt != 0 ? firstChunkAt - startNanos : 0);
    } finally {
      unwatch();
    }
  }

  /** Fills tokens and model; returns the cost in nano-credits. */
  private long price(UsageRecord.Builder b, UsageRecord.Status status) {
    UsageTap t = tap;
    Usage usage;
    // Usage read before the body turned out malformed (an error page spliced in) is not to be trusted.
    boolean estimated = t == null || !t.hasUsage() || (t.failed() && !t.hasFinalUsage());
    if (estimated && headerInput >= 0 && status == UsageRecord.Status.OK) {
      estimated = false; // the provider counted it in the headers (Bedrock's InvokeModel)
      usage = Usage.of(headerInput, Math.max(headerOutput, 0));
    } else if (estimated || t == null) { // t == null is estimated: said again for the null checker
      warnNoUsage(t, status);

      // No usage from the provider: the request's input estimate, and a token per four bytes
      // received, never more than the call could have produced (stream framing inflates the bytes).
      long outputBytes = t == null ? 0 : t.bytes();
      usage = Usage.of(request.counted().estimatedInputTokens, Math.min((outputBytes + 3) / 4, maxOutputTokens));
    } else {
      usage = t.usage();
    }
    String model = t != null && t.model() != null ? t.model() : requestedModel;
    ModelPrice p = model != null && !model.equals(requestedModel) ? meter.prices.find(op.pricingProvider(), model) : null;
    p = p != null ? p : price;
    b.model(model == null ? "unknown" : model)
        .inputTokens(usage.input).outputTokens(usage.output)
        .cacheReadTokens(usage.cacheRead).cacheWriteTokens(usage.cacheWrite).cacheWrite1hTokens(usage.cacheWrite1h)
        .reasoningTokens(usage.reasoning)
        .estimated(estimated).requestId(t == null ? null : t.responseId());
    if (usage.providerCostUsd != null) {
      return meter.toCredits(usage.providerCostUsd);
    }
    if (p == null) {
      // An unknown model must still run the budget down, or a new model name bypasses the cap.
      b.unpriced(true);
      p = meter.prices.fallback();
    }
    return meter.costNanos(p, usage);
  }

  /** A whole JSON answer without usage (empty, or not the provider's shape) is estimated: say so once per provider. */
  private void warnNoUsage(@Nullable UsageTap t, UsageRecord.Status status) {
    if (status == UsageRecord.Status.OK && t != null && !t.failed() && !t.isStream()) {
      Log.once("no-usage-" + op.provider(), Log.Level.WARN, "a response from " + op.provider() + " to " + endpoint
          + " carried no usage (an empty body or not the provider's JSON); its cost is estimated from the request and the bytes received",
          null);
    }
  }

  private UsageRecord.Builder base(UsageRecord.Status status) {
    return UsageRecord.builder()
        .id(meter.nextId())
        .time(time)
        .provider(op.provider())
        .model(requestedModel == null ? "unknown" : requestedModel)
        .operation(op.name())
        .attributes(attributes.asMap())
        .endpoint(endpoint)
        .status(status)
        .reservation(Money.fromNanos(reservation.amountNanos))
        .latencyMillis((System.nanoTime() - startNanos) / 1_000_000)
        .stream(request.stream || op.alwaysStreams() || (tap != null && tap.isStream()));
  }
}
