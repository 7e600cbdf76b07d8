package dev.tollgate.benchmarks.jmh;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import java.util.Map;
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
import org.slf4j.MDC;

/**
 * What attribution adds to a metered call's pre-flight ({@link PreflightBenchmark}'s path: classify,
 * read the body, estimate, reserve): {@code none} configures no attribute; {@code header-body-mdc}
 * configures {@code tenant=header:X-Tenant-Id|body:/metadata/tenant_id|mdc:tenant} and {@code
 * user=body:/user} with a real SLF4J MDC (Logback) holding {@code tenant}, and reads the header as
 * the advice does. The body is the 0.8 KB OpenAI chat request with a {@code user} and a {@code
 * metadata.tenant_id}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AttributionBenchmark {
  private static final String URL = "https://api.openai.com/v1/chat/completions";

  @Param({"none", "header-body-mdc"})
  public String sources;

  private Agent agent;
  private byte[] body;
  private final Map<String, String> requestHeaders = Map.of("Content-Type", "application/json", "X-Tenant-Id", "acme");

  @Setup
  public void setUp() {
    agent = Agent.install(sources.equals("none") ? Map.of()
        : Map.of("tollgate.attribute.tenant", "header:X-Tenant-Id|body:/metadata/tenant_id|mdc:tenant", "tollgate.attribute.user",
            "body:/user"));
    String request = new String(Bodies.OPENAI_REQUEST, java.nio.charset.StandardCharsets.UTF_8);
    body = ("{\"user\":\"user-42\",\"metadata\":{\"tenant_id\":\"acme\"}," + request.substring(request.indexOf('{') + 1))
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    MDC.put("tenant", "acme");
  }

  @TearDown
  public void tearDown() {
    MDC.remove("tenant");
    agent.close();
  }

  @Benchmark
  public CallHandle preflight() {
    Object operation = Hooks.classify("POST", URL);
    String[] names = Hooks.attributeHeaders();
    String[] headers = names.length == 0 ? null : new String[names.length];
    for (int i = 0; i < names.length; i++) {
      headers[i] = requestHeaders.get(names[i]);
    }
    return Hooks.begin(operation, URL, body, body.length, headers);
  }
}
