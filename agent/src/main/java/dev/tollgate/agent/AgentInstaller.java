package dev.tollgate.agent;

import dev.tollgate.agent.alert.AlertListener;
import dev.tollgate.agent.alert.Alerts;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.budget.BudgetSpec;
import dev.tollgate.agent.budget.Budgets;
import dev.tollgate.agent.budget.SharedBudgets;
import dev.tollgate.agent.budget.BudgetsFile;
import dev.tollgate.agent.budget.BudgetsFileWatcher;
import dev.tollgate.agent.budget.JournalPeriodSpend;
import dev.tollgate.agent.meter.BudgetAlerts;
import dev.tollgate.agent.config.ConfigException;
import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.endpoint.EndpointCatalog;
import dev.tollgate.agent.instrument.net.UnmeteredTrafficFile;
import dev.tollgate.agent.instrument.net.UnmeteredTrafficGuard;
import dev.tollgate.agent.instrument.Instrumentations;
import dev.tollgate.agent.journal.History;
import dev.tollgate.agent.journal.SpendKeys;
import dev.tollgate.agent.journal.Tally;
import dev.tollgate.agent.journal.FileProblems;
import dev.tollgate.agent.journal.PrivateFiles;
import dev.tollgate.agent.journal.UsageJournal;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.meter.Listeners;
import dev.tollgate.agent.meter.LowBalanceMonitor;
import dev.tollgate.agent.meter.Meter;
import dev.tollgate.agent.metrics.Gauges;
import dev.tollgate.agent.metrics.Metrics;
import dev.tollgate.agent.metrics.UnmeteredConnections;
import dev.tollgate.agent.metrics.micrometer.Micrometer;
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
import dev.tollgate.agent.wallet.CreditSource;
import dev.tollgate.agent.wallet.HostCreditSource;
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
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * Builds the agent from its configuration and installs it. Any problem with the configuration or
 * the data dir ends here with one clear line, and the application runs unmetered.
 */
final class AgentInstaller {
  private AgentInstaller() {}

