package dev.tollgate.agent;

import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.config.ConfigException;
import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.endpoint.EndpointCatalog;
import dev.tollgate.agent.instrument.Instrumentations;
import dev.tollgate.agent.journal.History;
import dev.tollgate.agent.journal.SpendKeys;
import dev.tollgate.agent.journal.Tally;
import dev.tollgate.agent.journal.PrivateFiles;
import dev.tollgate.agent.journal.UsageJournal;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.meter.Listeners;
import dev.tollgate.agent.meter.LowBalanceMonitor;
import dev.tollgate.agent.meter.Meter;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.pricing.PriceCatalog;
import dev.tollgate.agent.pricing.PricingException;
import dev.tollgate.agent.reconcile.DriftThreshold;
import dev.tollgate.agent.reconcile.Reconciler;
import dev.tollgate.agent.usage.TokenCounter;
import dev.tollgate.agent.journal.Reconciliation;
import dev.tollgate.api.ReconciliationDrift;
import dev.tollgate.agent.source.CreditSources;
import dev.tollgate.agent.source.redis.RedisCreditSource;
import dev.tollgate.agent.wallet.BalanceCache;
import dev.tollgate.agent.wallet.LocalCreditSource;
import dev.tollgate.agent.wallet.Wallet;
import dev.tollgate.agent.wallet.WalletState;
import dev.tollgate.api.internal.TollgateBackend;
import dev.tollgate.api.internal.TollgateBinding;
import java.io.IOException;
import java.lang.instrument.Instrumentation;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.ArrayList;
import java.util.List;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Builds the agent from its configuration and installs it. Any problem with the configuration or
 * the data dir ends here with one clear line, and the application runs unmetered.
 */
final class AgentInstaller {
  private AgentInstaller() {}

