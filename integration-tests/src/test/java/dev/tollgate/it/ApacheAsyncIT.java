package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.ApacheAsyncApp;
import java.util.List;
import java.util.stream.Collectors;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Apache HttpClient 5.1 and 5.6 async clients (default and minimal) under the agent. */
class ApacheAsyncIT extends LoopbackTest {

  private Fork app(String version, String mode, String path, String body) {
    return Fork.app(version, ApacheAsyncApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .endpoint("fake-anthropic", url("/anthropic/v1"), "anthropic")
        .args(mode, url(path), body);
  }

  @ParameterizedTest
  @CsvSource({"apache51,simple", "apache51,minimal", "apache56,simple", "apache56,minimal"})
  void simpleRequest_openAiJson_isMeteredWithExactCost(String version, String mode) throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(version, mode, "/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("BODY ")).as(r.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(r.lines("CALLBACK ")).containsExactly("completed");
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(rec.get("reservation").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION); // the body was read for the estimate
    assertThat(r.agentLog()).isEmpty();
  }

  /** Regression: the tap was told the status and type but not the Content-Encoding, so a gzip body was estimated, not read. */
  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void gzipResponse_isDecodedByTheTap_andMeteredWithExactUsage(String version) throws Exception {
    server.enqueue(Fixtures.gzipJson(Fixtures.OPENAI_JSON));

    Fork.Result r = app(version, "simple", "/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("estimated").asBoolean()).as(rec.toString()).isFalse();
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(r.agentLog()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"apache51,h2", "apache56,h2minimal"})
  void http2Clients_areMeteredThroughTheSamePath(String version, String mode) throws Exception {
    try (MockWebServer h2 = new MockWebServer()) {
      h2.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
      h2.start();
      h2.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

      Fork.Result r = Fork.app(version, ApacheAsyncApp.class).prop("tollgate.data-dir", dataDir)
          .endpoint("fake-openai", h2.url("/v1").toString(), "openai")
          .args(mode, h2.url("/v1/chat/completions").toString(), Fixtures.OPENAI_REQUEST).run();

      assertThat(r.lines("BODY ")).as(r.toString()).containsExactly(Fixtures.OPENAI_JSON);
      assertThat(h2.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);
      assertThat(Journal.only(dataDir).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
      assertThat(r.agentLog()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void streamingConsumer_sse_isMeteredFromTheUsageEvents(String version) {
    server.enqueue(Fixtures.sse(Fixtures.ANTHROPIC_SSE));

    Fork.Result r = app(version, "stream", "/anthropic/v1/messages", Fixtures.ANTHROPIC_STREAM_REQUEST).run();

    assertThat(r.lines("LINE ")).as(r.toString()).contains("event: message_stop");
    assertThat(r.lines("CALLBACK ")).containsExactly("completed");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("stream").asBoolean()).isTrue();
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(35);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.ANTHROPIC_SSE_COST);
    assertThat(r.agentLog()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void streamingConsumer_stringEntity_isReadForTheEstimate_andStillSentWhole(String version) throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(version, "stream", "/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(String.join("", r.lines("LINE "))).as(r.toString()).isEqualTo(Fixtures.OPENAI_JSON);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("reservation").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
  }

  @ParameterizedTest
  @CsvSource({"apache51,simple", "apache51,minimal", "apache51,stream", "apache56,simple", "apache56,minimal", "apache56,stream"})
  void blocked_answers402ThroughTheAppsConsumer_andNothingLeaves(String version, String mode) {
    Fork.Result r = app(version, mode, "/v1/chat/completions", Fixtures.OPENAI_REQUEST).prop("tollgate.budget", "0").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("402");
    assertThat(r.lines("BLOCKED ")).containsExactly("true");
    assertThat(r.lines("CALLBACK ")).containsExactly("completed");
    String body = String.join("", mode.equals("stream") ? r.lines("LINE ") : r.lines("BODY "));
    assertThat(Journal.json(body).get("error").get("code").asText()).isEqualTo("tollgate_blocked");
    assertThat(server.getRequestCount()).isZero();
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("blocked");
  }

  @ParameterizedTest
  @CsvSource({"apache51,simple", "apache51,stream", "apache56,simple", "apache56,stream"})
  void blockedInExceptionMode_failsCallbackAndFuture_andNothingLeaves(String version, String mode) {
    Fork.Result r = app(version, mode, "/v1/chat/completions", Fixtures.OPENAI_REQUEST)
        .prop("tollgate.budget", "0").prop("tollgate.block-mode", "exception").run();

    assertThat(r.lines("ERROR ")).as(r.toString()).singleElement().asString().startsWith("dev.tollgate.api.CreditsExhaustedException");
    assertThat(r.lines("CALLBACK ")).containsExactly("failed dev.tollgate.api.CreditsExhaustedException");
    if (mode.equals("stream")) {
      assertThat(r.lines("CONSUMER-FAILED ")).containsExactly("dev.tollgate.api.CreditsExhaustedException");
    }
    assertThat(server.getRequestCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void nonMeteredPath_isByteIdenticalWithAndWithoutTheAgent(String version) throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result with = app(version, "simple", "/other/chat/completions", Fixtures.OPENAI_REQUEST).prop("tollgate.budget", "0").run();
    Fork.Result without = app(version, "simple", "/other/chat/completions", Fixtures.OPENAI_REQUEST).withoutAgent().run();

    assertThat(with.lines("BODY ")).as(with.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(appOutput(with)).isEqualTo(appOutput(without));
    assertThat(wire(server.takeRequest())).isEqualTo(wire(server.takeRequest()));
    assertThat(Journal.records(dataDir)).isEmpty();
    assertThat(with.agentLog()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void responseWithoutBody_isRecordedWithItsHttpStatus(String version) {
    server.enqueue(new mockwebserver3.MockResponse.Builder().code(204).build());

    Fork.Result r = app(version, "simple", "/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("204");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("http_status").asInt()).isEqualTo(204);
    assertThat(rec.get("status").asText()).isEqualTo("ok");
  }

  @ParameterizedTest
  @CsvSource({"apache51,simple", "apache56,minimal"})
  void connectionRefused_releasesTheReservation_andRecordsAnError(String version, String mode) {
    Fork.Result r = Fork.app(version, ApacheAsyncApp.class).prop("tollgate.data-dir", dataDir).prop("tollgate.budget", "1")
        .endpoint("dead", "http://127.0.0.1:9/v1", "openai")
        .args(mode, "http://127.0.0.1:9/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("ERROR ")).as(r.toString()).singleElement().asString().contains("Connection refused");
    assertThat(r.lines("CALLBACK ")).singleElement().asString().startsWith("failed");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("status").asText()).isEqualTo("error");
    assertThat(rec.get("cost").decimalValue()).isZero();
  }

  private static List<String> appOutput(Fork.Result r) {
    return r.stdout.lines().filter(l -> !l.startsWith("ACTIVE ")).collect(Collectors.toList());
  }

  private static String wire(RecordedRequest request) {
    return request.getRequestLine() + "\n" + request.getHeaders() + "\n" + request.getBody().utf8();
  }
}
