package dev.tollgate.agent.endpoint;

import dev.tollgate.agent.usage.Formats;
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
      "https://generativelanguage.googleapis.com/v1/models/gemini-2.5-flash:generateContent, gemini, generate_content, GEMINI",
      // Azure OpenAI: deployment paths with api-version, on each Azure host family
      "https://acme-eastus.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21, azure, chat, OPENAI",
      "https://acme.openai.azure.com/openai/deployments/gpt-35-instruct/completions?api-version=2024-10-21, azure, completions, OPENAI",
      "https://acme.openai.azure.com/openai/deployments/embed-small/embeddings?api-version=2024-10-21, azure, embeddings, OPENAI",
      "https://acme.openai.azure.com/openai/responses?api-version=2025-04-01-preview, azure, responses, OPENAI",
      "https://acme-foundry.cognitiveservices.azure.com/openai/deployments/gpt-4.1/chat/completions?api-version=2025-01-01-preview, azure, chat, OPENAI",
      "https://acme-foundry.services.ai.azure.com/openai/deployments/o4-mini/chat/completions?api-version=2025-01-01-preview, azure, chat, OPENAI",
      // the unified v1 API, no api-version needed
      "https://acme.openai.azure.com/openai/v1/chat/completions, azure, chat, OPENAI",
      "https://acme.openai.azure.com/openai/v1/responses, azure, responses, OPENAI",
      "https://acme-foundry.services.ai.azure.com/models/chat/completions?api-version=2024-05-01-preview, azure, chat, OPENAI",
      // Vertex AI: regional and global hosts, v1 and v1beta1
      "https://us-central1-aiplatform.googleapis.com/v1/projects/p-1/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent, vertex, generate_content, GEMINI",
      "https://europe-west4-aiplatform.googleapis.com/v1beta1/projects/p-1/locations/europe-west4/publishers/google/models/gemini-2.5-pro:streamGenerateContent?alt=sse, vertex, stream_generate_content, GEMINI",
      "https://aiplatform.googleapis.com/v1/projects/p-1/locations/global/publishers/google/models/gemini-2.5-flash:generateContent, vertex, generate_content, GEMINI",
      // OpenAI-compatible hosts
      "https://api.mistral.ai/v1/chat/completions, mistral, chat, OPENAI",
      "https://api.mistral.ai/v1/fim/completions, mistral, completions, OPENAI",
      "https://api.mistral.ai/v1/embeddings, mistral, embeddings, OPENAI",
      "https://api.groq.com/openai/v1/chat/completions, groq, chat, OPENAI",
      "https://api.groq.com/openai/v1/responses, groq, responses, OPENAI",
      "https://api.deepseek.com/chat/completions, deepseek, chat, OPENAI",
      "https://api.deepseek.com/v1/chat/completions, deepseek, chat, OPENAI",
      "https://api.deepseek.com/beta/completions, deepseek, completions, OPENAI",
      "https://api.together.xyz/v1/chat/completions, together, chat, OPENAI",
      "https://api.x.ai/v1/chat/completions, xai, chat, OPENAI",
      "https://api.x.ai/v1/responses, xai, responses, OPENAI",
      "https://api.fireworks.ai/inference/v1/chat/completions, fireworks, chat, OPENAI",
      // Cohere v2, its older host, and its OpenAI compatibility API
      "https://api.cohere.com/v2/chat, cohere, chat, COHERE",
      "https://api.cohere.com/v2/embed, cohere, embeddings, COHERE",
      "https://api.cohere.ai/v2/chat, cohere, chat, COHERE",
      "https://api.cohere.ai/compatibility/v1/chat/completions, cohere, chat, OPENAI",
      // Ollama on its default address: the native API (embed and the legacy embeddings) and the OpenAI-compatible one
      "http://localhost:11434/api/chat, ollama, chat, OLLAMA",
      "http://localhost:11434/api/generate, ollama, generate, OLLAMA",
      "http://localhost:11434/api/embed, ollama, embeddings, OLLAMA",
      "http://localhost:11434/api/embeddings, ollama, embeddings, OLLAMA",
      "http://localhost:11434/v1/chat/completions, ollama, chat, OPENAI",
      "http://localhost:11434/v1/embeddings, ollama, embeddings, OPENAI",
      // Partner-hosted: Claude on Vertex AI (regional and global), Gemini's and Bedrock's OpenAI-compatible APIs
      "https://us-east5-aiplatform.googleapis.com/v1/projects/p-1/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514:rawPredict, vertex, messages, ANTHROPIC",
      "https://europe-west1-aiplatform.googleapis.com/v1/projects/p-1/locations/europe-west1/publishers/anthropic/models/claude-3-5-haiku@20241022:streamRawPredict, vertex, messages, ANTHROPIC",
      "https://aiplatform.googleapis.com/v1/projects/p-1/locations/global/publishers/anthropic/models/claude-opus-4-1@20250805:rawPredict, vertex, messages, ANTHROPIC",
      "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions, gemini, chat, OPENAI",
      "https://generativelanguage.googleapis.com/v1beta/openai/embeddings, gemini, embeddings, OPENAI",
      "https://bedrock-mantle.us-east-1.api.aws/v1/chat/completions, bedrock, chat, OPENAI",
      "https://bedrock-mantle.eu-west-1.api.aws/openai/v1/responses, bedrock, responses, OPENAI"})
  void classify_builtInModelOperation_isMetered(String url, String provider, String operation, Format format) {
    Operation op = BUILT_IN.classify("POST", url);

    assertThat(op).as(url).isNotNull();
    assertThat(op.provider()).isEqualTo(provider);
    assertThat(op.name()).isEqualTo(operation);
    assertThat(op.format()).isEqualTo(format);
  }

  @Test
  void classify_vertexStreamRawPredict_alwaysStreams() {
    String base = "https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514";
    assertThat(BUILT_IN.classify("POST", base + ":streamRawPredict").alwaysStreams()).isTrue();
    assertThat(BUILT_IN.classify("POST", base + ":rawPredict").alwaysStreams()).isFalse();
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
      "http://api.openai.com/v1/chat/completions",
      "http://localhost:11434/api/tags",
      "http://localhost:11434/api/pull",
      "http://localhost:11435/api/chat",
      "http://localhost/api/chat",
      // Vertex: token counting and other publishers' rawPredict are not Anthropic calls; a Vertex path ending in /messages neither
      "https://us-east5-aiplatform.googleapis.com/v1/projects/p-1/locations/us-east5/publishers/anthropic/models/count-tokens:rawPredict",
      "https://us-central1-aiplatform.googleapis.com/v1/projects/p-1/locations/us-central1/publishers/mistralai/models/mistral-large-2411:rawPredict",
      "https://us-central1-aiplatform.googleapis.com/v1/projects/p-1/locations/us-central1/reasoningEngines/1/sessions/2/messages",
      "https://us-central1-aiplatform.googleapis.com/v1/projects/p-1/locations/us-central1/endpoints/123:rawPredict",
      // Mantle: the head of the host is fixed; listings stay unmetered
      "https://bedrock-mantle.us-east-1.api.aws/v1/models",
      "https://mantle.us-east-1.api.aws/v1/chat/completions",
      "https://s3.us-east-1.api.aws/v1/chat/completions"})
  void classify_otherPathOrHost_isNotMetered(String url) {
    assertThat(BUILT_IN.classify("POST", url)).isNull();
  }

  @Test
  void classify_configuredPrefixWithPortAndPath_isMetered() {
    EndpointCatalog catalog = configured("tollgate.endpoint.local.url", "http://127.0.0.1:8080/v1", "tollgate.endpoint.local.format", "anthropic");

    Operation op = catalog.classify("POST", "http://127.0.0.1:8080/v1/messages");

    assertThat(op.provider()).isEqualTo("local");
    assertThat(op.format()).isEqualTo(Formats.ANTHROPIC);
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

  @ParameterizedTest
  @ValueSource(strings = {
      "api.openai.com", "api.anthropic.com", "openrouter.ai", "generativelanguage.googleapis.com",
      "us-central1-aiplatform.googleapis.com", "aiplatform.googleapis.com", "acme-eastus.openai.azure.com",
      "acme-foundry.cognitiveservices.azure.com", "acme-foundry.services.ai.azure.com", "api.deepseek.com", "api.cohere.ai", "localhost",
      "bedrock-mantle.us-east-1.api.aws"})
  void mayMeterHost_builtInHost_isTrue(String host) {
    assertThat(BUILT_IN.mayMeterHost(host)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "example.com", "api.openai.com.evil.example", "openai.com", "API.OPENAI.COM", "-aiplatform.googleapis.com",
      ".openai.azure.com", "acme/x.openai.azure.com", "127.0.0.1", "", "bedrock-mantle.api.aws", "s3.us-east-1.api.aws",
      "xbedrock-mantle.us-east-1.api.aws"})
  void mayMeterHost_otherHost_isFalse(String host) {
    assertThat(BUILT_IN.mayMeterHost(host)).isFalse();
  }

  @Test
  void mayMeterHost_configuredHostWithPortOrIpv6_isTheHostAlone() {
    EndpointCatalog catalog = configured("tollgate.endpoint.local.url", "http://127.0.0.1:8080/v1",
        "tollgate.endpoint.v6.url", "http://[::1]:8081/v1", "tollgate.endpoint.bare.url", "http://gpu-box/v1");

    assertThat(catalog.mayMeterHost("127.0.0.1")).isTrue();
    assertThat(catalog.mayMeterHost("[::1]")).isTrue();
    assertThat(catalog.mayMeterHost("::1")).isTrue(); // as Apache's HttpHost names it
    assertThat(catalog.mayMeterHost("gpu-box")).isTrue();
    assertThat(catalog.mayMeterHost("127.0.0.2")).isFalse();
  }

  /** The host check must never rule out a URL {@code classify} would meter. */
  @Test
  void mayMeterHost_everyMeteredUrl_passesTheHostCheck() throws Exception {
    for (String url : new String[] {
        "https://api.openai.com/v1/chat/completions", "https://acme.openai.azure.com/openai/v1/responses",
        "https://europe-west4-aiplatform.googleapis.com/v1/projects/p/locations/l/publishers/google/models/g:generateContent",
        "https://api.deepseek.com/chat/completions", "https://api.deepseek.com?x=1"}) {
      assertThat(BUILT_IN.classify("POST", url) == null || BUILT_IN.mayMeterHost(new java.net.URL(url).getHost())).as(url).isTrue();
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
        "gemini(gemini)=https://generativelanguage.googleapis.com",
        "vertex(gemini)=https://*-aiplatform.googleapis.com",
        "vertex(gemini)=https://aiplatform.googleapis.com",
        "vertex(anthropic)=https://*-aiplatform.googleapis.com",
        "vertex(anthropic)=https://aiplatform.googleapis.com",
        "gemini(openai)=https://generativelanguage.googleapis.com/v1beta/openai",
        "azure(openai)=https://*.openai.azure.com/openai",
        "azure(openai)=https://*.cognitiveservices.azure.com/openai",
        "azure(openai)=https://*.services.ai.azure.com/openai",
        "azure(openai)=https://*.services.ai.azure.com/models",
        "mistral(openai)=https://api.mistral.ai/v1",
        "groq(openai)=https://api.groq.com/openai/v1",
        "deepseek(openai)=https://api.deepseek.com",
        "together(openai)=https://api.together.xyz/v1",
        "xai(openai)=https://api.x.ai/v1",
        "fireworks(openai)=https://api.fireworks.ai/inference/v1",
        "cohere(cohere)=https://api.cohere.com/v2",
        "cohere(cohere)=https://api.cohere.ai/v2",
        "cohere(openai)=https://api.cohere.ai/compatibility/v1",
        "bedrock(openai)=https://bedrock-mantle.*.api.aws/v1",
        "bedrock(openai)=https://bedrock-mantle.*.api.aws/openai/v1",
        "bedrock(bedrock)=https://bedrock-runtime.*.amazonaws.com",
        "bedrock(bedrock)=https://bedrock-runtime-fips.*.amazonaws.com",
        "bedrock(bedrock)=https://bedrock-runtime.*.amazonaws.com.cn",
        "ollama(ollama)=http://localhost:11434",
        "ollama(openai)=http://localhost:11434/v1");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // the wildcard needs a resource name, a real host boundary, and the base path
      "https://openai.azure.com/openai/deployments/d/chat/completions",
      "https://.openai.azure.com/openai/deployments/d/chat/completions",
      "https://acme.openai.azure.com.evil.example/openai/deployments/d/chat/completions",
      "https://evil.example/x.openai.azure.com/openai/deployments/d/chat/completions",
      "https://evil.example?.openai.azure.com/openai/chat/completions",
      "https://evil.example#.openai.azure.com/openai/chat/completions",
      "http://acme.openai.azure.com/openai/deployments/d/chat/completions",
      "https://acme.openai.azure.com/openaix/chat/completions",
      "https://acme.openai.azure.com/chat/completions",
      // other operations on the same hosts
      "https://acme.openai.azure.com/openai/deployments?api-version=2022-12-01",
      "https://acme.openai.azure.com/openai/models?api-version=2024-10-21",
      "https://acme.openai.azure.com/openai/v1/files",
      "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:countTokens",
      "https://aiplatform-googleapis.com/v1/projects/p/locations/l/publishers/google/models/m:generateContent",
      "https://api.cohere.com/v2/rerank",
      "https://api.cohere.com/v1/chat",
      "https://api.deepseek.com/user/balance",
      "https://api.mistral.ai/v1/models",
      "https://api.groq.com/v1/chat/completions"})
  void classify_lookalikeHostsAndOtherPaths_areNotMetered(String url) {
    assertThat(BUILT_IN.classify("POST", url)).isNull();
  }

  @ParameterizedTest
  @CsvSource({
      "https://acme.openai.azure.com/openai/deployments/gpt-4o-prod/chat/completions?api-version=2024-10-21, gpt-4o-prod",
      "https://acme.openai.azure.com/openai/deployments/my%20dep/embeddings, my%20dep",
      "https://us-central1-aiplatform.googleapis.com/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:streamGenerateContent?alt=sse, gemini-2.5-flash",
      "https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-pro:generateContent, gemini-2.5-pro",
      "https://us-east5-aiplatform.googleapis.com/v1/projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514:streamRawPredict, claude-sonnet-4@20250514"})
  void modelInPath_deploymentOrModelSegment_isTheRequestedModel(String url, String model) {
    assertThat(BUILT_IN.classify("POST", url).endpoint().modelInPath(url)).isEqualTo(model);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://acme.openai.azure.com/openai/v1/chat/completions",
      "https://api.mistral.ai/v1/chat/completions",
      "https://api.anthropic.com/v1/messages",
      "https://generativelanguage.googleapis.com/v1beta/openai/chat/completions"})
  void modelInPath_modelOnlyInBody_isNull(String url) {
    assertThat(BUILT_IN.classify("POST", url).endpoint().modelInPath(url)).isNull();
  }

  @Test
  void classify_configuredWildcardHost_matchesEveryHostOfTheFamily() {
    EndpointCatalog catalog = configured("tollgate.endpoint.gw.url", "https://*.llm.corp.example/v1", "tollgate.endpoint.gw.format", "cohere");

    assertThat(catalog.classify("POST", "https://eu-1.llm.corp.example/v1/chat").provider()).isEqualTo("gw");
    assertThat(catalog.classify("POST", "https://eu-1.llm.corp.example/v1/chat").format()).isEqualTo(Formats.COHERE);
    assertThat(catalog.classify("POST", "https://llm.corp.example/v1/chat")).isNull();
  }

  @ParameterizedTest
  @CsvSource({
      "https://api.openai.com:443/v1/chat/completions, openai, chat",
      "https://us-central1-aiplatform.googleapis.com:443/v1/projects/p/locations/us-central1/publishers/google/models/gemini-2.5-flash:generateContent, vertex, generate_content",
      "https://acme.openai.azure.com:443/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21, azure, chat",
  })
  void classify_defaultPortSpelledOut_isMeteredAsWithout(String url, String provider, String operation) {
    Operation op = BUILT_IN.classify("POST", url);
    assertThat(op).isNotNull();
    assertThat(op.endpoint().provider()).isEqualTo(provider);
    assertThat(op.name()).isEqualTo(operation);
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "https://api.openai.com:8443/v1/chat/completions",
      "http://api.openai.com:443/v1/chat/completions",
      "https://api.openai.com:4430/v1/chat/completions",
  })
  void classify_otherPortOrSchemeMismatch_isNotMetered(String url) {
    assertThat(BUILT_IN.classify("POST", url)).isNull();
  }

  @Test
  void classify_configuredPrefixWithDefaultPort_matchesUrlsWithAndWithout() {
    EndpointCatalog catalog = configured("tollgate.endpoint.local.url", "http://127.0.0.1:80/v1", "tollgate.endpoint.local.format", "openai");
    assertThat(catalog.classify("POST", "http://127.0.0.1/v1/chat/completions")).isNotNull();
    assertThat(catalog.classify("POST", "http://127.0.0.1:80/v1/chat/completions")).isNotNull();
  }

  @Test
  void withoutDefaultPort_urlWithoutOne_isTheSameInstance() {
    String url = "https://api.openai.com/v1/chat/completions";
    assertThat(EndpointCatalog.withoutDefaultPort(url)).isSameAs(url);
    assertThat(EndpointCatalog.withoutDefaultPort("https://h:443")).isEqualTo("https://h");
    assertThat(EndpointCatalog.withoutDefaultPort("https://h:443?x=1")).isEqualTo("https://h?x=1");
  }

  /** The Azure SDK joins an endpoint given with a trailing slash (as the portal shows it) and its paths with two slashes. */
  @Test
  void classify_azureEndpointWithTrailingSlash_isMeteredAsWithout() {
    Operation op = BUILT_IN.classify("POST", "https://acme.openai.azure.com//openai/deployments/chat-prod/chat/completions?api-version=2025-01-01-preview");
    assertThat(op).isNotNull();
    assertThat(op.endpoint().provider()).isEqualTo("azure");
    assertThat(op.name()).isEqualTo("chat");
  }

  @Test
  void withoutEmptySegments_collapsesSlashRunsInThePathOnly() {
    String url = "https://api.openai.com/v1/chat/completions?next=a//b";
    assertThat(EndpointCatalog.withoutEmptySegments(url)).isSameAs(url);
    assertThat(EndpointCatalog.withoutEmptySegments("https://h//openai///x?q=a//b")).isEqualTo("https://h/openai/x?q=a//b");
    assertThat(EndpointCatalog.withoutEmptySegments("https://h/v1//chat")).isEqualTo("https://h/v1/chat");
  }
}
