package dev.tollgate.benchmarks.jmh;

import dev.tollgate.agent.usage.Formats;
import dev.tollgate.agent.usage.UsageTap;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * Reading usage from a response as the application reads it: a tap per response (as {@code
 * MeteredCall} makes one), fed what the application receives. One op is one whole response.
 *
 * <p>{@code json1k}: a 1 KB OpenAI chat completion, in one read. {@code sseStream}: an OpenAI chat
 * stream of {@code chunks} events, one read per event; time per chunk is the score divided by
 * {@code chunks}, and B/op staying flat as {@code chunks} grows shows memory does not grow with the
 * stream's length.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class UsageTapBenchmark {
  private final byte[] json = Bodies.OPENAI_RESPONSE_1K;

  /** An OpenAI chat stream of {@code chunks} events. */
  @State(Scope.Thread)
  public static class Stream {
    @Param({"50", "500"})
    public int chunks;

    byte[][] events;

    @Setup
    public void setUp() {
      events = Bodies.openAiStream(chunks);
      check(read(this), true);
    }
  }

  @Setup
  public void setUp() {
    check(json1k(), false);
    check(json1kOfKnownLength(), false);
  }

  @Benchmark
  public UsageTap json1k() {
    UsageTap tap = UsageTap.forResponse(Formats.OPENAI, "application/json");
    tap.feed(json, 0, json.length);
    tap.end();
    return tap;
  }

  /** As the hooked clients that know a body's length hand it over: a small body's names are canonicalised. */
  @Benchmark
  public UsageTap json1kOfKnownLength() {
    UsageTap tap = UsageTap.forResponse(Formats.OPENAI, "application/json", null, json.length);
    tap.feed(json, 0, json.length);
    tap.end();
    return tap;
  }

  @Benchmark
  public UsageTap sseStream(Stream stream) {
    return read(stream);
  }

  private static UsageTap read(Stream stream) {
    UsageTap tap = UsageTap.forResponse(Formats.OPENAI, "text/event-stream");
    for (byte[] event : stream.events) {
      tap.feed(event, 0, event.length);
    }
    tap.end();
    return tap;
  }

  /** A benchmark of a tap that read nothing would measure nothing. */
  private static void check(UsageTap tap, boolean stream) {
    if (!tap.hasFinalUsage() || tap.failed() || tap.isStream() != stream || tap.usage().input != (stream ? 1187 : 1921)) {
      throw new IllegalStateException("the tap did not read the fixture's usage");
    }
  }
}
