package dev.tollgate.benchmarks.jmh;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * All the agent adds to one metered 1 KB JSON call, without the network: the pre-flight (classify,
 * read the request, estimate, price, reserve), the response tapped as the application reads it
 * (64 KiB reads, as {@code body().string()} does), and the settle: price the usage, release the
 * reservation and append the record to the journal (a {@code write(2)} to the page cache; the
 * journal forces it to disk on its own thread). The sum of the parts the other benchmarks measure
 * one by one, and the figure to set beside the end-to-end CPU per call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MeteredCallBenchmark {
  private static final String URL = "https://api.openai.com/v1/chat/completions";
  /** As OkHttp, the JDK client and HttpURLConnection hand it over: with the body's Content-Length. */
  private static final ResponseInfo OK_JSON = new ResponseInfo(200, "application/json", null, Bodies.OPENAI_RESPONSE_1K.length);

  private Agent agent;
  private final byte[] buffer = new byte[64 * 1024];

  @Setup
  public void setUp() throws IOException {
    agent = Agent.install();
    if (call() != Bodies.OPENAI_RESPONSE_1K.length) {
      throw new IllegalStateException("the tapped body was not read whole");
    }
  }

  @TearDown
  public void tearDown() {
    agent.close();
  }

  @Benchmark
  public int call() throws IOException {
    CallHandle handle = Hooks.begin(Hooks.classify("POST", URL), URL, Bodies.OPENAI_REQUEST, Bodies.OPENAI_REQUEST.length);
    InputStream body = handle.onResponse(OK_JSON, new ByteArrayInputStream(Bodies.OPENAI_RESPONSE_1K));
    int total = 0;
    try (InputStream in = body) {
      for (int n; (n = in.read(buffer)) != -1;) {
        total += n;
      }
    }
    return total;
  }
}
