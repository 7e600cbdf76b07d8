package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.GenAiApp;
import dev.tollgate.it.apps.SdkApp;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/** google-genai (OkHttp underneath), unmodified, under the agent: the Gemini Developer API on loopback. */
class GoogleGenAiIT extends LoopbackTest {

  private Fork app(String mode) {
    // The SDK appends v1/models/{model}:generateContent (v1beta before 2.0) (or :streamGenerateContent?alt=sse) to its base URL.
    return Fork.app("genai", GenAiApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-gemini", url("/"), "gemini")
        .args(mode, url("/"));
  }

  @Test
  void generateContent_isMeteredWithExactCost() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.GEMINI_JSON));

    Fork.Result r = app("generate").run();

    assertThat(r.lines("CONTENT ")).as(r.toString()).containsExactly("Hello there!");
    assertThat(r.lines("SDKUSAGE ")).containsExactly("1200 300 200 200");
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/models/gemini-2.5-flash:generateContent");
    assertThat(sent.getBody().utf8()).contains("\"maxOutputTokens\":200");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("provider").asText()).isEqualTo("fake-gemini");
    assertThat(rec.get("model").asText()).isEqualTo("gemini-2.5-flash");
    assertThat(rec.get("operation").asText()).isEqualTo("generate_content");
    assertThat(rec.get("stream").asBoolean()).isFalse();
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(500);
    assertThat(rec.get("cache_read_tokens").asLong()).isEqualTo(200);
    assertThat(rec.get("reasoning_tokens").asLong()).isEqualTo(200);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.GEMINI_JSON_COST);
    assertThat(rec.get("estimated").asBoolean()).isFalse();
    assertThat(r.agentLog()).isEmpty();
    assertNoSecretsLeaked(r);
  }

  @Test
  void generateContentStream_isMeteredFromTheLastUsageMetadata() throws Exception {
    server.enqueue(Fixtures.sse(Fixtures.GEMINI_SSE));

    Fork.Result r = app("stream").run();

    assertThat(r.lines("CONTENT ")).as(r.toString()).containsExactly("Hello!");
    assertThat(r.lines("SDKUSAGE ")).containsExactly("50 20 30 0");
    RecordedRequest sent = server.takeRequest();
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/v1/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(sent.getUrl().query()).isEqualTo("alt=sse");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("operation").asText()).isEqualTo("stream_generate_content");
    assertThat(rec.get("stream").asBoolean()).isTrue();
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("endpoint").asText()).doesNotContain("alt=sse");
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(50);
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(50);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.GEMINI_SSE_COST);
    assertThat(r.agentLog()).isEmpty();
  }

  @Test
  void blocked_surfacesAnErrorAndDoesNotRetry() throws Exception {
    Fork.Result r = app("generate").prop("tollgate.budget", "0").run();

    assertThat(r.lines("ERROR ")).as(r.toString()).singleElement().asString()
        .startsWith("com.google.genai.errors.ClientException 402").contains("Tollgate");
    assertThat(server.getRequestCount()).isZero();
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("blocked");
    assertNoSecretsLeaked(r);
  }

  @Test
  void blockedStream_surfacesAnErrorAndDoesNotRetry() {
    Fork.Result r = app("stream").prop("tollgate.budget", "0").run();

    assertThat(r.lines("ERROR ")).as(r.toString()).singleElement().asString().contains("402").contains("Tollgate");
    assertThat(server.getRequestCount()).isZero();
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("blocked");
  }

  @Test
  void pathOutsideTheMeteredEndpoint_givesTheSameOutputWithAndWithoutAgent() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.GEMINI_JSON));
    server.enqueue(Fixtures.json(Fixtures.GEMINI_JSON));
    // Metered endpoint elsewhere on the same host, and no credits: were the SDK's call metered, it would be blocked.
    Fork.Result with = Fork.app("genai", GenAiApp.class).prop("tollgate.data-dir", dataDir).prop("tollgate.budget", "0")
        .endpoint("fake-gemini", url("/metered"), "gemini").args("generate", url("/")).run();
    Fork.Result without = Fork.app("genai", GenAiApp.class).withoutAgent().args("generate", url("/")).run();

    assertThat(with.lines("CONTENT ")).as(with.toString()).containsExactly("Hello there!");
    assertThat(with.stdout).isEqualTo(without.stdout);
    assertThat(with.agentLog()).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(Journal.records(dataDir)).isEmpty();
    assertThat(server.takeRequest().getHeaders().get("x-goog-api-key")).isEqualTo(SdkApp.KEY);
  }
}