  static void install(@Nullable String args, Instrumentation inst) {
    long t0 = System.nanoTime();
    TollgateConfig config;
    ConfigSource source;
    try {
      source = ConfigSource.fromJvm(args);
    } catch (ConfigException e) {
      Log.error(e.getMessage() + "; Tollgate is not metering, the application runs unmetered", null);
      return;
    }
    try {
      config = TollgateConfig.load(source);
    } catch (ConfigException e) {
      Log.error(e.describe(source) + "; Tollgate is not metering, the application runs unmetered", null);
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
      PrivateFiles.usableDataDir(config.dataDir);
    } catch (IOException | RuntimeException e) {
      Log.error("cannot start metering: " + e.getMessage() + "; the application runs unmetered", null);
      return;
    }
    EndpointCatalog endpoints = EndpointCatalog.of(config.endpoints.values());
    // What tollgate.unmetered-traffic counts, for the metrics and (saved in the data dir) doctor.
    UnmeteredTrafficFile unmetered = UnmeteredTrafficFile.of(config.dataDir, new UnmeteredConnections());
    CountDownLatch firstCall = new CountDownLatch(1);
    CompletableFuture<Meter> meter = CompletableFuture.supplyAsync(() -> {
      holdUntilFirstCallIfAsked(firstCall);
      return build(config, endpoints, unmetered);
    }, AgentInstaller::startDaemon);
    meter.whenComplete((built, failure) -> {
      if (failure != null) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        Log.error("cannot start metering: " + FileProblems.describe(cause) + "; the application runs unmetered", null);
      } else {
        Log.debug("metering with data dir " + config.dataDir + "; ready " + ms(System.nanoTime() - t0) + " ms after start-up began");
        if (config.metrics.enabled()) {
          Metrics.startExporters(); // after the meter is ready: the OpenTelemetry SDK's start is not on its path
        }
      }
    });
    new StartingMeter(endpoints, meter, firstCall).install();
    Set<String> disabled = config.disabledInstrumentations;
    if (config.unmeteredTraffic == TollgateConfig.UnmeteredTraffic.OFF) {
      disabled = new HashSet<>(disabled);
      disabled.add(Instrumentations.UNMETERED_TRAFFIC);
    } else {
      Hooks.install(new UnmeteredTrafficGuard(endpoints, config.unmeteredTraffic, disabled, unmetered.connections()));
      atExit("tollgate-unmetered-traffic", unmetered); // from the start: a JVM may end before the meter is built
    }
    if (config.metrics.micrometer) {
      Micrometer.watch(inst);
    }
    Instrumentations.install(inst, disabled, config.unmeteredTraffic == TollgateConfig.UnmeteredTraffic.BLOCK);
    Log.debug("instrumentation installed " + ms(System.nanoTime() - t0) + " ms after start-up began (config " + ms(t1 - t0) + " ms)");
  }

  /**
   * Binds the app's {@code Tollgate} facade ({@code null} unbinds it). If the app loaded its own copy
   * of the API before a runtime attach, the boot-loader copy conflicts with it, and metering must not
   * depend on that.
   */
  static void bindFacade(Supplier<@Nullable TollgateBackend> backend) {
    try {
      TollgateBinding.bind(backend.get());
    } catch (LinkageError e) {
      Log.once("facade-linkage", Log.Level.WARN, "the application loaded dev.tollgate.api before the agent attached; calls are metered, "
          + "but Tollgate.balance() and listeners in the application stay inactive (" + e.getClass().getSimpleName() + ")", null);
    }
  }

  /**
   * Test-only ({@code -Dtollgate.internal.start-after-first-call=true}): the meter's build waits until
   * a metered call has arrived, so a test proves that a call made before the meter is ready (in the
   * first millisecond, or in a shutdown hook after {@code main} returned) is still metered.
   */
  private static void holdUntilFirstCallIfAsked(CountDownLatch firstCall) {
    if (Boolean.getBoolean("tollgate.internal.start-after-first-call")) {
      try {
        firstCall.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Runs {@code action} when the JVM exits. The meter may be built after the JVM began to shut down
   * (a {@code main} that returned at once, a call from the application's own shutdown hook): then no
   * hook can be added, and metering goes on without it, since calls are still being made. What the
   * hook would have done then happens otherwise: journal lines are already with the operating system
   * (each append is a {@code write(2)}), and a Redis lease not given back lapses after its TTL.
   */
  static void atExit(String name, Runnable action) {
    try {
      Runtime.getRuntime().addShutdownHook(new Thread(action, name));
    } catch (IllegalStateException shutdownInProgress) {
      Log.debug("the JVM is already shutting down: " + name + " is not registered, metering goes on");
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

  private static Meter build(TollgateConfig config, EndpointCatalog endpoints, UnmeteredTrafficFile unmetered) {
    try {
      return buildOrThrow(config, endpoints, unmetered);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Meter buildOrThrow(TollgateConfig config, EndpointCatalog endpoints, UnmeteredTrafficFile unmetered)
      throws IOException {
    long t0 = System.nanoTime();
    if (config.alert != null) {
      Alerts.install(config.alert); // before the wallet: its first read of a credit source may already fail
    }
    TokenCounter.useTokenizers(config.tokenizer);
    PriceCatalog prices = PriceCatalog.load(config.pricingFile, config.fallbackPrice);
    Log.debug("price catalog loaded in " + ms(System.nanoTime() - t0) + " ms");
    Path dataDir = config.dataDir; // made private and checked before main ran
    // Before the journal is read: which JVMs sharing the local wallet had already died (HostCreditSource.probe).
    HostCreditSource.Start shared = config.redis == null && config.source == null ? probeShared(dataDir) : null;
    List<LocalCreditSource.Spend> history = new ArrayList<>();
    List<BudgetSpec> budgetSpecs = budgetSpecs(config);
    Instant startedAt = Clock.systemUTC().instant();
    JournalPeriodSpend periodSpend = Budgets.journalSpend(budgetSpecs, config.budgets.zone, startedAt, budgetStateDir(dataDir));
    History journalHistory = History.of(dataDir, SpendKeys.NONE);
    // Meter only needs no spend from history: nothing waits for it, the background reads it.
    boolean needsSpend = config.redis != null || config.source != null || config.budget != null || LocalCreditSource.hasGrants(dataDir);
    long recovered = needsSpend ? recoverSpend(journalHistory, history) : 0;
    periodSpend.recover(dataDir);
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
    atExit("tollgate-shutdown", journal::sync);
    // Budgets need no daily file of a past day: they recover from its rollup, which retention keeps.
    keepHistory(journalHistory, config.journalRetentionDays);
    if (config.unmeteredTraffic != TollgateConfig.UnmeteredTraffic.OFF) {
      // For doctor, in another JVM: saved off the connections' path, when one was counted.
      background.scheduleWithFixedDelay(unmetered, 0, UnmeteredTrafficFile.SAVE_SECONDS, TimeUnit.SECONDS);
    }

    Wallet wallet = new Wallet(recovered, balanceFactory(config, dataDir, history, shared, background));
    if (wallet.balanceCache() != null) {
      CreditSource source = wallet.balanceCache().source();
      source.countReservations(wallet::reservedNanos);
      source.countInFlight(wallet::inFlightNanos);
      LongConsumer mirror = source.spendMirror();
      if (mirror != null) {
        wallet.mirrorSpend(mirror);
      }
    }
    Listeners listeners = new Listeners();
    Budgets budgets = new Budgets(budgetSpecs, config.budgets.zone, Clock.systemUTC(), periodSpend, new BudgetAlerts(listeners));
    SharedBudgets sharedBudgets = wallet.balanceCache() == null ? null : wallet.balanceCache().source().sharedBudgets();
    if (sharedBudgets != null) {
      budgets.share(sharedBudgets); // every JVM on the wallet, one budget
    }
    watchBudgets(config, budgets, background);
    if (config.alert != null) {
      listeners
          .add(new AlertListener(config.lowBalanceIsPercent ? config.lowBalance.toPlainString() + "%" : config.lowBalance.toPlainString()));
    }
    LowBalanceMonitor lowBalance = new LowBalanceMonitor(wallet, threshold(config), listeners);
    Reconciler reconciler = startReconciler(config, wallet, journal, listeners, background);
    Meter meter = new Meter(config, endpoints, prices, wallet, journal, listeners, lowBalance, Clock.systemUTC());
    meter.useBudgets(budgets);
    if (config.metrics.enabled() || config.metrics.micrometer) {
      startMetrics(config, wallet, meter, budgets, unmetered.connections());
    }
    if (reconciler != null) {
      meter.reconcileOnDemand(() -> {
        Reconciliation r = reconciler.reconcile();
        return r == null ? null : new ReconciliationDrift(r.source, r.windowStart, r.windowEnd, r.remote, r.local);
      });
    }
    return meter;
  }

  /** Metrics exporters (tollgate.metrics.*); a failure to start them leaves calls metered, without metrics. */
  /** Budget series {@code tollgate.budget.remaining} shows at most; {@code tollgate budgets} lists them all. */
  private static final int MAX_BUDGET_SERIES = 1000;

  private static void startMetrics(TollgateConfig config, Wallet wallet, Meter meter, Budgets budgets,
      UnmeteredConnections unmetered) {
    try {
      Gauges gauges = new Gauges(wallet, config.budget != null);
      gauges.unmetered(unmetered);
      // One series per budget and scope beside tollgate.budget's ("default"), named as a block names it
      // ("{tenant=acme} per day"); at most MAX_BUDGET_SERIES, so a tenant.* budget over many tenants cannot
      // flood the metrics backend. Read at each collection, so budgets a reloaded budgets file adds show too.
      gauges.budgets(out -> {
        int n = 0;
        for (dev.tollgate.api.BudgetStatus b : budgets.statuses()) {
          if (n++ == MAX_BUDGET_SERIES) {
            break;
          }
          out.budget(BudgetAlerts.name(b), Money.toNanos(b.remaining()));
        }
      });
      if (config.metrics.enabled()) {
        meter.addMetrics(Metrics.start(config.metrics, gauges, String.valueOf(AgentInstaller.class.getPackage()
            .getImplementationVersion())));
      }
      if (config.metrics.micrometer) {
        Micrometer.start(config.metrics.attributes, gauges, meter::addMetrics);
      }
    } catch (Exception | LinkageError e) {
      Log.error("cannot start metrics: " + e + "; calls are metered and journaled, without metrics", null);
    }
  }

  /** Reconciles a remote wallet every {@code tollgate.reconcile-interval}; the local wallet has nothing to reconcile with. */
  private static @Nullable Reconciler startReconciler(TollgateConfig config, Wallet wallet, UsageJournal journal, Listeners listeners,
      ScheduledExecutorService background) {
    BalanceCache cache = wallet.balanceCache();
    if (config.source == null || cache == null) {
      return null;
    }
    Reconciler reconciler = new Reconciler(cache.source(), cache::offer, cache::unreadable, journal::append,
        new DriftThreshold(config.driftThreshold, config.driftThresholdIsPercent),
        drift -> listeners.fire(l -> l.onDrift(drift)), Clock.systemUTC());
    reconciler.start(background, config.reconcileInterval);
    return reconciler;
  }

  /** The cached balance of the configured wallet; null for a local wallet without a budget (meter only). */
  private static @Nullable Function<LongSupplier, BalanceCache> balanceFactory(TollgateConfig config, Path dataDir,
      List<LocalCreditSource.Spend> history, HostCreditSource.@Nullable Start shared, ScheduledExecutorService background)
      throws IOException {
    TollgateConfig.RedisSetting redis = config.redis;
    if (redis != null) {
      return spent -> sharedWallet(config, redis, spent, background);
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
    return spent -> localWallet(config, dataDir, budget, spent, history, shared, background);
  }

  /**
   * The local wallet, shared through leases with every JVM on the same data dir, reported and
   * renewed every balance-refresh; a wallet of this JVM's own (as before) where the data dir cannot
   * hold the shared files.
   */
  private static BalanceCache localWallet(TollgateConfig config, Path dataDir, long budget, LongSupplier spent,
      List<LocalCreditSource.Spend> history, HostCreditSource.@Nullable Start shared, ScheduledExecutorService background) {
    try {
      if (shared == null) {
        throw new IOException("its shared state could not be read");
      }
      HostCreditSource host = HostCreditSource.open(shared, dataDir, budget, spent, Clock.systemUTC(), history, config.sourceTimeout);
      BalanceCache cache = new BalanceCache(host, config.balanceRefresh, config.balanceMaxStaleness, config.onSourceFailure, spent,
          background,
          System::nanoTime);
      cache.prefetch();
      long millis = config.balanceRefresh.toMillis();
      background.scheduleWithFixedDelay(cache::prefetch, millis, millis, TimeUnit.MILLISECONDS);
      return cache;
    } catch (IOException | RuntimeException e) {
      Log.warn("cannot share the wallet with other JVMs on " + dataDir + " (" + e.getMessage() + "); this JVM enforces its budget alone");
    }
    try {
      return new BalanceCache(new LocalCreditSource(dataDir, budget, spent, Clock.systemUTC(), history), config.balanceRefresh, background);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * A lease of the shared Redis wallet: refreshed (spend reported, lease renewed) every
   * balance-refresh even while no call reads it, so a live JVM's lease never lapses, and given back
   * at exit.
   */
  private static BalanceCache sharedWallet(TollgateConfig config, TollgateConfig.RedisSetting redis, LongSupplier spent,
      ScheduledExecutorService background) {
    long fund = config.budget == null ? -1 : Money.toNanos(config.budget);
    RedisCreditSource source = RedisCreditSource.open(redis, fund, config.sourceTimeout, spent);

    BalanceCache cache = new BalanceCache(source, config.balanceRefresh, config.balanceMaxStaleness, config.onSourceFailure, spent,
        background,
        System::nanoTime);
    cache.prefetch();
    long millis = config.balanceRefresh.toMillis();
    background.scheduleWithFixedDelay(cache::prefetch, millis, millis, TimeUnit.MILLISECONDS);
    atExit("tollgate-redis-release", RedisCreditSource.releaseAtExit(source, cache));
    return cache;
  }

  private static HostCreditSource.@Nullable Start probeShared(Path dataDir) {
    try {
      return HostCreditSource.probe(dataDir);
    } catch (IOException | RuntimeException e) {
      return null; // said once, when the wallet is built
    }
  }

  private static long threshold(TollgateConfig config) {
    if (!config.lowBalanceIsPercent) {
      return Money.toNanos(config.lowBalance);
    }
    BigDecimal budget = config.budget == null ? BigDecimal.ZERO : config.budget;
    return Money.toNanos(budget.multiply(config.lowBalance).movePointLeft(2));
  }

  /** The configured budgets; a budgets file that cannot be used stops metering at start-up (later, the last valid one stays). */
  private static List<BudgetSpec> budgetSpecs(TollgateConfig config) throws IOException {
    try {
      return BudgetsFileWatcher.all(config.budgets.keyed, config.budgets.file, config.budgets.alerts, Log::warn);
    } catch (BudgetsFile.Invalid e) {
      throw new IOException(e.getMessage(), e);
    }
  }

  /** Re-reads the budgets file when it changes, and drops the state of ended periods. */
  private static void watchBudgets(TollgateConfig config, Budgets budgets, ScheduledExecutorService background) {
    background.scheduleWithFixedDelay(budgets::sweep, 1, 1, TimeUnit.MINUTES);
    if (config.budgets.file == null) {
      return;
    }
    BudgetsFileWatcher watcher = new BudgetsFileWatcher(config.budgets.file, config.budgets.keyed, config.budgets.alerts, budgets,
        specs -> {
          try {
            return Budgets.journalSpend(specs, config.budgets.zone, Clock.systemUTC().instant(), budgetStateDir(config.dataDir))
                .recover(config.dataDir);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
    background.scheduleWithFixedDelay(watcher::poll, 1, 1, TimeUnit.SECONDS);
  }

  /** The journal's spend, from its checkpoint and the records past it; each hour's spend as one entry of {@code history}. */
  private static long recoverSpend(History journalHistory, List<LocalCreditSource.Spend> history) throws IOException {
    Tally tally = journalHistory.recover();
    tally.forEachHour((at, nanos) -> history.add(new LocalCreditSource.Spend(at, nanos)));
    // History reports unreadable lines itself, once each (the upkeep's reads too).
    return tally.spentNanos();
  }

  /** Where the budgets' spend table lives: {@code <data-dir>/budgets}. */
  private static Path budgetStateDir(Path dataDir) {
    return dataDir.resolve("budgets");
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
