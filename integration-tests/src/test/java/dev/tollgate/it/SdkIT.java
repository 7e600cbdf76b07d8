package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.AnthropicBedrockApp;
import dev.tollgate.it.apps.ScenarioDriver;
import dev.tollgate.it.apps.SdkApp;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * openai-java and anthropic-java (also through its Bedrock backend), unmodified, under the agent. The
 * tests share two JVMs ({@link SharedJvms}): the metered calls in one, the blocked ones (budget 0) in the
 * other.
 */
class SdkIT extends SharedJvms<SdkIT.Jvm> {

  enum Jvm {
    /** No budget set. */
    METERED,
    /** Budget 0. */
    ZERO
  }

  @Override
  Script script(Jvm jvm) {
    Script script = new Script();
    if (jvm == Jvm.METERED) {
      // Not "openai" or "anthropic": those are the built-in catalog's endpoint names.
      answer("sdk-openai", () -> Fixtures.json(Fixtures.OPENAI_JSON));
      answer("sdk-openai-stream", () -> Fixtures.sse(Fixtures.OPENAI_SSE));
      answer("sdk-anthropic", () -> Fixtures.json(Fixtures.ANTHROPIC_JSON));
      answer("sdk-anthropic-stream", () -> Fixtures.sse(Fixtures.ANTHROPIC_SSE));
      for (String mode : List.of("openai", "openai-stream", "anthropic", "anthropic-stream")) {
        script.add("sdk-" + mode, SdkApp.class, mode, base("sdk-" + mode));
      }
      // Named "bedrock": the provider whose price table prices Bedrock's model ids.
      answerEach("bedrock", new BedrockIT.FakeBedrock()::dispatch);
      script.add("bedrock", AnthropicBedrockApp.class, base("bedrock"));
    } else {
      for (String mode : List.of("openai", "anthropic")) {
        answer("blocked-" + mode, () -> Fixtures.json(mode.equals("openai") ? Fixtures.OPENAI_JSON : Fixtures.ANTHROPIC_JSON));
        script.add("blocked-" + mode, SdkApp.class, mode, base("blocked-" + mode));
      }
      answerEach("blocked-bedrock", new BedrockIT.FakeBedrock()::dispatch);
      script.add("blocked-bedrock", AnthropicBedrockApp.class, base("blocked-bedrock"));
    }
    return script;
  }

  /**
   * The SDK's base URL for endpoint {@code id}: openai-java's ends in /v1; anthropic-java's has no /v1 (the
   * SDK appends v1/messages); its Bedrock backend's is the Bedrock Runtime root (the SDK appends model/…).
   */
  private String base(String id) {
    return id.contains("bedrock") ? url(id, "") : id.contains("anthropic") ? url(id, "/") : url(id, "/v1");
  }

  @Override
  Fork fork(Jvm jvm, Path dataDir, List<String> ids) {
    Fork fork = Fork.app("sdks", ScenarioDriver.class).prop("tollgate.data-dir", dataDir);
    for (String id : ids) {
      if (id.contains("bedrock")) {
        fork.endpoint(id, base(id), "bedrock");
      } else {
        fork.endpoint(id, url(id, "/v1"), id.contains("anthropic") ? "anthropic" : "openai");
      }
    }
    return jvm == Jvm.ZERO ? fork.prop("tollgate.budget", "0") : fork;
  }