  static void install(/* @Nullable */ String args, Instrumentation inst) {
    long t0 = System.nanoTime();
    TollgateConfig config;
    ConfigSource source;
    try {
      source = ConfigSource.fromJvm(args);
      config = TollgateConfig.load(source);
    } catch (ConfigException e) {
      Log.error(e.getMessage() + "; Tollgate is not metering, the application runs unmetered", null);
      return;
    }
    Log.setLevel(Log.Level.valueOf(config.logLevel.toUpperCase(Locale.ROOT)));
    TollgateConfig.unknownKeys(source).forEach(Log::warn);
    if (!config.enabled) {
      Log.info("tollgate.enabled=false: not metering");
      return;
    }
    long t1 = System.nanoTime();
    // Only what must be in place before main runs happens here: the hooks (which tell metered URLs from
    // the rest with the endpoint catalog) and a class-name filter. Byte Buddy, prices, wallet and journal
    // build on daemon threads; a metered call made before they are ready waits for them, so none leaves
    // unmetered, and every other call passes straight through.
    try {
      // A data dir that cannot be made, or that others can write to, is known in a few file-system calls:
      // say so before main runs, so the application sees an inactive agent from its first line.
      PrivateFiles.refuseShared(PrivateFiles.privateDirectory(config.dataDir));
    } catch (IOException | RuntimeException e) {
      Log.error("cannot start metering: " + e.getMessage() + "; the application runs unmetered", null);
      return;
    }
    EndpointCatalog endpoints = EndpointCatalog.of(config.endpoints.values());
    CompletableFuture<Meter> meter = CompletableFuture.supplyAsync(() -> build(config, endpoints), AgentInstaller::startDaemon);
    meter.whenComplete((built, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        Log.error("cannot start metering: " + cause.getMessage() + "; the application runs unmetered", null);
      } else {
        Log.debug("metering with data dir " + config.dataDir + "; ready " + ms(System.nanoTime() - t0) + " ms after start-up began");
      }
    });
    new StartingMeter(endpoints, meter).install();
    Instrumentations.install(inst, config.disabledInstrumentations);
    Log.debug("instrumentation installed " + ms(System.nanoTime() - t0) + " ms after start-up began (config " + ms(t1 - t0) + " ms)");
  }

  /**
   * Binds the app's {@code Tollgate} facade ({@code null} unbinds it). If the app loaded its own copy
   * of the API before a runtime attach, the boot-loader copy conflicts with it, and metering must not
   * depend on that.
   */
  static void bindFacade(Supplier</* @Nullable */ TollgateBackend> backend) {
    try {
      TollgateBinding.bind(backend.get());
    } catch (LinkageError e) {
      Log.once("facade-linkage", Log.Level.WARN, "the application loaded dev.tollgate.api before the agent attached; calls are metered, "
          + "but Tollgate.balance() and listeners in the application stay inactive (" + e.getClass().getSimpleName() + ")", null);
    }
  }

  private static void startDaemon(Runnable r) {
    Thread t = new Thread(r, "tollgate-start");
    t.setDaemon(true);
    t.start();
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  private static Meter build(TollgateConfig config, EndpointCatalog endpoints) {
    try {
      return buildOrThrow(config, endpoints);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Meter buildOrThrow(TollgateConfig config, EndpointCatalog endpoints) throws IOException {
    long t0 = System.nanoTime();
    TokenCounter.useTokenizers(config.tokenizer);
    PriceCatalog prices = PriceCatalog.load(config.pricingFile, config.fallbackPrice);
    Log.debug("price catalog loaded in " + ms(System.nanoTime() - t0) + " ms");
    Path dataDir = config.dataDir; // made private and checked before main ran
    List<LocalCreditSource.Spend> history = new ArrayList<>();
    History journalHistory = History.of(dataDir, SpendKeys.NONE);
    // Meter only needs no spend from history: nothing waits for it, the background reads it.
    boolean needsSpend = config.redis != null || config.source != null || config.budget != null || LocalCreditSource.hasGrants(dataDir);
    long recovered = needsSpend ? recoverSpend(journalHistory, history) : 0;
    new WalletState(config.budget, config.lowBalanceIsPercent ? config.lowBalance.toPlainString() + "%" : config.lowBalance.toPlainString())
        .write(dataDir);
    UsageJournal journal = UsageJournal.open(dataDir);
    ScheduledExecutorService background = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tollgate-background");
      t.setDaemon(true);
      return t;
    });
    long syncMillis = config.journalSyncInterval.toMillis();
    background.scheduleWithFixedDelay(journal::sync, syncMillis, syncMillis, TimeUnit.MILLISECONDS);
    // At exit only force what was written: other shutdown hooks and daemon threads may still finish
    // calls, and their records must still be appended. The OS closes the file with the process.
    Runtime.getRuntime().addShutdownHook(new Thread(journal::sync, "tollgate-shutdown"));
    keepHistory(journalHistory, config.journalRetentionDays);

    Wallet wallet = new Wallet(recovered, balanceFactory(config, dataDir, history, background));
    // Checked on config first: resolving RedisCreditSource loads Jedis, which a local wallet never needs.
    if (config.redis != null && wallet.balanceCache() != null && wallet.balanceCache().source() instanceof RedisCreditSource) {
      ((RedisCreditSource) wallet.balanceCache().source()).countReservations(wallet::reservedNanos);
    }
    Listeners listeners = new Listeners();
    LowBalanceMonitor lowBalance = new LowBalanceMonitor(wallet, threshold(config), listeners);
    Reconciler reconciler = startReconciler(config, wallet, journal, listeners, background);
    Meter meter = new Meter(config, endpoints, prices, wallet, journal, listeners, lowBalance, Clock.systemUTC());
    if (reconciler != null) {
      meter.reconcileOnDemand(() -> {
        Reconciliation r = reconciler.reconcile();
        return r == null ? null : new ReconciliationDrift(r.source, r.windowStart, r.windowEnd, r.remote, r.local);
      });
    }
    return meter;
  }

  /** Reconciles a remote wallet every {@code tollgate.reconcile-interval}; the local wallet has nothing to reconcile with. */
  private static /* @Nullable */ Reconciler startReconciler(TollgateConfig config, Wallet wallet, UsageJournal journal, Listeners listeners,
      ScheduledExecutorService background) {
    BalanceCache cache = wallet.balanceCache();
    if (config.source == null || cache == null) {
      return null;
    }
    Reconciler reconciler = new Reconciler(cache.source(), cache::offer, cache::unreadable, journal::append, new DriftThreshold(config.driftThreshold, config.driftThresholdIsPercent),
        drift -> listeners.fire(l -> l.onDrift(drift)), Clock.systemUTC());
    reconciler.start(background, config.reconcileInterval);
    return reconciler;
  }

  /** The cached balance of the configured wallet; null for a local wallet without a budget (meter only). */
  private static /* @Nullable */ Function<LongSupplier, BalanceCache> balanceFactory(TollgateConfig config, Path dataDir,
      List<LocalCreditSource.Spend> history, ScheduledExecutorService background) throws IOException {
    if (config.redis != null) {
      return spent -> sharedWallet(config, spent, background);
    }
    if (config.source != null) {
      return spent -> {
        BalanceCache cache = new BalanceCache(CreditSources.remote(config, spent, Clock.systemUTC()), config.balanceRefresh,
            config.balanceMaxStaleness, config.onSourceFailure, spent, background, System::nanoTime);
        cache.prefetch();
        return cache;
      };
    }
    if (config.budget == null && !LocalCreditSource.hasGrants(dataDir)) {
      return null; // meter only
    }
    long budget = config.budget == null ? -1 : Money.toNanos(config.budget);
    return spent -> {
      try {
        return new BalanceCache(new LocalCreditSource(dataDir, budget, spent, Clock.systemUTC(), history), config.balanceRefresh, background);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    };
  }

  /**
   * A lease of the shared Redis wallet: refreshed (spend reported, lease renewed) every
   * balance-refresh even while no call reads it, so a live JVM's lease never lapses, and given back
   * at exit.
   */
  private static BalanceCache sharedWallet(TollgateConfig config, LongSupplier spent, ScheduledExecutorService background) {
    long fund = config.budget == null ? -1 : Money.toNanos(config.budget);
    RedisCreditSource source = RedisCreditSource.open(config.redis, fund, config.sourceTimeout, spent);
    BalanceCache cache = new BalanceCache(source, config.balanceRefresh, config.balanceMaxStaleness, config.onSourceFailure, spent, background,
        System::nanoTime);
    cache.prefetch();
    long millis = config.balanceRefresh.toMillis();
    background.scheduleWithFixedDelay(cache::prefetch, millis, millis, TimeUnit.MILLISECONDS);
    Runtime.getRuntime().addShutdownHook(new Thread(source::release, "tollgate-redis-release"));
    return cache;
  }

  private static long threshold(TollgateConfig config) {
    if (!config.lowBalanceIsPercent) {
      return Money.toNanos(config.lowBalance);
    }
    BigDecimal budget = config.budget == null ? BigDecimal.ZERO : config.budget;
    return Money.toNanos(budget.multiply(config.lowBalance).movePointLeft(2));
  }

  /** The journal's spend, from its checkpoint and the records past it; each hour's spend as one entry of {@code history}. */
  private static long recoverSpend(History journalHistory, List<LocalCreditSource.Spend> history) throws IOException {
    Tally tally = journalHistory.recover();
    tally.forEachHour((at, nanos) -> history.add(new LocalCreditSource.Spend(at, nanos)));
    if (journalHistory.skipped() > 0) {
      Log.warn("journal: skipped " + journalHistory.skipped() + " unreadable line(s) (a torn last write is expected after a crash)");
    }
    return tally.spentNanos();
  }

  /** Saves the checkpoint, rolls past days up and applies the retention every minute, on a thread of its own. */
  private static void keepHistory(History journalHistory, int retentionDays) {
    ScheduledExecutorService upkeep = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "tollgate-history");
      t.setDaemon(true);
      t.setPriority(Thread.MIN_PRIORITY);
      return t;
    });
    upkeep.scheduleWithFixedDelay(() -> {
      try {
        journalHistory.maintain(LocalDate.now(ZoneOffset.UTC), retentionDays);
      } catch (IOException | RuntimeException e) {
        Log.once("journal-upkeep", Log.Level.WARN, "journal checkpoint, rollups or retention failed; retried every minute", e);
      }
    }, 5, 60, TimeUnit.SECONDS);
  }
}
