package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.AttributionApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every attribution source (header, body, SLF4J MDC with Logback, Log4j 2 ThreadContext,
 * OpenTelemetry baggage, value, {@code Tollgate.scope}) on sync and async calls of every hooked
 * client, in one forked JVM ({@link AttributionApp}); blocked records carry them too. Then the same
 * JVM beside the OpenTelemetry and the Elastic APM Java agents, each listed before Tollgate's and
 * after it: the agents rewrite the same clients, and each must still do its work.
 */
class AttributionIT extends LoopbackTest {
  private static final int CLIENTS = AttributionApp.CLIENTS_COUNT;
  private static final Path OTEL_AGENT = Fork.ROOT.resolve("integration-tests/target/opentelemetry-javaagent.jar");
  private static final Path ELASTIC_AGENT = Fork.ROOT.resolve("integration-tests/target/elastic-apm-agent.jar");
  /** The OpenTelemetry agent's spans on standard error, and nothing sent anywhere. */
  private static final String[] OTEL_LOGGING_ONLY = {"-Dotel.traces.exporter=logging", "-Dotel.metrics.exporter=none",
      "-Dotel.logs.exporter=none"};
  /** The Elastic APM agent with its instrumentation on, sending nothing and asking no server or cloud for settings. */
  private static final String[] ELASTIC_OFFLINE = {"-Delastic.apm.service_name=attribution-it", "-Delastic.apm.disable_send=true",
      "-Delastic.apm.central_config=false", "-Delastic.apm.cloud_provider=NONE", "-Delastic.apm.metrics_interval=0s",
      "-Delastic.apm.log_level=ERROR"};
  private final Map<String, JsonNode> byCall = new HashMap<>();
  private Fork.Result result;

  private void runApp() throws Exception {
    runApp(Fork.app("attribution", AttributionApp.class));
  }

  private void runApp(Fork fork) throws Exception {
    for (int i = 0; i < 2 * CLIENTS; i++) {
      server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    }
    Path logback = tmp.resolve("logback.xml");
    Files.writeString(logback, "<configuration><root level=\"WARN\"/></configuration>");
    result = fork
        .prop("tollgate.data-dir", dataDir)
        .prop("logback.configurationFile", logback)
        .prop("tollgate.budget", "0.05")
        .endpoint("loop", url("/v1"), "openai")
        .prop("tollgate.attribute.call", "body:/user")
        .prop("tollgate.attribute.hdr", "header:X-Tenant-Id")
        .prop("tollgate.attribute.bdy", "body:/metadata/tenant_id")
        .prop("tollgate.attribute.mdc", "mdc:tenant")
        .prop("tollgate.attribute.bag", "baggage:tenant")
        .prop("tollgate.attribute.svc", "value:billing-worker")
        .prop("tollgate.attribute.tenant", "header:X-Tenant-Id|mdc:tenant|value:none")
        .args(url("/v1/chat/completions"))
        .run(240);
    for (JsonNode r : Journal.records(dataDir)) {
      byCall.put(r.path("attributes").path("call").asText(), r);
    }
  }

  private JsonNode record(String call) {
    assertThat(byCall).as(result.toString()).containsKey(call);
    return byCall.get(call);
  }

  private static Map<String, String> attributes(JsonNode r) {
    Map<String, String> m = new HashMap<>();
    r.path("attributes").fields().forEachRemaining(e -> m.put(e.getKey(), e.getValue().asText()));
    return m;
  }

  @Test
  void everyClient_syncAndAsync_recordsEverySourceAndBlockedCallsCarryThem() throws Exception {
    runApp();
    assertEveryClientRecordedEverySource();

    // The report groups by any attribute (one fork of the CLI, on the same journal).
    Fork.Result r = Fork.cli("report", "--data-dir", dataDir.toString(), "--by", "svc", "--json");

    JsonNode groups = Journal.json(r.stdout).get("groups");
    assertThat(groups).hasSize(1);
    assertThat(groups.get(0).get("key").asText()).isEqualTo("billing-worker");
    assertThat(groups.get(0).get("calls").asLong()).isEqualTo(2 * CLIENTS);
    assertThat(groups.get(0).get("blocked").asLong()).isEqualTo(CLIENTS);
  }

