package dev.tollgate.agent.usage;

import static dev.tollgate.agent.usage.Corpus.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestInfoTest {
  @org.junit.jupiter.api.BeforeAll
  static void loadTokenizers() {
    // Metered calls load them in the background and use the heuristic meanwhile; these tests pin the real counts.
    TokenCounter.load("gpt-4o");
    TokenCounter.load("gpt-4");
  }

  @Test
  void inspect_openAiChatRequest_readsModelMaxTokensStreamAndEstimate() {
    byte[] body = utf8("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}],"
        + "\"max_tokens\":50,\"stream\":true,\"stream_options\":{\"include_usage\":true}}");

    RequestInfo info = RequestInfo.inspect(Formats.OPENAI, body, body.length);

    assertThat(info.model).isEqualTo("gpt-4o-mini");
    assertThat(info.maxOutputTokens).isEqualTo(50);
    assertThat(info.stream).isTrue();
    // o200k_base: 3 per message + "user" 1 + "Hello there" 2, + 3 to prime the reply.
    assertThat(info.estimatedInputTokens).isEqualTo(3 + 1 + 2 + 3);
    assertThat(info.counter).isEqualTo("o200k_base");
  }

  @Test
  void inspect_openAiCompatibleModelWithoutPublicTokenizer_usesTheHeuristic() {
    byte[] body = utf8("{\"model\":\"deepseek-chat\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}");

    RequestInfo info = RequestInfo.inspect(Formats.OPENAI, body, body.length);

    // "user" + "Hello there" = 15 chars -> 4 tokens, plus 4 per string value.
    assertThat(info.estimatedInputTokens).isEqualTo(4 + 2 * 4);
    assertThat(info.counter).isEqualTo("chars/4");
  }

  @Test
  void inspect_responsesApi_countsInputAndInstructionsButNotModelOrSettings() {
    byte[] body = utf8("{\"model\":\"gpt-4.1\",\"instructions\":\"Be brief.\",\"input\":\"2 + 2 = 4\","
        + "\"reasoning\":{\"effort\":\"low\"},\"service_tier\":\"default\",\"max_output_tokens\":64}");

    RequestInfo info = RequestInfo.inspect(Formats.OPENAI, body, body.length);

    // "Be brief." 3 + "2 + 2 = 4" 7 + "low" 1: no message framing outside chat messages.
    assertThat(info.estimatedInputTokens).isEqualTo(3 + 7 + 1);
    assertThat(info.maxOutputTokens).isEqualTo(64);
  }

  @Test
  void inspect_embeddingsInputArray_countsEachInputWithCl100k() {
    byte[] body = utf8("{\"model\":\"text-embedding-3-small\",\"input\":[\"antidisestablishmentarianism\",\"2 + 2 = 4\"]}");

    RequestInfo info = RequestInfo.inspect(Formats.OPENAI, body, body.length);

    assertThat(info.estimatedInputTokens).isEqualTo(6 + 7);
    assertThat(info.counter).isEqualTo("cl100k_base");
  }

  @Test
  void inspect_inlineImageDataUrl_isCountedAtFourCharactersNotTokenized() {
    String image = "data:image/png;base64," + "A".repeat(4000);
    byte[] body = utf8("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"image_url\","
        + "\"image_url\":{\"url\":\"" + image + "\"}}]}]}");

    RequestInfo info = RequestInfo.inspect(Formats.OPENAI, body, body.length);

    // 3 per message + "user" 1 + "image_url" (type) + the URL at chars/4 + 3 priming.
    long type = TokenCounter.forModel("gpt-4o").count("image_url");
    assertThat(info.estimatedInputTokens).isEqualTo(3 + 1 + type + (image.length() + 3) / 4 + 3);
  }

  @Test
  void inspect_modelHint_choosesTheTokenizerWhenTheBodyNamesNoModel() {
    byte[] body = utf8("{\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}");

    RequestInfo info = RequestInfo.inspect(Formats.OPENAI, body, body.length, "gpt-4o");

    assertThat(info.model).isNull();
    assertThat(info.estimatedInputTokens).isEqualTo(9);
  }

  @Test
  void ofText_countsTheTextAlone() {
    assertThat(RequestInfo.ofText("gpt-4o-mini", "2 + 2 = 4").estimatedInputTokens).isEqualTo(7);
    assertThat(RequestInfo.ofText("claude-haiku-4-5", "2 + 2 = 4").estimatedInputTokens).isEqualTo(3);
    assertThat(RequestInfo.ofText("claude-haiku-4-5", "2 + 2 = 4").counter).isEqualTo("chars/4");
  }

  @ParameterizedTest
  @CsvSource({"max_tokens", "max_completion_tokens", "max_output_tokens"})
  void inspect_anyOutputBoundName_readsIt(String field) {
    byte[] body = utf8("{\"model\":\"m\",\"" + field + "\":777,\"input\":\"hi\"}");

    assertThat(RequestInfo.inspect(Formats.OPENAI, body, body.length).maxOutputTokens).isEqualTo(777);
  }

  @Test
  void inspect_anthropicRequest_readsMaxTokensAndCountsSystemAndMessages() {
    byte[] body = utf8("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":1024,\"system\":\"Be brief.\","
        + "\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"What is 2+2?\"}]}]}");

    RequestInfo info = RequestInfo.inspect(Formats.ANTHROPIC, body, body.length);

    assertThat(info.model).isEqualTo("claude-sonnet-4-20250514");
    assertThat(info.maxOutputTokens).isEqualTo(1024);
    assertThat(info.stream).isFalse();
    // "Be brief." 9 + "user" 4 + "text" 4 + "What is 2+2?" 12 = 29 chars -> 8 tokens, plus 4 values x 4.
    assertThat(info.estimatedInputTokens).isEqualTo(8 + 16);
  }

  @Test
  void inspect_geminiRequest_readsGenerationConfigMaxOutputTokens() {
    byte[] body = utf8("{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Why is the sky blue?\"}]}],"
        + "\"generationConfig\":{\"maxOutputTokens\":256,\"temperature\":0.2}}");

    RequestInfo info = RequestInfo.inspect(Formats.GEMINI, body, body.length);

    assertThat(info.model).isNull();
    assertThat(info.maxOutputTokens).isEqualTo(256);
    assertThat(info.estimatedInputTokens).isEqualTo(6 + 2 * 4); // 24 chars -> 6 tokens
  }

  @Test
  void inspect_nestedModelOrMaxTokens_areNotTheRequests() {
    byte[] body = utf8("{\"model\":\"gpt-4o\",\"tools\":[{\"type\":\"function\",\"function\":{\"name\":\"f\","
        + "\"parameters\":{\"model\":\"other\",\"max_tokens\":5}}}]}");

    RequestInfo info = RequestInfo.inspect(Formats.OPENAI, body, body.length);

    assertThat(info.model).isEqualTo("gpt-4o");
    assertThat(info.maxOutputTokens).isEqualTo(-1);
  }

  @Test
  void inspect_nullMaxTokensAndStreamFalse_meanAbsent() {
    byte[] body = utf8("{\"model\":\"gpt-4o\",\"max_tokens\":null,\"stream\":false}");

    RequestInfo info = RequestInfo.inspect(Formats.OPENAI, body, body.length);

    assertThat(info.maxOutputTokens).isEqualTo(-1);
    assertThat(info.stream).isFalse();
  }

  @Test
  void inspect_noBody_estimatesFromContentLength() {
    RequestInfo info = RequestInfo.inspect(Formats.OPENAI, null, 4001);

    assertThat(info.model).isNull();
    assertThat(info.maxOutputTokens).isEqualTo(-1);
    assertThat(info.estimatedInputTokens).isEqualTo(1001);
  }

  @Test
  void inspect_noBodyAndUnknownLength_estimatesZero() {
    assertThat(RequestInfo.inspect(Formats.OPENAI, null, -1).estimatedInputTokens).isZero();
  }

  @Test
  void inspect_notJson_estimatesFromBodyLengthWithoutThrowing() {
    byte[] body = utf8("model=gpt-4o&prompt=hello");

    RequestInfo info = RequestInfo.inspect(Formats.OPENAI, body, body.length);

    assertThat(info.model).isNull();
    assertThat(info.estimatedInputTokens).isEqualTo(7); // 25 bytes
  }

  @Test
  void inspect_truncatedJson_keepsWhatWasReadAndEstimatesFromLength() {
    byte[] body = utf8("{\"model\":\"gpt-4o\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"unterminated");

    RequestInfo info = RequestInfo.inspect(Formats.OPENAI, body, body.length);

    assertThat(info.model).isEqualTo("gpt-4o");
    assertThat(info.maxOutputTokens).isEqualTo(64);
    assertThat(info.estimatedInputTokens).isEqualTo((body.length + 3) / 4);
  }

  @ParameterizedTest
  @CsvSource({
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent, gemini-2.5-flash",
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse, gemini-2.5-pro",
      "http://127.0.0.1:41234/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse, gemini-2.5-flash",
      "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash:generateContent, gemini-2.0-flash"})
  void modelFromGeminiPath_modelsSegment_givesModel(String url, String model) {
    assertThat(RequestInfo.modelFromGeminiPath(url)).isEqualTo(model);
  }

  @Test
  void modelFromGeminiPath_noModelsSegment_givesNull() {
    assertThat(RequestInfo.modelFromGeminiPath("https://generativelanguage.googleapis.com/v1beta/cachedContents")).isNull();
  }

  @Test
  void boundedBy_grpcRequestWithoutBody_takesTheMessagesBound() {
    RequestInfo grpc = RequestInfo.preflight(Formats.GEMINI, null, 400, "gemini-2.0-flash");

    assertThat(grpc.maxOutputTokens).isEqualTo(-1);
    assertThat(grpc.boundedBy(64).maxOutputTokens).isEqualTo(64);
    assertThat(grpc.boundedBy(64).estimatedInputTokens).isEqualTo(100);
    assertThat(grpc.boundedBy(-1)).isSameAs(grpc);
  }

  @Test
  void boundedBy_bodyThatSaysItsOwnBound_keepsIt() {
    RequestInfo rest = RequestInfo.preflight(Formats.GEMINI,
        utf8("{\"contents\":[],\"generationConfig\":{\"maxOutputTokens\":32}}"), -1, "gemini-2.0-flash");

    assertThat(rest.boundedBy(64)).isSameAs(rest);
    assertThat(rest.maxOutputTokens).isEqualTo(32);
  }
}
