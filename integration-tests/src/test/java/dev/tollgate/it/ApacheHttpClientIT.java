package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.ApacheApp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Apache HttpClient 5.1 and 5.6 (classic) under the agent. */
class ApacheHttpClientIT extends LoopbackTest {

  private Fork app(String version, String mode, String path, String body) {
    return Fork.app(version, ApacheApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .endpoint("fake-anthropic", url("/anthropic/v1"), "anthropic")
        .args(mode, url(path), body);
  }

  @ParameterizedTest
  @CsvSource({"apache51,handler", "apache51,response", "apache56,handler", "apache56,response"})
  void execute_openAiJson_isMeteredWithExactCost(String version, String mode) throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(version, mode, "/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("BODY ")).as(r.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(rec.get("reservation").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION);
    assertThat(r.agentLog()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void streamedSse_isMetered(String version) throws Exception {
    server.enqueue(Fixtures.sse(Fixtures.ANTHROPIC_SSE));

    Fork.Result r = app(version, "stream", "/anthropic/v1/messages", Fixtures.ANTHROPIC_STREAM_REQUEST).run();

    assertThat(r.lines("LINE ")).as(r.toString()).contains("event: message_stop");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(35);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.ANTHROPIC_SSE_COST);
  }

  @ParameterizedTest
  @CsvSource({"apache51,handler", "apache51,response", "apache56,handler", "apache56,response"})
  void blocked_gets402_andNothingLeaves(String version, String mode) {
    Fork.Result r = app(version, mode, "/v1/chat/completions", Fixtures.OPENAI_REQUEST).prop("tollgate.budget", "0").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("402");
    assertThat(r.lines("BLOCKED ")).containsExactly("true");
    assertThat(Journal.json(r.lines("BODY ").get(0)).get("error").get("code").asText()).isEqualTo("tollgate_blocked");
    assertThat(server.getRequestCount()).isZero();
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("blocked");
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void blockedInExceptionMode_throwsCreditsExhausted(String version) {
    Fork.Result r = app(version, "response", "/v1/chat/completions", Fixtures.OPENAI_REQUEST)
        .prop("tollgate.budget", "0").prop("tollgate.block-mode", "exception").run();

    assertThat(r.lines("ERROR ")).as(r.toString()).singleElement().asString().startsWith("dev.tollgate.api.CreditsExhaustedException");
    assertThat(server.getRequestCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void nonMeteredPath_passesThrough(String version) {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(version, "response", "/other/chat/completions", Fixtures.OPENAI_REQUEST).prop("tollgate.budget", "0").run();

    assertThat(r.lines("BODY ")).as(r.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(Journal.records(dataDir)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void responseWithoutBody_isRecordedWithItsHttpStatus(String version) {
    server.enqueue(new mockwebserver3.MockResponse.Builder().code(204).build());

    Fork.Result r = app(version, "response", "/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("204");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("http_status").asInt()).isEqualTo(204);
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("estimated").asBoolean()).isTrue();
  }
}