  /**
   * Both agents rewrite the same clients, in either order. Regressions: with the OpenTelemetry agent listed first,
   * {@code HttpURLConnection} went unmetered (Byte Buddy could not resolve the marker interface that agent adds to
   * it); with it in either place, Apache's async client went unmetered (its producer, wrapped by that agent, was
   * taken for one of the application's own); with the Elastic APM agent listed after Tollgate's, a WebClient call
   * was metered again inside its own metering until the stack overflowed (that agent wraps the callback that marked
   * Tollgate's own connect), which failed the application's call; with both agents first, a call carrying
   * OpenTelemetry baggage reached Apache's async client through two wrappers of its producer and went unmetered.
   */
  @ParameterizedTest(name = "{0} listed {1}")
  @CsvSource({"opentelemetry, first", "opentelemetry, after", "elastic, first", "elastic, after", "opentelemetry+elastic, first"})
  void besideOtherJavaAgents_everyClientIsMeteredAndBlockedCallsBlocked(String others, String order) throws Exception {
    List<String> agents = new ArrayList<>();
    Fork fork = Fork.app("attribution", AttributionApp.class);
    for (String other : others.split("\\+")) {
      boolean otel = other.equals("opentelemetry");
      agents.add("-javaagent:" + (otel ? OTEL_AGENT : ELASTIC_AGENT));
      fork.jvmArgs(otel ? OTEL_LOGGING_ONLY : ELASTIC_OFFLINE);
    }
    if (order.equals("after")) {
      agents.add(0, "-javaagent:" + Fork.AGENT_JAR);
      fork.withoutAgent();
    }
    runApp(fork.jvmArgs(agents.toArray(new String[0])));
    assertEveryClientRecordedEverySource();
    assertThat(result.stderr).as(result.toString()).doesNotContain("could not instrument").doesNotContain("instrumentation failed");
    if (others.contains("opentelemetry")) {
      // Every call that reached the server is a client span of that agent's (a client's blocked call may be one too).
      assertThat(result.stderr.lines().filter(l -> l.contains("LoggingSpanExporter") && l.contains(" CLIENT ")).count())
          .as(result.toString()).isGreaterThanOrEqualTo(2L * CLIENTS);
    }
  }

  private void assertEveryClientRecordedEverySource() {
    assertThat(result.lines("ACTIVE ")).containsExactly("true");
    assertThat(result.lines("ERROR ")).as(result.toString()).isEmpty();
    assertThat(result.lines("DONE")).as(result.toString()).hasSize(1);
    for (String c : AttributionApp.CLIENTS) {
      assertThat(attributes(record(c + "-all"))).as(c + "-all").containsOnly(
          Map.entry("call", c + "-all"), Map.entry("hdr", "h-" + c), Map.entry("bdy", "b-" + c), Map.entry("mdc", "m-" + c),
          Map.entry("bag", "g-" + c), Map.entry("svc", "billing-worker"), Map.entry("scoped", "s-" + c),
          Map.entry("tenant", "scope-wins"));
      assertThat(record(c + "-all").get("status").asText()).as(c).isEqualTo("ok");

      assertThat(attributes(record(c + "-log4j"))).as(c + "-log4j").containsOnly(
          Map.entry("call", c + "-log4j"), Map.entry("mdc", "l-" + c), Map.entry("svc", "billing-worker"), Map.entry("tenant", "l-" + c));

      JsonNode blocked = record(c + "-blocked");
      assertThat(blocked.get("status").asText()).as(c).isEqualTo("blocked");
      assertThat(attributes(blocked)).as(c + "-blocked").contains(
          Map.entry("hdr", "h-" + c), Map.entry("bdy", "b-" + c), Map.entry("mdc", "m-" + c), Map.entry("scoped", "s-" + c),
          Map.entry("tenant", "h-" + c));
    }
    assertThat(result.lines("CALL ")).filteredOn(l -> l.endsWith("-blocked 402")).hasSize(CLIENTS);
    assertThat(server.getRequestCount()).isEqualTo(2 * CLIENTS); // no blocked call reached the server
    assertThat(byCall).hasSize(3 * CLIENTS);
  }
}
