package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.tollgate.it.apps.ActuatorApp;
import dev.tollgate.it.apps.JdkHttpApp;
import dev.tollgate.it.apps.MetricsApp;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.metrics.v1.Metric;
import io.opentelemetry.proto.metrics.v1.NumberDataPoint;
import io.opentelemetry.proto.metrics.v1.ResourceMetrics;
import io.opentelemetry.proto.metrics.v1.ScopeMetrics;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/**
 * Metrics from real metered calls (a stream, two answers, a 500, a blocked call) through every
 * exporter of one forked app: the Prometheus endpoint scraped over HTTP, the OTLP/HTTP push received
 * by a loopback collector and decoded with the official proto classes, and the JMX MBean read
 * through the platform MBean server inside the app. Each total must equal the journal's exactly.
 */
class MetricsIT extends LoopbackTest {
  private static final String OTLP_SECRET = "Bearer it-otlp-secret-42";
  /** max_tokens no budget of 1 credit covers: blocked before it leaves. */
  private static final String HUGE_REQUEST = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}],\"max_tokens\":100000000}";

  @Test
  void prometheusOtlpAndJmx_showTheJournalsTotals() throws Exception {
    List<ExportMetricsServiceRequest> pushed = new CopyOnWriteArrayList<>();
    List<String> authorization = new CopyOnWriteArrayList<>();
    HttpServer collector = collector(pushed, authorization);
    int promPort = freePort();
    Path stderr = tmp.resolve("app.err");
    String prometheus;
    List<String> jmx;
    server.enqueue(Fixtures.sse(Fixtures.OPENAI_SSE));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.error(500, Fixtures.OPENAI_SERVER_ERROR));
    Process app = Fork.app("jdk", MetricsApp.class).prop("tollgate.data-dir", dataDir).prop("tollgate.budget", "1")
        .endpoint("openai", url("/v1"), "openai")
        .prop("tollgate.metrics.prometheus.port", promPort)
        .prop("tollgate.metrics.otlp.endpoint", "http://127.0.0.1:" + collector.getAddress().getPort())
        .prop("tollgate.metrics.interval", "1s")
        .prop("tollgate.metrics.jmx", "true")
        .env("OTEL_EXPORTER_OTLP_HEADERS", "authorization=" + OTLP_SECRET.replace(" ", "%20"))
        .env("OTEL_SERVICE_NAME", "metrics-it")
        .start(stderr);
    try (BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
        Writer in = new OutputStreamWriter(app.getOutputStream(), StandardCharsets.UTF_8)) {
      assertThat(out.readLine()).isEqualTo("READY");
      List<String> said = new ArrayList<>();
      said.addAll(send(in, out, "call\t" + url("/v1/chat/completions") + "\t" + Fixtures.OPENAI_STREAM_REQUEST));
      said.addAll(send(in, out, "call\t" + url("/v1/chat/completions") + "\t" + Fixtures.OPENAI_REQUEST));
      said.addAll(send(in, out, "call\t" + url("/v1/chat/completions") + "\t" + Fixtures.OPENAI_REQUEST));
      said.addAll(send(in, out, "call\t" + url("/v1/chat/completions") + "\t" + Fixtures.OPENAI_REQUEST));
      said.addAll(send(in, out, "call\t" + url("/v1/chat/completions") + "\t" + HUGE_REQUEST));
      assertThat(said).as(said + Files.readString(stderr)).containsExactly("STATUS 200", "STATUS 200", "STATUS 200", "STATUS 500",
          "STATUS 402");
      prometheus = scrape(promPort);
      jmx = send(in, out, "jmx");
      send(in, out, "quit");
    } finally {
      if (!app.waitFor(60, TimeUnit.SECONDS)) {
        app.destroyForcibly();
      }
      collector.stop(0);
    }
    Totals journal = Totals.of(Journal.records(dataDir));
    assertThat(journal.calls).containsEntry("ok", 3L).containsEntry("error", 1L).containsEntry("blocked", 1L);
    assertPrometheus(prometheus, journal);
    assertJmx(jmx, journal);
    assertOtlp(pushed.get(pushed.size() - 1), journal);
    assertThat(authorization).isNotEmpty().allMatch(OTLP_SECRET::equals);
    String log = Files.readString(stderr);
    assertThat(log).contains("Prometheus endpoint at http://127.0.0.1:" + promPort + "/metrics").doesNotContain("it-otlp-secret-42");
  }

  @Test
  void noExporter_loadsNoMetricsLibrary() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = Fork.app("jdk", JdkHttpApp.class).jvmArg("-verbose:class").prop("tollgate.data-dir", dataDir)
        .endpoint("openai", url("/v1"), "openai").args("send", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST).run();

    assertThat(Journal.only(dataDir).get("status").asText()).as(r.toString()).isEqualTo("ok");
    assertThat(r.stdout).contains("dev.tollgate.agent.meter.Meter ").doesNotContain("shaded.io.opentelemetry").doesNotContain(
        "shaded.io.prometheus")
        .doesNotContain("dev.tollgate.agent.metrics.otel").doesNotContain("dev.tollgate.agent.metrics.jmx");
  }

  @Test
  void springBootActuator_showsTollgatesMetersBesideTheAppsOwn() throws Exception {
    enqueueCalls();

    Fork.Result r = Fork.app("springboot", ActuatorApp.class).prop("tollgate.data-dir", dataDir).prop("tollgate.budget", "1")
        .endpoint("openai", url("/v1"), "openai").args(callArgs("actuator")).run(300); // Spring Boot's start on a loaded CI machine

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200", "200", "200", "500", "402");
    String text = String.join("\n", r.lines("PROM "));
    Totals journal = Totals.of(Journal.records(dataDir));
    assertThat(text).as(r.toString()).contains("# TYPE tollgate_cost_total counter", "# TYPE tollgate_calls_total counter",
        "# TYPE gen_ai_client_token_usage_total counter", "# TYPE gen_ai_client_operation_duration_seconds summary",
        "# TYPE tollgate_balance gauge", "# TYPE tollgate_budget_remaining gauge", "# TYPE tollgate_reservations_open gauge",
        "gen_ai_provider_name=\"openai\"", "gen_ai_response_model=\"gpt-4o-mini-2024-07-18\"", "error_type=\"500\"",
        "provider=\"openai\"", "model=\"gpt-4o-mini-2024-07-18\"");
    assertThat(text).contains("jvm_threads_live_threads"); // the application's own meters, beside Tollgate's
    assertScrapeEqualsJournal(text, journal, "gen_ai_client_token_usage_total");
    assertThat(r.agentLog()).singleElement().asString().contains("blocked a call");
  }

  @Test
  void plainMicrometer_aRegistryJoiningTheGlobalOneAfterTheCalls_getsTheirTotals() throws Exception {
    enqueueCalls();

    Fork.Result r = Fork.app("springboot", ActuatorApp.class).prop("tollgate.data-dir", dataDir).prop("tollgate.budget", "1")
        .endpoint("openai", url("/v1"), "openai").args(callArgs("plain")).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200", "200", "200", "500", "402");
    Totals journal = Totals.of(Journal.records(dataDir));
    List<String> meters = r.lines("METER ");
    assertThat(meters).as(r.toString()).contains("app.own.counter{} COUNT=1.0");
    assertThat(meterSum(meters, "tollgate.cost", "", "COUNT")).isEqualByComparingTo(journal.cost);
    assertThat(meterSum(meters, "tollgate.calls", "tollgate.status=blocked", "COUNT")).isEqualByComparingTo("1");
    assertThat(meterSum(meters, "gen_ai.client.token.usage", "gen_ai.token.type=output", "COUNT")).isEqualByComparingTo(BigDecimal.valueOf(
        journal.output));
    assertThat(meterSum(meters, "gen_ai.client.operation.duration", "", "COUNT")).isEqualByComparingTo("4");
  }

  @Test
  void micrometerSwitchedOff_registersNothing() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = Fork.app("springboot", ActuatorApp.class).prop("tollgate.data-dir", dataDir).prop("tollgate.metrics.micrometer",
        "false")
        .endpoint("openai", url("/v1"), "openai").args("plain-nowait", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    assertThat(r.lines("METER ")).containsExactly("app.own.counter{} COUNT=1.0");
  }

  private void enqueueCalls() {
    server.enqueue(Fixtures.sse(Fixtures.OPENAI_SSE));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.error(500, Fixtures.OPENAI_SERVER_ERROR));
  }

  private String[] callArgs(String mode) {
    return new String[] {mode, url("/v1/chat/completions"), Fixtures.OPENAI_STREAM_REQUEST, Fixtures.OPENAI_REQUEST,
        Fixtures.OPENAI_REQUEST,
        Fixtures.OPENAI_REQUEST, HUGE_REQUEST};
  }

  /** The sum of a statistic of every meter {@code name} whose tags contain {@code tag}, from {@code METER} lines. */
  private static BigDecimal meterSum(List<String> meters, String name, String tag, String statistic) {
    BigDecimal total = BigDecimal.ZERO;
    boolean found = false;
    for (String m : meters) {
      String tags = m.substring(m.indexOf('{') + 1, m.indexOf('}'));
      if (m.startsWith(name + "{") && (tag.isEmpty() || Arrays.asList(tags.split(",")).contains(tag)) && m.contains("} " + statistic
          + "=")) {
        total = total.add(new BigDecimal(m.substring(m.indexOf("} " + statistic + "=") + statistic.length() + 3)));
        found = true;
      }
    }
    assertThat(found).as(name + " " + tag + " in\n" + String.join("\n", meters)).isTrue();
    return total;
  }

  private static void assertPrometheus(String text, Totals journal) {
    assertThat(text).contains("# TYPE gen_ai_client_token_usage histogram", "# TYPE gen_ai_client_operation_duration_seconds histogram",
        "# TYPE gen_ai_client_operation_time_to_first_chunk_seconds histogram", "# TYPE tollgate_cost_total counter",
        "# TYPE tollgate_calls_total counter", "# TYPE tollgate_balance gauge", "# TYPE tollgate_budget_remaining gauge",
        "# TYPE tollgate_reservations_open gauge");
    assertThat(text).contains("le=\"6.7108864E7\"").contains("le=\"81.92\"").contains("gen_ai_provider_name=\"openai\"")
        .contains("gen_ai_operation_name=\"chat\"").contains("gen_ai_request_model=\"gpt-4o-mini\"")
        .contains("gen_ai_response_model=\"gpt-4o-mini-2024-07-18\"").contains("server_address=\"localhost\"")
        .contains("error_type=\"500\"");
    assertScrapeEqualsJournal(text, journal, "gen_ai_client_token_usage_sum");
  }

  private static void assertJmx(List<String> lines, Totals journal) {
    Map<String, String> jmx = new HashMap<>();
    for (String line : lines) {
      String kv = line.substring("JMX ".length());
      jmx.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
    }
    assertThat(jmx).containsEntry("CallsOk", "3").containsEntry("CallsError", "1").containsEntry("CallsBlocked", "1")
        .containsEntry("InputTokens", Long.toString(journal.input)).containsEntry("OutputTokens", Long.toString(journal.output))
        .containsEntry("ReservationsOpen", "0");
    assertThat(new BigDecimal(jmx.get("Cost"))).isEqualByComparingTo(journal.cost);
    assertThat(new BigDecimal(jmx.get("Balance"))).isEqualByComparingTo(BigDecimal.ONE.subtract(journal.cost));
    assertThat(jmx.get("BudgetRemaining")).startsWith("default=");
  }

  private static void assertOtlp(ExportMetricsServiceRequest request, Totals journal) {
    ResourceMetrics resource = request.getResourceMetrics(0);
    assertThat(resource.getResource().getAttributesList()).anyMatch(kv -> kv.getKey().equals("service.name") && kv.getValue()
        .getStringValue().equals("metrics-it"));
    // Beside the SDK's own scope (its reader's collection time), Tollgate's.
    ScopeMetrics scope = resource.getScopeMetricsList().stream().filter(sm -> sm.getScope().getName().equals("dev.tollgate")).findFirst()
        .orElseThrow();
    assertThat(scope.getSchemaUrl()).isEqualTo("https://opentelemetry.io/schemas/1.41.1");
    Map<String, Metric> metrics = new HashMap<>();
    scope.getMetricsList().forEach(m -> metrics.put(m.getName(), m));
    assertThat(metrics.get("gen_ai.client.token.usage").getUnit()).isEqualTo("{token}");
    assertThat(metrics.get("gen_ai.client.operation.duration").getUnit()).isEqualTo("s");
    assertThat(metrics.get("gen_ai.client.token.usage").getHistogram().getDataPoints(0).getExplicitBoundsList())
        .containsExactly(1d, 4d, 16d, 64d, 256d, 1024d, 4096d, 16384d, 65536d, 262144d, 1048576d, 4194304d, 16777216d, 67108864d);
    assertThat(metrics.get("gen_ai.client.operation.duration").getHistogram().getDataPoints(0).getExplicitBoundsList())
        .containsExactly(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96, 81.92);
    long input = metrics.get("gen_ai.client.token.usage").getHistogram().getDataPointsList().stream()
        .filter(p -> attr(p.getAttributesList(), "gen_ai.token.type").equals("input")).mapToLong(p -> (long) p.getSum()).sum();
    assertThat(input).isEqualTo(journal.input);
    BigDecimal cost = BigDecimal.ZERO;
    for (NumberDataPoint p : metrics.get("tollgate.cost").getSum().getDataPointsList()) {
      cost = cost.add(BigDecimal.valueOf(p.getAsDouble()));
    }
    assertThat(cost).isEqualByComparingTo(journal.cost);
    assertThat(metrics.get("tollgate.cost").getSum().getIsMonotonic()).isTrue();
    long blocked = metrics.get("tollgate.calls").getSum().getDataPointsList().stream()
        .filter(p -> attr(p.getAttributesList(), "tollgate.status").equals("blocked")).mapToLong(NumberDataPoint::getAsInt).sum();
    assertThat(blocked).isEqualTo(journal.calls.get("blocked"));
  }

  private static String attr(List<KeyValue> attributes, String key) {
    return attributes.stream().filter(kv -> kv.getKey().equals(key)).map(kv -> kv.getValue().getStringValue()).findFirst().orElse("");
  }

  /** The sum of every sample of {@code name} whose labels contain {@code labels}. */
  private static BigDecimal sum(String text, String name, String labels) {
    BigDecimal total = BigDecimal.ZERO;
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*})? (\\S+)").matcher(text);
    boolean found = false;
    while (m.find()) {
      if (m.group(1) == null ? labels.isEmpty() : m.group(1).contains(labels)) {
        total = total.add(new BigDecimal(m.group(2)));
        found = true;
      }
    }
    assertThat(found).as(name + " " + labels + " in\n" + text).isTrue();
    return total;
  }

  /** The endpoint starts once the meter is ready, off the calls' path: until then, a refused connection is retried (a deadline, not a timing assertion). */
  private static String scrape(int port) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics")).timeout(java.time.Duration.ofSeconds(
        60)).build();
    HttpResponse<String> r = null;
    for (long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60); r == null;) {
      try {
        r = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
      } catch (java.net.ConnectException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(100);
      }
    }
    assertThat(r.statusCode()).isEqualTo(200);
    return r.body();
  }

  private static List<String> send(Writer in, BufferedReader out, String command) throws IOException {
    in.write(command + "\n");
    in.flush();
    List<String> lines = new ArrayList<>();
    for (String line; (line = out.readLine()) != null && !line.equals("DONE");) {
      lines.add(line);
    }
    return lines;
  }

  /** A loopback OTLP/HTTP collector: decodes each push, answers 200. */
  private static HttpServer collector(List<ExportMetricsServiceRequest> pushed, List<String> authorization) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    s.createContext("/v1/metrics", exchange -> {
      int status = 200;
      try (InputStream body = "gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))
          ? new GZIPInputStream(exchange.getRequestBody()) : exchange.getRequestBody()) {
        pushed.add(ExportMetricsServiceRequest.parseFrom(body.readAllBytes()));
        authorization.add(String.valueOf(exchange.getRequestHeaders().getFirst("Authorization")));
      } catch (IOException | RuntimeException | LinkageError e) {
        e.printStackTrace();
        status = 500;
      }
      exchange.sendResponseHeaders(status, -1);
      exchange.close();
    });
    s.start();
    return s;
  }

  /** What the journal says: the truth every exporter must show. */
  private static final class Totals {
    BigDecimal cost = BigDecimal.ZERO;
    long input;
    long output;
    final Map<String, Long> calls = new HashMap<>();

    static Totals of(List<JsonNode> records) {
      Totals t = new Totals();
      for (JsonNode r : records) {
        t.cost = t.cost.add(r.get("cost").decimalValue());
        t.calls.merge(r.get("status").asText(), 1L, Long::sum);
        if (!r.get("status").asText().equals("blocked")) {
          t.input += r.get("input_tokens").asLong();
          t.output += r.get("output_tokens").asLong();
        }
      }
      return t;
    }
  }

  /**
   * Every Tollgate series of a Prometheus scrape equals the journal: cost, calls by status, tokens
   * ({@code tokens}: the histogram's {@code _total} as OpenTelemetry exports it, {@code _sum} as
   * Micrometer's summary does), durations of the 4 calls that ran, balance, budget, reservations.
   */
  private static void assertScrapeEqualsJournal(String text, Totals journal, String tokens) {
    assertThat(sum(text, "tollgate_cost_total", "")).isEqualByComparingTo(journal.cost);
    for (String status : List.of("ok", "error", "blocked")) {
      assertThat(sum(text, "tollgate_calls_total", "tollgate_status=\"" + status + "\"")).as(status)
          .isEqualByComparingTo(BigDecimal.valueOf(journal.calls.get(status)));
    }
    assertThat(sum(text, tokens, "gen_ai_token_type=\"input\"")).isEqualByComparingTo(BigDecimal.valueOf(
        journal.input));
    assertThat(sum(text, tokens, "gen_ai_token_type=\"output\"")).isEqualByComparingTo(BigDecimal.valueOf(
        journal.output));
    assertThat(sum(text, "gen_ai_client_operation_duration_seconds_count", "")).isEqualByComparingTo("4"); // not the blocked call
    assertThat(sum(text, "gen_ai_client_operation_duration_seconds_count", "error_type=\"500\"")).isEqualByComparingTo("1");
    assertThat(sum(text, "gen_ai_client_operation_time_to_first_chunk_seconds_count", "")).isEqualByComparingTo("1");
    assertThat(sum(text, "tollgate_balance", "")).isEqualByComparingTo(BigDecimal.ONE.subtract(journal.cost));
    assertThat(sum(text, "tollgate_budget_remaining", "tollgate_budget=\"default\"")).isEqualByComparingTo(BigDecimal.ONE.subtract(
        journal.cost));
    assertThat(sum(text, "tollgate_reservations_open", "")).isEqualByComparingTo("0");
  }
}
