package dev.tollgate.agent.meter;

import dev.tollgate.agent.attribution.Attributes;
import dev.tollgate.agent.attribution.Attribution;
import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.budget.BudgetHold;
import dev.tollgate.agent.budget.BudgetSpec;
import dev.tollgate.agent.budget.Budgets;
import dev.tollgate.agent.budget.Dimensions;
import dev.tollgate.agent.budget.PeriodSpendSource;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.Dispatcher;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.endpoint.EndpointCatalog;
import dev.tollgate.agent.endpoint.EndpointText;
import dev.tollgate.agent.endpoint.Operation;
import dev.tollgate.agent.journal.UsageJournal;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.metrics.MetricsSink;
import dev.tollgate.agent.pricing.ModelPrice;
import dev.tollgate.agent.pricing.PriceCatalog;
import dev.tollgate.agent.pricing.Quoter;
import dev.tollgate.agent.usage.BodyPointers;
import dev.tollgate.agent.usage.RequestInfo;
import dev.tollgate.agent.usage.Usage;
import dev.tollgate.agent.wallet.LedgerBook;
import dev.tollgate.agent.wallet.Reservation;
import dev.tollgate.agent.wallet.Wallet;
import dev.tollgate.api.BlockedCall;
import dev.tollgate.api.UsageRecord;
import dev.tollgate.api.internal.TollgateBackend;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The flow of one call: classify → estimate → reserve (or block) → tap → price → settle → journal
 * → listeners. Every HTTP client's advice goes through here, so the flow exists once.
 */
public final class Meter extends Dispatcher {
  /** Credits for fewer calls than this at their bound: time to load the tokenizer that counts them exactly. */
  private static final long COUNTING_HEADROOM = 64;
  private final EndpointCatalog endpoints;
  final PriceCatalog prices;
  private final Quoter quoter;
  final Wallet wallet;
  private final UsageJournal journal;
  final Listeners listeners;
  private final LowBalanceMonitor lowBalance;
  private final TollgateConfig.Enforce enforce;
  private final TollgateConfig.BlockMode blockMode;
  final Clock clock;
  private final Set<String> unpricedWarned = ConcurrentHashMap.newKeySet();
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicBoolean blockedLogged = new AtomicBoolean();
  private final Attribution attribution;
  private final String idPrefix = Long.toHexString(ThreadLocalRandom.current().nextLong() | Long.MIN_VALUE);

  public Meter(TollgateConfig config, EndpointCatalog endpoints, PriceCatalog prices, Wallet wallet,
      UsageJournal journal, Listeners listeners, LowBalanceMonitor lowBalance, Clock clock) {
    this.endpoints = endpoints;
    this.prices = prices;
    this.wallet = wallet;
    this.journal = journal;
    this.listeners = listeners;
    this.lowBalance = lowBalance;
    this.enforce = config.enforce;
    this.blockMode = config.blockMode;
    this.quoter = new Quoter(prices, config.creditsPerUsd);
    this.attribution = new Attribution(config.attributeRules);
    this.clock = clock;
    this.dataDir = config.dataDir;
    this.budget = config.budget;
  }

  private final java.nio.file.Path dataDir;
  private final java.math.@Nullable BigDecimal budget;
  private volatile java.util.function.Supplier<dev.tollgate.api.ReconciliationDrift> reconcileNow = () -> null;

  /** What {@code Tollgate.reconcile()} runs: the remote wallet's reconciler; nothing for a local wallet. */
  public void reconcileOnDemand(java.util.function.Supplier<dev.tollgate.api.ReconciliationDrift> reconcile) {
    reconcileNow = reconcile;
  }

  private volatile Budgets budgets = new Budgets(java.util.List.of(), java.time.ZoneOffset.UTC, Clock.systemUTC(), PeriodSpendSource.NONE,
      (s, t) -> {});

  /** The period and scoped budgets every call must also fit (none until set). */
  public void useBudgets(Budgets budgets) {
    this.budgets = budgets;
  }

