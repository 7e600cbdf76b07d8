package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.GenAiApp;
import dev.tollgate.it.apps.SdkApp;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * google-genai (OkHttp underneath), unmodified, under the agent: the Gemini Developer API on loopback.
 * The tests share three JVMs ({@link SdkJvms}): metered calls, budget 0, and no agent.
 */
class GoogleGenAiIT extends SdkJvms {

  @Override
  String classpath() {
    return "genai";
  }

  @Override
  Class<?> app() {
    return GenAiApp.class;
  }

  @Override
  String format() {
    return "gemini";
  }

  /** The SDK appends v1/models/{model}:generateContent (v1beta before 2.0) (or :streamGenerateContent?alt=sse) to its base URL. */
  @Override
  String base(String id) {
    return url(id, "/");
  }

  @Override
  String jsonMode() {
    return "generate";
  }

  @Override
  String streamMode() {
    return "stream";
  }

  @Override
  String outsideMode() {
    return "generate";
  }

  @Override
  MockResponse json() {
    return Fixtures.json(Fixtures.GEMINI_JSON);
  }

  @Override
  MockResponse sse() {
    return Fixtures.sse(Fixtures.GEMINI_SSE);
  }

  @Test
  void generateContent_isMeteredWithExactCost() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.METERED, "json");

    assertThat(s.lines("CONTENT ")).as(s.toString()).containsExactly("Hello there!");
    assertThat(s.lines("SDKUSAGE ")).containsExactly("1200 300 200 200");
    RecordedRequest sent = requests("json").get(0);
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/json/v1/models/gemini-2.5-flash:generateContent");
    assertThat(sent.getBody().utf8()).contains("\"maxOutputTokens\":200");
    JsonNode rec = only(Jvm.METERED, "json");
    assertThat(rec.get("provider").asText()).isEqualTo("json"); // the configured endpoint's name
    assertThat(rec.get("model").asText()).isEqualTo("gemini-2.5-flash");
    assertThat(rec.get("operation").asText()).isEqualTo("generate_content");
    assertThat(rec.get("stream").asBoolean()).isFalse();
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(500);
    assertThat(rec.get("cache_read_tokens").asLong()).isEqualTo(200);
    assertThat(rec.get("reasoning_tokens").asLong()).isEqualTo(200);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.GEMINI_JSON_COST);
    assertThat(rec.get("estimated").asBoolean()).isFalse();
    assertThat(run(Jvm.METERED).out.agentLog()).isEmpty();
    LoopbackTest.assertNoSecretsLeaked(run(Jvm.METERED).out.stderr, dataDir(Jvm.METERED));
  }

  @Test
  void generateContentStream_isMeteredFromTheLastUsageMetadata() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.METERED, "stream");

    assertThat(s.lines("CONTENT ")).as(s.toString()).containsExactly("Hello!");
    assertThat(s.lines("SDKUSAGE ")).containsExactly("50 20 30 0");
    RecordedRequest sent = requests("stream").get(0);
    assertThat(sent.getUrl().encodedPath()).isEqualTo("/stream/v1/models/gemini-2.5-flash:streamGenerateContent");
    assertThat(sent.getUrl().query()).isEqualTo("alt=sse");
    JsonNode rec = only(Jvm.METERED, "stream");
    assertThat(rec.get("operation").asText()).isEqualTo("stream_generate_content");
    assertThat(rec.get("stream").asBoolean()).isTrue();
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("endpoint").asText()).doesNotContain("alt=sse");
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(50);
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(50);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.GEMINI_SSE_COST);
    assertThat(run(Jvm.METERED).out.agentLog()).isEmpty();
  }

  @Test
  void blocked_surfacesAnErrorAndDoesNotRetry() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.ZERO, "blocked-json");

    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString()
        .startsWith("com.google.genai.errors.ClientException 402").contains("Tollgate");
    assertThat(requests("blocked-json")).isEmpty();
    assertThat(only(Jvm.ZERO, "blocked-json").get("status").asText()).isEqualTo("blocked");
    LoopbackTest.assertNoSecretsLeaked(run(Jvm.ZERO).out.stderr, dataDir(Jvm.ZERO));
  }

  @Test
  void blockedStream_surfacesAnErrorAndDoesNotRetry() {
    ClientContractIT.Slice s = slice(Jvm.ZERO, "blocked-stream");

    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString().contains("402").contains("Tollgate");
    assertThat(requests("blocked-stream")).isEmpty();
    assertThat(only(Jvm.ZERO, "blocked-stream").get("status").asText()).isEqualTo("blocked");
  }

  @Test
  void pathOutsideTheMeteredEndpoint_givesTheSameOutputWithAndWithoutAgent() throws Exception {
    // Metered endpoints elsewhere on the same host, and no credits: were the SDK's call metered, it would be blocked.
    ClientContractIT.Slice with = slice(Jvm.ZERO, "outside");
    ClientContractIT.Slice without = slice(Jvm.NO_AGENT, "bare-outside");

    assertThat(with.lines("CONTENT ")).as(with.toString()).containsExactly("Hello there!");
    assertThat(with.appLines()).isEqualTo(without.appLines());
    assertThat(with.agentLog()).isEmpty();
    assertThat(requests("outside")).hasSize(1);
    assertThat(requests("bare-outside")).hasSize(1);
    assertThat(run(Jvm.ZERO).journal).noneSatisfy(rec -> assertThat(rec.get("endpoint").asText()).contains("/outside/"));
    assertThat(requests("outside").get(0).getHeaders().get("x-goog-api-key")).isEqualTo(SdkApp.KEY);
  }
}
