package dev.tollgate.agent;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Dispatcher;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.endpoint.EndpointCatalog;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.meter.Meter;
import dev.tollgate.agent.meter.PassThrough;
import dev.tollgate.api.CreditBalance;
import dev.tollgate.api.CreditEstimate;
import dev.tollgate.api.CreditLedgerPage;
import dev.tollgate.api.LedgerQuery;
import dev.tollgate.api.ReconciliationDrift;
import dev.tollgate.api.TollgateListener;
import dev.tollgate.api.internal.TollgateBackend;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;

/**
 * The dispatcher and facade backend while the meter is still being built (prices, wallet, journal:
 * a few hundred milliseconds of start-up the application does not wait for). Calls to URLs that are
 * not metered pass straight through; a metered call waits for the meter, so none leaves unmetered or
 * unreserved. Once the meter is ready it replaces this in {@link Hooks} and the facade.
 */
final class StartingMeter extends Dispatcher {
  private final EndpointCatalog endpoints;
  private final CompletableFuture<Meter> meter;
  /** Counted down by every metered call that arrives before the meter is ready. */
  private final CountDownLatch firstCall;

  StartingMeter(EndpointCatalog endpoints, CompletableFuture<Meter> meter, CountDownLatch firstCall) {
    this.endpoints = endpoints;
    this.meter = meter;
    this.firstCall = firstCall;
  }

  /** Takes over {@link Hooks} and the facade now; hands them to the meter, or to nobody, when its build ends. */
  void install() {
    Hooks.install(this);
    // The facade's backend is its own class: if the application loaded the API itself before a runtime
    // attach, linking a TollgateBackend fails, and that must not take the dispatcher with it.
    AgentInstaller.bindFacade(() -> new Backend(meter.thenApply(Meter::apiBackend)));
    meter.whenComplete((built, failure) -> {
      Hooks.install(built);
      AgentInstaller.bindFacade(() -> built == null ? null : built.apiBackend());
    });
  }

  @Override
  public @Nullable Object classify(String method, String url) {
    return endpoints.classify(method, url);
  }

  @Override
  public CallHandle begin(Object operation, String url, byte @Nullable [] body, long contentLength) {
    Meter m = ready();
    return m == null ? PassThrough.INSTANCE : m.begin(operation, url, body, contentLength);
  }

  @Override
  public CallHandle begin(Object operation, String url, byte @Nullable [] body, long contentLength,
      String @Nullable [] headerValues, @Nullable Object caller) {
    Meter m = ready();
    return m == null ? PassThrough.INSTANCE : m.begin(operation, url, body, contentLength, headerValues, caller);
  }

  @Override
  public CallHandle begin(Object operation, String url, byte @Nullable [] body, long contentLength, long maxOutputTokens,
      String @Nullable [] headerValues, @Nullable Object caller) {
    Meter m = ready();
    return m == null ? PassThrough.INSTANCE : m.begin(operation, url, body, contentLength, maxOutputTokens, headerValues, caller);
  }

  @Override
  public String[] attributeHeaders() {
    Meter m = ready();
    return m == null ? super.attributeHeaders() : m.attributeHeaders();
  }

  @Override
  public Object captureCaller() {
    Meter m = ready();
    return m == null ? super.captureCaller() : m.captureCaller();
  }

  @Override
  public void failed(String site, Throwable t) {
    Log.once("advice-" + site, Log.Level.ERROR, "instrumentation failed at " + site + "; calls there go on unmetered", t);
  }

  /** The meter once built; null if it could not be (that was logged, and calls go on unmetered). */
  private @Nullable Meter ready() {
    // Whatever waits for the meter is a metered call arriving (begin, or attribution's look at its
    // headers or caller first): the test-only hold on the build ends here, whichever comes first.
    firstCall.countDown();
    try {
      return meter.join();
    } catch (CompletionException e) {
      return null;
    }
  }

  /** The facade's backend until the meter is built: each method waits for it. */
  private static final class Backend implements TollgateBackend {
    private final CompletableFuture<TollgateBackend> backend;

    Backend(CompletableFuture<TollgateBackend> backend) {
      this.backend = backend;
    }

    private TollgateBackend backend() {
      try {
        return backend.join();
      } catch (CompletionException e) {
        throw new IllegalStateException("Tollgate could not start metering; see its log line", e.getCause());
      }
    }

    @Override
    public CreditBalance balance() {
      return backend().balance();
    }

    @Override
    public long openReservations() {
      return backend().openReservations();
    }

    @Override
    public void addListener(TollgateListener listener) {
      backend().addListener(listener);
    }

    @Override
    public void removeListener(TollgateListener listener) {
      backend().removeListener(listener);
    }

    @Override
    public CreditEstimate estimate(String model, String input, long maxOutputTokens) {
      return backend().estimate(model, input, maxOutputTokens);
    }

    @Override
    public CreditEstimate estimateRequest(@Nullable String model, String requestJson) {
      return backend().estimateRequest(model, requestJson);
    }

    @Override
    public CreditLedgerPage ledger(LedgerQuery query) {
      return backend().ledger(query);
    }

    @Override
    public ReconciliationDrift reconcile() {
      return backend().reconcile();
    }
  }
}
