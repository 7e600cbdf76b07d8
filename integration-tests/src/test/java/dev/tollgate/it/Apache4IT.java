package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.Apache4App;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Apache HttpClient 4.5 (classic) under the agent: the worked example of docs/contributing/adding-a-client.md. */
class Apache4IT extends LoopbackTest {

  private Fork app(String mode, String path) {
    return Fork.app("apache4", Apache4App.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .endpoint("fake-anthropic", url("/anthropic/v1"), "anthropic")
        .args(mode, url(path), path.startsWith("/anthropic") ? Fixtures.ANTHROPIC_STREAM_REQUEST : Fixtures.OPENAI_REQUEST);
  }

  @ParameterizedTest
  @ValueSource(strings = {"handler", "response"})
  void execute_openAiJson_isMeteredWithExactCost(String mode) throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(mode, "/v1/chat/completions").run();

    assertThat(r.lines("BODY ")).as(r.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(rec.get("reservation").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION);
    assertThat(r.agentLog()).isEmpty();
  }

  @Test
  void streamedSse_isMetered() {
    server.enqueue(Fixtures.sse(Fixtures.ANTHROPIC_SSE));

    Fork.Result r = app("stream", "/anthropic/v1/messages").run();

    assertThat(r.lines("LINE ")).as(r.toString()).contains("event: message_stop");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(35);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.ANTHROPIC_SSE_COST);
  }

  /** The client decompresses by default; with decompression off the app gets gzip and the tap decodes its own view. */
  @ParameterizedTest
  @ValueSource(strings = {"response", "raw"})
  void gzipResponse_isReadForExactUsage(String mode) {
    server.enqueue(Fixtures.gzipJson(Fixtures.OPENAI_JSON));

    Fork.Result r = app(mode, "/v1/chat/completions").run();

    assertThat(r.lines("BODY ")).as(r.toString()).containsExactly(Fixtures.OPENAI_JSON);
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("estimated").asBoolean()).as(rec.toString()).isFalse();
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
  }

  @Test
  void blocked_gets402_andNothingLeaves() {
    Fork.Result r = app("response", "/v1/chat/completions").prop("tollgate.budget", "0").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("402");
    assertThat(r.lines("BLOCKED ")).containsExactly("true");
    assertThat(Journal.json(r.lines("BODY ").get(0)).get("error").get("code").asText()).isEqualTo("tollgate_blocked");
    assertThat(server.getRequestCount()).isZero();
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("blocked");
  }

  @Test
  void blockedInExceptionMode_throwsCreditsExhausted() {
    Fork.Result r = app("response", "/v1/chat/completions").prop("tollgate.budget", "0").prop("tollgate.block-mode", "exception").run();

    assertThat(r.lines("ERROR ")).as(r.toString()).singleElement().asString().startsWith("dev.tollgate.api.CreditsExhaustedException");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void nonMeteredPath_passesThrough() {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app("response", "/other/chat/completions").prop("tollgate.budget", "0").run();

    assertThat(r.lines("BODY ")).as(r.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(Journal.records(dataDir)).isEmpty();
  }
}