  /** The backend of the application's {@code Tollgate} facade, bound to this meter's wallet and listeners. */
  public TollgateBackend apiBackend() {
    ApiBackend backend = apiBackendWithoutBudgets();
    backend.budgets = () -> budgets.statuses();
    return backend;
  }

  private ApiBackend apiBackendWithoutBudgets() {
    return new ApiBackend(lowBalance, wallet::openReservations, listeners, quoter, query -> {
      try {
        return LedgerBook.page(dataDir, budget, clock.instant(), query);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot read the ledger in " + dataDir + ": " + e.getMessage(), e);
      }
    }, () -> reconcileNow.get());
  }

  @Override
  public @Nullable Object classify(String method, String url) {
    return endpoints.classify(method, url);
  }

  @Override
  public boolean mayMeterHost(String host) {
    return endpoints.mayMeterHost(host);
  }

  @Override
  public String[] attributeHeaders() {
    return attribution.headers();
  }

  @Override
  public Object captureCaller() {
    Object captured = attribution.capture();
    return captured == null ? Hooks.NOTHING_CAPTURED : captured;
  }

  @Override
  public CallHandle begin(Object operation, String url, byte @Nullable [] body, long contentLength) {
    return begin(operation, url, body, contentLength, null, null);
  }

  @Override
  public CallHandle begin(Object operation, String url, byte @Nullable [] body, long contentLength, String @Nullable [] headerValues,
      @Nullable Object caller) {
    return begin(operation, url, body, contentLength, -1, headerValues, caller);
  }

  @Override
  public CallHandle begin(Object operation, String url, byte @Nullable [] body, long contentLength, long maxOutputTokens,
      String @Nullable [] headerValues, @Nullable Object caller) {

    try {
      Object captured = caller == null ? attribution.capture() : caller == Hooks.NOTHING_CAPTURED ? null : caller;
      return start((Operation) operation, url, body, contentLength, maxOutputTokens, headerValues, captured);
    } catch (RuntimeException | LinkageError e) {
      Log.once("begin-failure", Log.Level.ERROR, "metering failed inside Tollgate; calls go on unmetered", e);
      return PassThrough.INSTANCE;
    }
  }

