package dev.tollgate.benchmarks.jmh;

import dev.tollgate.agent.wallet.BalanceCache;
import dev.tollgate.agent.wallet.HostCreditSource;
import dev.tollgate.agent.wallet.LocalCreditSource;
import dev.tollgate.agent.wallet.Reservation;
import dev.tollgate.agent.wallet.Wallet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One metered call's wallet work, reserve then settle, with plenty of credits: {@code own} is the
 * local wallet of one JVM alone (before JVMs shared a data dir), {@code host} the local wallet
 * shared through a lease ({@code HostCreditSource}: spend published by a store into a mapped file,
 * a refill check per reservation; no lock and no system call while the lease lasts).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WalletBenchmark {
  private static final long BUDGET_NANOS = 1_000_000_000L * 1_000_000_000L;

  @Param({"own", "host"})
  public String wallet;

  private Wallet w;

  @Setup
  public void setUp() throws IOException {
    Path dir = Files.createTempDirectory("tollgate-jmh-wallet");
    if (wallet.equals("own")) {
      w = new Wallet(0, spent -> new BalanceCache(new LocalCreditSource(BUDGET_NANOS, spent), Duration.ofHours(1), Runnable::run));
      return;
    }
    HostCreditSource.Start start = HostCreditSource.probe(dir);
    w = new Wallet(0, spent -> {
      try {
        return new BalanceCache(HostCreditSource.open(start, dir, BUDGET_NANOS, spent, Clock.systemUTC(), List.of(), Duration.ofSeconds(5)),
            Duration.ofHours(1), Runnable::run);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
    HostCreditSource host = (HostCreditSource) w.balanceCache().source();
    host.countReservations(w::reservedNanos);
    w.mirrorSpend(host::publish);
  }

  @Benchmark
  public Reservation reserveAndSettle() {
    Reservation r = w.reserve(61_800, true);
    w.settle(r, 61_350);
    return r;
  }

  @Benchmark
  @Threads(4)
  public Reservation reserveAndSettle4Threads() {
    return reserveAndSettle();
  }
}