  @Test
  void openAiJava_chatCompletion_isMetered() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.METERED, "sdk-openai");

    assertThat(s.lines("CONTENT ")).as(s.toString()).containsExactly("Hello there!");
    assertThat(s.lines("SDKUSAGE ")).containsExactly("1200 300");
    JsonNode rec = only(Jvm.METERED, "sdk-openai");
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(requests("sdk-openai")).singleElement().satisfies(r -> assertThat(r.getBody().utf8()).contains(
        "\"max_completion_tokens\":100"));
    LoopbackTest.assertNoSecretsLeaked(run(Jvm.METERED).out.stderr, dataDir(Jvm.METERED));
  }

  @Test
  void openAiJava_streaming_isMeteredFromTheUsageChunk() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.METERED, "sdk-openai-stream");

    assertThat(s.lines("CONTENT ")).as(s.toString()).containsExactly("Hello!");
    assertThat(s.lines("SDKUSAGE ")).containsExactly("50 20");
    JsonNode rec = only(Jvm.METERED, "sdk-openai-stream");
    assertThat(rec.get("stream").asBoolean()).isTrue();
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_SSE_COST);
  }

  @Test
  void openAiJava_blocked_surfacesAnErrorAndDoesNotRetry() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.ZERO, "blocked-openai");

    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString()
        .startsWith("com.openai.errors.UnexpectedStatusCodeException 402: Tollgate blocked this call");
    assertThat(requests("blocked-openai")).isEmpty();
    // A retry would be blocked again and journaled again: exactly one record means no retry.
    assertThat(only(Jvm.ZERO, "blocked-openai").get("status").asText()).isEqualTo("blocked");
    LoopbackTest.assertNoSecretsLeaked(run(Jvm.ZERO).out.stderr, dataDir(Jvm.ZERO));
  }

  @Test
  void anthropicJava_message_isMetered() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.METERED, "sdk-anthropic");

    assertThat(s.lines("SDKUSAGE ")).as(s.toString()).containsExactly("1000 100");
    JsonNode rec = only(Jvm.METERED, "sdk-anthropic");
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.ANTHROPIC_JSON_COST);
    assertThat(requests("sdk-anthropic")).singleElement().satisfies(r -> assertThat(r.getUrl().encodedPath()).isEqualTo(
        "/sdk-anthropic/v1/messages"));
  }

  @Test
  void anthropicJava_streaming_isMetered() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.METERED, "sdk-anthropic-stream");

    // Nine events on the wire; the SDK drops the ping.
    assertThat(s.lines("EVENTS ")).as(s.toString()).containsExactly("8");
    JsonNode rec = only(Jvm.METERED, "sdk-anthropic-stream");
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(35);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.ANTHROPIC_SSE_COST);
  }

  @Test
  void anthropicJava_blocked_surfacesAnErrorAndDoesNotRetry() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.ZERO, "blocked-anthropic");

    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString().contains("402");
    assertThat(requests("blocked-anthropic")).isEmpty();
    assertThat(only(Jvm.ZERO, "blocked-anthropic").get("status").asText()).isEqualTo("blocked");
  }

  @Test
  void anthropicJavaBedrock_messageAndStream_meteredWithExactTokensAndCost() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.METERED, "bedrock");

    assertThat(s.lines("CONTENT ")).as(s.toString()).containsExactly("Hello there!");
    assertThat(s.lines("SDKUSAGE ")).containsExactly("300 25");
    // Seven chunk events on the wire, each one SSE event after the backend's translation.
    assertThat(s.lines("EVENTS ")).containsExactly("7");
    assertThat(s.lines("STREAMTEXT ")).containsExactly("Hello there!");
    assertThat(s.lines("ERROR ")).isEmpty();
    Map<String, JsonNode> byOperation = bedrockRecords(Jvm.METERED, "bedrock");
    assertThat(byOperation.keySet()).as(run(Jvm.METERED).journal.toString()).containsExactlyInAnyOrder("invoke", "invoke_stream");
    BedrockIT.assertRecord(byOperation.get("invoke"), AnthropicBedrockApp.MODEL, 1500, 25, BedrockIT.INVOKE_COST, false);
    assertThat(byOperation.get("invoke").get("cache_read_tokens").asLong()).isEqualTo(1000);
    assertThat(byOperation.get("invoke").get("cache_write_tokens").asLong()).isEqualTo(200);
    BedrockIT.assertRecord(byOperation.get("invoke_stream"), AnthropicBedrockApp.MODEL, 512, 9, BedrockIT.INVOKE_STREAM_COST, true);
    assertThat(requests("bedrock")).extracting(r -> r.getUrl().encodedPath()).containsExactly(
        "/bedrock/model/" + AnthropicBedrockApp.MODEL + "/invoke", "/bedrock/model/" + AnthropicBedrockApp.MODEL
            + "/invoke-with-response-stream");
    assertThat(requests("bedrock")).allSatisfy(r -> assertThat(r.getHeaders().get("Authorization"))
        .startsWith("AWS4-HMAC-SHA256 Credential=" + AnthropicBedrockApp.ACCESS_KEY + "/"));
    assertThat(run(Jvm.METERED).out.stdout + run(Jvm.METERED).out.stderr).doesNotContain(AnthropicBedrockApp.SECRET_KEY);
    LoopbackTest.assertNoSecretsLeaked(run(Jvm.METERED).out.stderr, dataDir(Jvm.METERED));
  }

  @Test
  void anthropicJavaBedrock_blocked_surfacesAnErrorAndSendsNothing() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.ZERO, "blocked-bedrock");

    // Both calls, the plain one and the stream, fail with the SDK's own error for a 402; neither is retried.
    // Reserved for the body's max_tokens (200 × 4.00 per 1M = 0.0008, and 22 input tokens × 0.80), not the model's 8,192.
    assertThat(s.lines("ERROR ")).as(s.toString()).hasSize(2).allSatisfy(line -> assertThat(line)
        .startsWith("com.anthropic.errors.PaymentRequiredException 402: ")
        .contains("Tollgate blocked this call to blocked-bedrock (" + AnthropicBedrockApp.MODEL + "): it needs up to 0.000818 credits"));
    assertThat(requests("blocked-bedrock")).isEmpty();
    List<JsonNode> records = run(Jvm.ZERO).journal.stream().filter(r -> r.get("provider").asText().equals("blocked-bedrock"))
        .collect(Collectors.toList());
    // A retry would be blocked again and journaled again: one record per call means no retry.
    assertThat(records).hasSize(2).allSatisfy(r -> {
      assertThat(r.get("status").asText()).isEqualTo("blocked");
      assertThat(r.get("model").asText()).isEqualTo(AnthropicBedrockApp.MODEL);
    });
    assertThat(records).extracting(r -> r.get("operation").asText()).containsExactly("invoke", "invoke_stream");
  }

  /** The {@code ok} records of endpoint {@code provider} in {@code jvm}'s journal, by operation. */
  private Map<String, JsonNode> bedrockRecords(Jvm jvm, String provider) {
    return run(jvm).journal.stream().filter(r -> r.get("provider").asText().equals(provider) && r.get("status").asText().equals("ok"))
        .collect(Collectors.toMap(r -> r.get("operation").asText(), r -> r));
  }
}
