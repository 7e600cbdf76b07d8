package dev.tollgate.benchmarks.jmh;

import dev.tollgate.agent.usage.Formats;
import dev.tollgate.agent.usage.UsageTap;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * The same Vertex AI answers read by the Gemini format's taps over REST (JSON, SSE) and over gRPC
 * (protobuf messages in gRPC framing, walked field by field): the corpus' {@code
 * vertex/generate-content} and {@code vertex/stream-generate-content} files, fed whole. One op is one
 * whole response. Run from the repository root (the files are read from the agent's test resources).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GrpcUsageTapBenchmark {
  private static final Path CORPUS = Path.of("agent/src/test/resources/responses/vertex");

  /** {@code generate-content} or {@code stream-generate-content}, over {@code json} (SSE for the stream) or {@code grpc}. */
  @Param({"generate-content", "stream-generate-content"})
  public String response;

  @Param({"json", "grpc"})
  public String wire;

  private byte[] body;
  private String contentType;

  @Setup
  public void setUp() {
    boolean grpc = wire.equals("grpc");
    String extension = grpc ? ".grpc" : response.startsWith("stream") ? ".sse" : ".json";
    try {
      body = Files.readAllBytes(CORPUS.resolve(response + extension));
    } catch (IOException e) {
      throw new UncheckedIOException("run from the repository root", e);
    }
    contentType = grpc ? "application/grpc" : extension.equals(".sse") ? "text/event-stream" : "application/json";
    UsageTap tap = read();
    if (!tap.hasUsage() || tap.failed()) {
      throw new IllegalStateException("the tap did not read the fixture's usage");
    }
  }

  @Benchmark
  public UsageTap read() {
    UsageTap tap = UsageTap.forResponse(Formats.GEMINI, contentType);
    tap.feed(body, 0, body.length);
    tap.end();
    return tap;
  }
}
