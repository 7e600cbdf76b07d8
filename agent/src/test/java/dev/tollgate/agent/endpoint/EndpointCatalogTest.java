package dev.tollgate.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.config.TollgateConfig;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointCatalogTest {
  private static final EndpointCatalog BUILT_IN = EndpointCatalog.builtIn();

  private static EndpointCatalog configured(String... keyValues) {
    Map<String, String> props = new java.util.HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(keyValues[i], keyValues[i + 1]);
    }
    return EndpointCatalog.of(TollgateConfig.load(ConfigSource.of(props, Map.of(), Map.of())).endpoints.values());
  }

  @ParameterizedTest
  @CsvSource({
      "https://api.openai.com/v1/chat/completions, openai, chat, OPENAI",
      "https://api.openai.com/v1/responses, openai, responses, OPENAI",
      "https://api.openai.com/v1/embeddings, openai, embeddings, OPENAI",
      "https://api.openai.com/v1/completions, openai, completions, OPENAI",
      "https://api.anthropic.com/v1/messages, anthropic, messages, ANTHROPIC",
      "https://openrouter.ai/api/v1/chat/completions, openrouter, chat, OPENAI",
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:generateContent, gemini, generate_content, GEMINI",
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent, gemini, stream_generate_content, GEMINI",
      // google-genai 2.x calls v1 by default
      "https://generativelanguage.googleapis.com/v1/models/gemini-2.5-flash:generateContent, gemini, generate_content, GEMINI"})
  void classify_builtInModelOperation_isMetered(String url, String provider, String operation, Format format) {
    Operation op = BUILT_IN.classify("POST", url);

    assertThat(op).isNotNull();
    assertThat(op.provider()).isEqualTo(provider);
    assertThat(op.name()).isEqualTo(operation);
    assertThat(op.format()).isEqualTo(format);
  }

  @Test
  void classify_geminiStreamPath_alwaysStreams() {
    assertThat(BUILT_IN.classify("POST", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:streamGenerateContent?alt=sse").alwaysStreams()).isTrue();
    assertThat(BUILT_IN.classify("POST", "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent").alwaysStreams()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "https://api.openai.com/v1/chat/completions?api-version=2024-10-21, chat",
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse&key=AIzaSy, stream_generate_content",
      "https://generativelanguage.googleapis.com/v1/models/gemini-2.5-flash:streamGenerateContent?alt=sse, stream_generate_content",
      "https://api.anthropic.com/v1/messages?beta=true, messages"})
  void classify_queryString_isIgnored(String url, String operation) {
    assertThat(BUILT_IN.classify("POST", url).name()).isEqualTo(operation);
  }

  @ParameterizedTest
  @ValueSource(strings = {"GET", "PUT", "DELETE", "HEAD", "OPTIONS", "post"})
  void classify_notPost_isNotMetered(String method) {
    assertThat(BUILT_IN.classify(method, "https://api.openai.com/v1/chat/completions")).isNull();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://api.openai.com/v1/models",
      "https://api.openai.com/v1/files",
      "https://api.openai.com/v1/responses/resp_123/cancel",
      "https://api.openai.com/v1/chat/completions/chatcmpl-123",
      "https://api.anthropic.com/v1/messages/count_tokens",
      "https://api.anthropic.com/v1/messages/batches",
      "https://api.anthropic.com/v1/models",
      "https://openrouter.ai/api/v1/credits",
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash:countTokens",
      "https://generativelanguage.googleapis.com/v1beta/models",
      "https://api.openai.com/v1",
      "https://api.openai.com/",
      "https://example.com/v1/chat/completions",
      "https://api.openai.com.evil.example/v1/chat/completions",
      "http://api.openai.com/v1/chat/completions"})
  void classify_otherPathOrHost_isNotMetered(String url) {
    assertThat(BUILT_IN.classify("POST", url)).isNull();
  }

  @Test
  void classify_configuredPrefixWithPortAndPath_isMetered() {
    EndpointCatalog catalog = configured("tollgate.endpoint.local.url", "http://127.0.0.1:8080/v1", "tollgate.endpoint.local.format", "anthropic");

    Operation op = catalog.classify("POST", "http://127.0.0.1:8080/v1/messages");

    assertThat(op.provider()).isEqualTo("local");
    assertThat(op.format()).isEqualTo(Format.ANTHROPIC);
    assertThat(op.name()).isEqualTo("messages");
    assertThat(op.endpoint().prefix()).isEqualTo("http://127.0.0.1:8080/v1");
  }

  @Test
  void classify_configuredPrefixWithTrailingSlash_matchesTheSamePaths() {
    EndpointCatalog catalog = configured("tollgate.endpoint.vllm.url", "http://gpu-box:8000/v1/");

    assertThat(catalog.classify("POST", "http://gpu-box:8000/v1/chat/completions").provider()).isEqualTo("vllm");
    assertThat(catalog.endpoints().get(0).prefix()).isEqualTo("http://gpu-box:8000/v1");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "http://h:80/v1x/chat/completions",
      "http://h:8080/v1/chat/completions",
      "http://h:80/v2/chat/completions",
      "http://h:80/chat/completions",
      "https://h:80/v1/chat/completions",
      "http://h:80/v1/messages"})
  void classify_prefixMustMatchUpToAPathBoundary(String url) {
    EndpointCatalog catalog = configured("tollgate.endpoint.h.url", "http://h:80/v1");

    assertThat(catalog.classify("POST", url)).isNull();
  }

  @Test
  void classify_configuredEndpointForBuiltInHost_takesPrecedence() {
    EndpointCatalog catalog = configured("tollgate.endpoint.corp-proxy.url", "https://api.openai.com/v1");

    assertThat(catalog.classify("POST", "https://api.openai.com/v1/chat/completions").provider()).isEqualTo("corp-proxy");
    assertThat(catalog.classify("POST", "https://api.anthropic.com/v1/messages").provider()).isEqualTo("anthropic");
  }

  @Test
  void classify_notMetered_returnsTheSameNullWithoutSideEffects() {
    for (int i = 0; i < 1000; i++) {
      assertThat(BUILT_IN.classify("POST", "https://example.com/api/v1/chat/completions")).isNull();
    }
  }

  @Test
  void classify_sameUrlTwice_returnsTheSameOperationInstance() {
    String url = "https://api.openai.com/v1/chat/completions";

    assertThat(BUILT_IN.classify("POST", url)).isSameAs(BUILT_IN.classify("POST", url + "?x=1"));
  }

  @Test
  void endpoints_builtIn_listsProvidersWithFormats() {
    assertThat(BUILT_IN.endpoints()).extracting(Endpoint::toString).containsExactly(
        "openai(openai)=https://api.openai.com/v1",
        "anthropic(anthropic)=https://api.anthropic.com/v1",
        "openrouter(openai)=https://openrouter.ai/api/v1",
        "gemini(gemini)=https://generativelanguage.googleapis.com");
  }
}
