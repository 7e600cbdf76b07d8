package dev.tollgate.benchmarks.jmh;

import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.endpoint.EndpointCatalog;
import dev.tollgate.agent.journal.UsageJournal;
import dev.tollgate.agent.meter.Listeners;
import dev.tollgate.agent.meter.LowBalanceMonitor;
import dev.tollgate.agent.meter.Meter;
import dev.tollgate.agent.pricing.PriceCatalog;
import dev.tollgate.agent.usage.TokenCounter;
import dev.tollgate.agent.wallet.BalanceCache;
import dev.tollgate.agent.wallet.LocalCreditSource;
import dev.tollgate.agent.wallet.Wallet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The agent's metering, wired as the agent wires it at start-up (built-in endpoints and prices, a
 * local wallet with a budget, a journal in a temporary data directory) and installed in {@link
 * Hooks}, so the hooks under test take the path they take in an application.
 */
final class Agent implements AutoCloseable {
  /** Large enough that no benchmark ever runs it down: every reservation is granted. */
  private static final long BUDGET_NANOS = 1_000_000_000L * 1_000_000_000L;

  final Path dataDir;
  final UsageJournal journal;
  final Wallet wallet;
  final Meter meter;

  private Agent(Path dataDir, Map<String, String> extra) throws IOException {
    this.dataDir = dataDir;
    Map<String, String> settings = new java.util.HashMap<>(extra);
    settings.put("tollgate.data-dir", dataDir.toString());
    TollgateConfig config = TollgateConfig.load(ConfigSource.of(settings, Map.of(), Map.of()));
    TokenCounter.useTokenizers(config.tokenizer);
    journal = UsageJournal.open(dataDir);
    wallet = new Wallet(0, spent -> new BalanceCache(new LocalCreditSource(BUDGET_NANOS, spent), Duration.ofHours(1), Runnable::run));
    Listeners listeners = new Listeners();
    meter = new Meter(config, EndpointCatalog.of(config.endpoints.values()), PriceCatalog.load(null, null), wallet, journal,
        listeners, new LowBalanceMonitor(wallet, 0, listeners), Clock.systemUTC());
  }

  /** Builds the agent's meter in a fresh data directory and installs it as the hooks' dispatcher. */
  static Agent install() {
    return install(Map.of());
  }

  /** As {@link #install()}, with more configuration ({@code tollgate.attribute.*}…). */
  static Agent install(Map<String, String> config) {
    try {
      Agent agent = new Agent(Files.createTempDirectory("tollgate-jmh"), config);
      Hooks.install(agent.meter);
      return agent;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    journal.close();
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
