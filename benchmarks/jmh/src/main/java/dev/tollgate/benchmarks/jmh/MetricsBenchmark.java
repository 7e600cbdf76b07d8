package dev.tollgate.benchmarks.jmh;

import dev.tollgate.agent.bootstrap.MicrometerBridge;
import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.metrics.Gauges;
import dev.tollgate.agent.metrics.Metrics;
import dev.tollgate.agent.metrics.MetricsSink;
import dev.tollgate.agent.metrics.micrometer.MicrometerMetrics;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Recording one settled call's metrics ({@code MetricsSink.onCall}, what {@code Meter.record} adds
 * per call): {@code none} is the sink of an agent without exporters; {@code otel} the OpenTelemetry
 * sink behind the Prometheus endpoint (two token histograms, the duration histogram, the cost and
 * calls tallies); {@code otel-stream} adds time to first chunk; {@code jmx} the MBean's counters;
 * {@code micrometer} the counters Micrometer's function meters read (registration stubbed). The
 * series exist already (the steady state of an application calling the same models).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MetricsBenchmark {
  @Param({"none", "otel", "otel-stream", "jmx", "micrometer"})
  public String sink;

  private Agent agent;
  private MetricsSink metrics;
  private long firstChunkNanos;

  @Setup
  public void setUp() throws Exception {
    agent = Agent.install();
    firstChunkNanos = sink.equals("otel-stream") ? 250_000_000L : 0;
    if (sink.equals("none")) {
      metrics = MetricsSink.NONE;
      return;
    }
    if (sink.equals("micrometer")) {
      MicrometerMetrics m = new MicrometerMetrics(java.util.List.of("provider", "model"), new Gauges(agent.wallet, true));
      m.register(new NoRegistry());
      metrics = m;
      return;
    }
    Map<String, String> props = sink.equals("jmx") ? Map.of("tollgate.metrics.jmx", "true")
        : Map.of("tollgate.metrics.prometheus.port", Integer.toString(freePort()));
    TollgateConfig config = TollgateConfig.load(ConfigSource.of(props, Map.of(), Map.of()));
    metrics = Metrics.start(config.metrics, new Gauges(agent.wallet, true), "jmh");
    Metrics.startExporters().join(); // the OpenTelemetry exporters start once the meter is ready
  }

  /** Micrometer's side of the sink: registration only, never on a call's path. */
  private static final class NoRegistry extends MicrometerBridge {
    @Override
    public void counter(String name, String description, String baseUnit, String[] tags, DoubleSupplier value) {}

    @Override
    public void gauge(String name, String description, String baseUnit, String[] tags, DoubleSupplier value) {}

    @Override
    public void timer(String name, String description, String[] tags, LongSupplier count, DoubleSupplier totalSeconds) {}
  }

  @TearDown
  public void tearDown() {
    agent.close();
  }

  @Benchmark
  public void onCall() {
    metrics.onCall(JournalBenchmark.SETTLED, "gpt-4o-mini", 56_250L, firstChunkNanos);
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