  private CallHandle start(Operation op, String url, byte @Nullable [] body, long contentLength, long maxOutputTokens,
      String @Nullable [] headerValues, @Nullable Object captured) {
    // Gemini and Vertex name the model in the path; an Azure deployment path names the deployment,
    // priced when the catalog (or the pricing file) knows that name, and replaced by the model the
    // response names when the call settles.
    String pathModel = op.endpoint().modelInPath(url);
    BodyPointers pointers = attribution.bodyPointers();
    String[] bodyValues = pointers.isEmpty() || body == null ? null : new String[pointers.size()];
    RequestInfo request = RequestInfo.preflight(op.format(), op.requestKeys(), body, contentLength, pathModel, pointers, bodyValues)
        .boundedBy(maxOutputTokens);
    // Computed once, before the reservation: budgets that match on attributes reserve with these.
    Attributes attributes = attribution.resolve(captured, headerValues, bodyValues);
    String model = request.model != null ? request.model : pathModel;
    Quoter.Quote quote = quoter.quote(op.pricingProvider(), model, request);
    boolean mustFit = enforce == TollgateConfig.Enforce.BLOCK;
    // An input bound is reserved while it fits with room to spare; near the limit the input is
    // counted, so a call is never blocked (or warned about) for the bound's slack.
    if (request.isBound() && enforce != TollgateConfig.Enforce.OFF && wallet.isLimited()) {
      long available = wallet.available();
      if (available < quote.worstCaseNanos) {
        request = request.counted();
        quote = quoter.quote(op.pricingProvider(), model, request);
      } else if (available / COUNTING_HEADROOM < quote.worstCaseNanos) {
        request.prepareCounting(); // the tokenizer loads in the background before it is needed
      }
    }
    if (quote.price == null) {
      warnUnpriced(model);
    }
    Dimensions dimensions = new Dimensions(attributes.asMap(), model, op.provider(), op.name());
    if (enforce == TollgateConfig.Enforce.OFF) {
      BudgetHold counted = budgets.reserve(dimensions, quote.worstCaseNanos, false); // spend still counts toward budgets
      return call(op, url, model, quote, request, attributes).withBudgets(counted).proceed(wallet.unheld(quote.worstCaseNanos));
    }
    BudgetHold hold = budgets.reserve(dimensions, quote.worstCaseNanos, mustFit);
    if (hold.refused() && request.isBound()) {
      // As for the wallet below: a budget refuses a counted input, never the bound's slack.
      request = request.counted();
      quote = quoter.quote(op.pricingProvider(), model, request);
      hold = budgets.reserve(dimensions, quote.worstCaseNanos, mustFit);
    }
    dev.tollgate.api.BudgetStatus refusedBy = hold.refusedBy();
    if (refusedBy != null) {
      return call(op, url, model, quote, request, attributes).blockByBudget(quote.worstCaseNanos, refusedBy, blockMode);
    }

    Reservation reservation = null;
    MeteredCall call;
    try {
      reservation = wallet.reserve(quote.worstCaseNanos, mustFit);
      if (!reservation.granted && request.isBound()) {
        // Other calls took the room between the look and the reservation: count, and ask again.
        request = request.counted();
        quote = quoter.quote(op.pricingProvider(), model, request);
        reservation = wallet.reserve(quote.worstCaseNanos, mustFit);
      }
      call = call(op, url, model, quote, request, attributes).withBudgets(hold);
    } catch (RuntimeException | LinkageError e) {
      // The call goes on unmetered (begin's containment): what was held for it is given back.
      budgets.settle(hold, 0);
      if (reservation != null) {
        wallet.settle(reservation, 0);
      }
      throw e;
    }
    if (!reservation.granted) {
      budgets.settle(hold, 0); // all or nothing: the budgets give back what the wallet refused
      return call.block(reservation, blockMode);
    }
    if (wallet.isLimited() && reservation.availableNanos < quote.worstCaseNanos) {
      Log.once("enforce-warn", Log.Level.WARN,
          "credits are short (tollgate.enforce=warn): calls that would be blocked are let through and recorded", null);
    }
    warnExceeded(hold.exceeded());
    return call.proceed(reservation);
  }

  /** Once per budget as configured (so a budget over many tenants logs once, and the set of keys stays bounded). */
  private static void warnExceeded(@Nullable BudgetSpec exceeded) {
    if (exceeded != null) {
      String budget = exceeded.scope + " " + exceeded.limit.toPlainString() + "/" + exceeded.period.label();
      Log.once("budget-warn " + budget, Log.Level.WARN, "the budget " + budget
          + " is exceeded (tollgate.enforce=warn): calls that would be blocked are let through and recorded", null);
    }
  }

  private MeteredCall call(Operation op, String url, @Nullable String model, Quoter.Quote quote, RequestInfo request,
      Attributes attributes) {
    long startNanos = System.nanoTime();
    op.endpoint().called(startNanos); // what tollgate.unmetered-traffic tells covered connections by
    return new MeteredCall(this, op, EndpointText.of(url), model, quote.price, request, quote.maxOutputTokens,
        clock.instant(), startNanos, attributes);
  }

  /** USD to nano-credits; a cost beyond what a {@code long} holds (absurd max_tokens) saturates, so it is blocked. */
  long toCredits(BigDecimal usd) {
    return quoter.toCredits(usd);
  }

  /** What {@code usage} costs at {@code price}, in nano-credits. */
  long costNanos(ModelPrice price, Usage usage) {
    return quoter.costNanos(price, usage);
  }

  @Override
  public void failed(String site, Throwable t) {
    Log.once("advice-" + site, Log.Level.ERROR, "instrumentation failed at " + site + "; calls there go on unmetered", t);
  }

