package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.SdkApp;
import org.junit.jupiter.api.Test;

/** openai-java and anthropic-java, unmodified, under the agent. */
class SdkIT extends LoopbackTest {

  private Fork openAi(String mode) {
    return Fork.app("sdks", SdkApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", server.url("/v1").toString(), "openai")
        .args(mode, server.url("/v1").toString());
  }

  private Fork anthropic(String mode) {
    // anthropic-java's base URL has no /v1: the SDK appends v1/messages.
    return Fork.app("sdks", SdkApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-anthropic", server.url("/v1").toString(), "anthropic")
        .args(mode, server.url("/").toString());
  }

  @Test
  void openAiJava_chatCompletion_isMetered() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = openAi("openai").run();

    assertThat(r.lines("CONTENT ")).as(r.toString()).containsExactly("Hello there!");
    assertThat(r.lines("SDKUSAGE ")).containsExactly("1200 300");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(server.takeRequest().getBody().utf8()).contains("\"max_completion_tokens\":100");
    assertNoSecretsLeaked(r);
  }

  @Test
  void openAiJava_streaming_isMeteredFromTheUsageChunk() throws Exception {
    server.enqueue(Fixtures.sse(Fixtures.OPENAI_SSE));

    Fork.Result r = openAi("openai-stream").run();

    assertThat(r.lines("CONTENT ")).as(r.toString()).containsExactly("Hello!");
    assertThat(r.lines("SDKUSAGE ")).containsExactly("50 20");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("stream").asBoolean()).isTrue();
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_SSE_COST);
  }

  @Test
  void openAiJava_blocked_surfacesAnErrorAndDoesNotRetry() throws Exception {
    Fork.Result r = openAi("openai").prop("tollgate.budget", "0").run();

    assertThat(r.lines("ERROR ")).as(r.toString()).singleElement().asString()
        .startsWith("com.openai.errors.UnexpectedStatusCodeException 402: Tollgate blocked this call");
    assertThat(server.getRequestCount()).isZero();
    // A retry would be blocked again and journaled again: exactly one record means no retry.
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("blocked");
    assertNoSecretsLeaked(r);
  }

  @Test
  void anthropicJava_message_isMetered() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.ANTHROPIC_JSON));

    Fork.Result r = anthropic("anthropic").run();

    assertThat(r.lines("SDKUSAGE ")).as(r.toString()).containsExactly("1000 100");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.ANTHROPIC_JSON_COST);
    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/v1/messages");
  }

  @Test
  void anthropicJava_streaming_isMetered() throws Exception {
    server.enqueue(Fixtures.sse(Fixtures.ANTHROPIC_SSE));

    Fork.Result r = anthropic("anthropic-stream").run();

    // Nine events on the wire; the SDK drops the ping.
    assertThat(r.lines("EVENTS ")).as(r.toString()).containsExactly("8");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(35);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.ANTHROPIC_SSE_COST);
  }

  @Test
  void anthropicJava_blocked_surfacesAnErrorAndDoesNotRetry() throws Exception {
    Fork.Result r = anthropic("anthropic").prop("tollgate.budget", "0").run();

    assertThat(r.lines("ERROR ")).as(r.toString()).singleElement().asString().contains("402");
    assertThat(server.getRequestCount()).isZero();
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("blocked");
  }
}
