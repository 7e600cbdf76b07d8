package dev.tollgate.benchmarks.jmh;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pre-flight of a metered call, as every client's advice runs it before the request leaves:
 * {@code Hooks.classify} then {@code Hooks.begin} (read the request, estimate its worst case, price
 * it, reserve it in the wallet). The call is never settled here (settling is the journal's
 * benchmark); the budget is large enough that every reservation is granted.
 *
 * <p>{@code body}: {@code openai} is a chat request to an OpenAI model, its input counted with
 * the model's tokenizer; {@code anthropic} the same conversation counted with the chars/4
 * heuristic; {@code length-only} a body the client could not copy (estimated from its length).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PreflightBenchmark {
  @Param({"openai", "anthropic", "length-only"})
  public String body;

  private Agent agent;
  private String url;
  private byte[] bytes;
  private long length;

  @Setup
  public void setUp() {
    agent = Agent.install();
    switch (body) {
      case "openai":
        url = "https://api.openai.com/v1/chat/completions";
        bytes = Bodies.OPENAI_REQUEST;
        break;
      case "anthropic":
        url = "https://api.anthropic.com/v1/messages";
        bytes = Bodies.ANTHROPIC_REQUEST;
        break;
      default:
        url = "https://api.anthropic.com/v1/messages";
        bytes = null;
    }
    length = Bodies.OPENAI_REQUEST.length;
  }

  @TearDown
  public void tearDown() {
    agent.close();
  }

  @Benchmark
  public CallHandle preflight() {
    Object operation = Hooks.classify("POST", url);
    return Hooks.begin(operation, url, bytes, length);
  }
}
