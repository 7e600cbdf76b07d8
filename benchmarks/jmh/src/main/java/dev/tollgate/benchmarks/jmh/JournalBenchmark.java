package dev.tollgate.benchmarks.jmh;

import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Appending a settled call's record to the journal, with the agent's durability: a background
 * thread forces the file to disk every {@code syncMillis} (the agent's {@code
 * tollgate.journal-sync-interval}, 100 ms by default). One op is one record appended.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class JournalBenchmark {
  @Param("100")
  public long syncMillis;

  private Agent agent;
  private ScheduledExecutorService syncer;
  /** A settled streamed call as the agent records it (also what {@link MetricsBenchmark} records). */
  static final UsageRecord SETTLED = UsageRecord.builder()
      .id("9f3c2a7b1d4e5f60-1a2b")
      .time(Instant.parse("2025-09-02T10:00:00.123456Z"))
      .provider("openai")
      .model("gpt-4o-mini-2024-07-18")
      .operation("chat")
      .endpoint("https://api.openai.com/v1/chat/completions")
      .status(UsageRecord.Status.OK)
      .httpStatus(200)
      .inputTokens(1187)
      .outputTokens(46)
      .cacheReadTokens(1024)
      .cost(new BigDecimal("0.00005625"))
      .reservation(new BigDecimal("0.0003318"))
      .latencyMillis(812)
      .stream(true)
      .attributes(Map.of("tenant", "acme"))
      .requestId("chatcmpl-C9yT7wQ2nV4kLd0pX8sRmZbH1fJeU")
      .build();

  @Setup
  public void setUp() {
    agent = Agent.install();
    syncer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "journal-sync");
      t.setDaemon(true);
      return t;
    });
    syncer.scheduleWithFixedDelay(agent.journal::sync, syncMillis, syncMillis, TimeUnit.MILLISECONDS);
  }

  @TearDown
  public void tearDown() throws InterruptedException {
    syncer.shutdown();
    syncer.awaitTermination(10, TimeUnit.SECONDS);
    agent.close();
  }

  @Benchmark
  @Threads(1)
  public void append() throws IOException {
    agent.journal.append(SETTLED);
  }

  @Benchmark
  @Threads(8)
  public void append8Threads() throws IOException {
    agent.journal.append(SETTLED);
  }
}