  private void warnUnpriced(@Nullable String model) {
    String name = model == null ? "(no model in request)" : model;
    if (unpricedWarned.size() < 1000 && unpricedWarned.add(name)) {
      Log.warn("model " + name + " has no price in the catalog: recorded with tokens, flagged unpriced, reserved and charged "
          + "at the fallback price (tollgate.fallback-price); add it with tollgate.pricing-file");
    }
  }

  String nextId() {
    return idPrefix + '-' + Long.toHexString(sequence.incrementAndGet());
  }

  /**
   * Journals a finished call, then settles its reservation, then tells listeners. The record is
   * written first so that nobody (a listener, a balance query, a JVM exiting on that news) can
   * see the money move before the record that explains it exists.
   */
  void record(UsageRecord r, Reservation reservation, BudgetHold hold, long costNanos) {
    record(r, reservation, hold, costNanos, null, 0);
  }

  /** As {@link #record(UsageRecord, Reservation, BudgetHold, long)}, with what only metrics need: the model asked for and the time to the first chunk. */
  void record(UsageRecord r, Reservation reservation, BudgetHold hold, long costNanos, @Nullable String requestedModel,
      long firstChunkNanos) {
    append(r);
    wallet.settle(reservation, costNanos);
    budgets.settle(hold, costNanos);
    measure(r, requestedModel, costNanos, firstChunkNanos);
    listeners.fire(l -> l.onUsage(r));
    lowBalance.check();
  }

  /** What was short and where: what the wallet had available, or what the budget that refused had left. */
  private static String where(BlockedCall blocked) {
    dev.tollgate.api.BudgetStatus b = blocked.budget();
    return b == null ? Money.left(blocked.available(), "are available")
        : Money.left(blocked.available(), "are left in the budget " + BlockedResponse.describe(b))
            + (b.resetsAt() == null ? "" : " (it resets at " + b.resetsAt() + ")");
  }

  /**
   * Journals a blocked call, then tells listeners. The first block is logged at WARN; later ones only at
   * {@code tollgate.log-level=debug}, at DEBUG (a blocked call is policy working, not a fault).
   */
  void recordBlocked(UsageRecord r, BlockedCall blocked) {
    boolean first = blockedLogged.compareAndSet(false, true);
    if (first || Log.isDebug()) {
      String line = "blocked a call to " + blocked.provider() + " (" + blocked.model() + "): it needs up to "
          + Money.plain(blocked.required()) + " credits and " + where(blocked);
      if (first) {
        Log.warn(line + "; later blocks are counted in `tollgate report`, " + (Log.isDebug() ? "and logged at debug level" : "not logged"));
      } else {
        Log.debug(line);
      }
    }
    append(r);
    measure(r, blocked.model(), 0, 0);
    listeners.fire(l -> l.onBlocked(blocked));
  }

  private volatile MetricsSink metrics = MetricsSink.NONE;

  /** Where finished calls are reported for metrics; {@link MetricsSink#NONE} unless an exporter is configured. */
  public void metrics(MetricsSink sink) {
    metrics = sink;
  }

  /** Adds a sink beside those already set (Micrometer's starts when the application loads Micrometer). */
  public synchronized void addMetrics(MetricsSink sink) {
    MetricsSink current = metrics;
    metrics = current == MetricsSink.NONE ? sink : dev.tollgate.agent.metrics.Metrics.both(current, sink);
  }

  private void measure(UsageRecord r, @Nullable String requestedModel, long costNanos, long firstChunkNanos) {
    try {
      metrics.onCall(r, requestedModel, costNanos, firstChunkNanos);
    } catch (RuntimeException | LinkageError e) {
      Log.once("metrics", Log.Level.ERROR, "recording metrics failed inside Tollgate; calls are still metered and journaled", e);
    }
  }

  private void append(UsageRecord r) {
    try {
      journal.append(r);
    } catch (IOException | RuntimeException e) {
      Log.once("journal-append", Log.Level.ERROR, "could not append to the journal; usage is still enforced in memory", e);
    }
  }
}
