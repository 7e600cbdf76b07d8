package dev.tollgate.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** tollgate.pricing-file given LiteLLM's model_prices_and_context_window.json as it is. */
class LiteLlmImportTest {
  @TempDir
  Path dir;

  @ParameterizedTest(name = "{0} per token is {1} per million")
  @CsvSource({"1.5e-07, 0.15", "3e-07, 0.3", "1e-05, 10", "2.5E-6, 2.5", "0.0, 0", "5.9e-08, 0.059", "1.1e-07, 0.11", "0.000015, 15"})
  void load_perTokenFloat_isConvertedExactly(String perToken, String perMillion) throws IOException {
    PriceCatalog catalog = load("{\"m\": {\"litellm_provider\": \"groq\", \"input_cost_per_token\": " + perToken
        + ", \"output_cost_per_token\": " + perToken + "}}");

    assertThat(catalog.find("groq", "m").input.toPlainString()).isEqualTo(perMillion);
    assertThat(catalog.find("groq", "m").output.toPlainString()).isEqualTo(perMillion);
  }

  @Test
  void load_hostedModel_isThatProvidersEntryWithoutItsPrefix() throws IOException {
    PriceCatalog catalog = load("{\"groq/llama-3.1-8b-instant\": {\"litellm_provider\": \"groq\", \"input_cost_per_token\": 5e-08,"
        + " \"output_cost_per_token\": 8e-08, \"max_tokens\": 8192, \"mode\": \"chat\", \"supports_tool_choice\": true}}");

    ModelPrice groq = catalog.find("groq", "llama-3.1-8b-instant");
    assertThat(groq.input).isEqualByComparingTo("0.05");
    assertThat(groq.output).isEqualByComparingTo("0.08");
    assertThat(groq.maxOutputTokens).isEqualTo(8192);
    assertThat(groq.provider).isEqualTo("groq");
    assertThat(catalog.find("llama-3.1-8b-instant")).isNull(); // a host's price is not the model's everywhere
  }

  @Test
  void load_oneHourCacheWrites_inBothTiers() throws IOException {
    PriceCatalog catalog = load("{\"claude-x\": {\"litellm_provider\": \"anthropic\", \"input_cost_per_token\": 3e-06,"
        + " \"output_cost_per_token\": 1.5e-05, \"cache_creation_input_token_cost\": 3.75e-06,"
        + " \"cache_creation_input_token_cost_above_1hr\": 6e-06, \"input_cost_per_token_above_200k_tokens\": 6e-06,"
        + " \"output_cost_per_token_above_200k_tokens\": 2.25e-05, \"cache_creation_input_token_cost_above_200k_tokens\": 7.5e-06,"
        + " \"cache_creation_input_token_cost_above_1hr_above_200k_tokens\": 1.2e-05},"
        + " \"claude-y\": {\"litellm_provider\": \"anthropic\", \"input_cost_per_token\": 3e-06, \"output_cost_per_token\": 1.5e-05,"
        + " \"cache_creation_input_token_cost\": 3.75e-06, \"input_cost_per_token_above_200k_tokens\": 6e-06,"
        + " \"cache_creation_input_token_cost_above_200k_tokens\": 7.5e-06}}");

    ModelPrice x = catalog.find("claude-x");
    assertThat(x.cacheWrite1h).isEqualByComparingTo("6");
    assertThat(x.longContext.cacheWrite).isEqualByComparingTo("7.5");
    assertThat(x.longContext.cacheWrite1h).isEqualByComparingTo("12");
    ModelPrice y = catalog.find("claude-y"); // no 1-hour price: the 5-minute one of its tier
    assertThat(y.cacheWrite1h).isEqualByComparingTo("3.75");
    assertThat(y.longContext.cacheWrite1h).isEqualByComparingTo("7.5");
  }

  @Test
  void load_vendorsOwnModel_isAlsoTheModelOnlyDefault() throws IOException {
    PriceCatalog catalog = load("{\"gpt-4o\": {\"litellm_provider\": \"openai\", \"input_cost_per_token\": 3e-06,"
        + " \"output_cost_per_token\": 1.2e-05, \"cache_read_input_token_cost\": 1.5e-06, \"max_output_tokens\": 16384},"
        + " \"gemini/gemini-9\": {\"litellm_provider\": \"gemini\", \"input_cost_per_token\": 1.25e-06, \"output_cost_per_token\": 1e-05,"
        + " \"cache_read_input_token_cost\": 1.25e-07, \"input_cost_per_token_above_200k_tokens\": 2.5e-06,"
        + " \"output_cost_per_token_above_200k_tokens\": 1.5e-05, \"cache_read_input_token_cost_above_200k_tokens\": 2.5e-07}}");

    assertThat(catalog.find("gpt-4o").input).isEqualByComparingTo("3");
    assertThat(catalog.find("together", "gpt-4o").cachedInput).isEqualByComparingTo("1.5");
    // A host with its own entry for the model keeps it: the file has no azure/gpt-4o.
    assertThat(catalog.find("azure", "gpt-4o").cachedInput).isEqualByComparingTo("1.25");
    ModelPrice gemini = catalog.find("gemini-9");
    assertThat(gemini.provider).isEqualTo("google");
    assertThat(gemini.cachedInput).isEqualByComparingTo("0.125");
    assertThat(gemini.longContextThreshold).isEqualTo(200_000);
    assertThat(gemini.longContext.cachedInput).isEqualByComparingTo("0.25");
    assertThat(gemini.longContext.output).isEqualByComparingTo("15");
    assertThat(catalog.find("gpt-4o-mini").input).isEqualByComparingTo("0.15"); // the bundled catalog is still there
  }

  @Test
  void load_missingAndExtraFields_areTolerated() throws IOException {
    PriceCatalog catalog = load("{\"sample_spec\": {\"litellm_provider\": \"one of https://docs.litellm.ai/docs/providers\","
        + " \"input_cost_per_token\": 0.0, \"max_tokens\": \"LEGACY parameter\"},"
        + " \"dall-e-3\": {\"litellm_provider\": \"openai\", \"mode\": \"image_generation\", \"input_cost_per_pixel\": 1e-08},"
        + " \"only-input\": {\"litellm_provider\": \"mistral\", \"input_cost_per_token\": 1e-07, \"max_output_tokens\": null,"
        + " \"new_field_2027\": {\"x\": [1, 2]}}}");

    ModelPrice p = catalog.find("only-input");
    assertThat(p.input).isEqualByComparingTo("0.1");
    assertThat(p.output).isZero();
    assertThat(p.cachedInput).isEqualByComparingTo("0.1");
    assertThat(p.maxOutputTokens).isEqualTo(4096);
    assertThat(catalog.find("dall-e-3")).isNull();
    assertThat(catalog.find("sample_spec")).isNull();
  }

  @Test
  void load_malformedPrice_namesEntryAndField() throws IOException {
    String json = "{\"good\": {\"litellm_provider\": \"groq\", \"input_cost_per_token\": 1e-07},\n"
        + " \"bad-model\": {\"litellm_provider\": \"groq\",\n  \"output_cost_per_token\": \"cheap\"}}";

    assertThatThrownBy(() -> load(json)).isInstanceOf(PricingException.class)
        .hasMessageStartingWith("tollgate.pricing-file=")
        .hasMessageContaining("line 3: bad-model.output_cost_per_token: must be a number of USD per token")
        .hasMessageContaining("was \"cheap\"");
  }

  @Test
  void load_negativePrice_isRejected() {
    assertThatThrownBy(() -> load("{\"m\": {\"litellm_provider\": \"xai\", \"input_cost_per_token\": -1e-07}}"))
        .hasMessageContaining("m.input_cost_per_token: must be a number of USD per token");
  }

  @Test
  void nameAtProvider_stripsOnlyTheProvidersOwnPrefix() {
    assertThat(LiteLlmReader.nameAtProvider("together_ai/meta-llama/Llama-3.3-70B-Instruct-Turbo", "together_ai", "together"))
        .isEqualTo("meta-llama/Llama-3.3-70B-Instruct-Turbo");
    assertThat(LiteLlmReader.nameAtProvider("fireworks_ai/accounts/fireworks/models/llama-v3p1-8b-instruct", "fireworks_ai", "fireworks"))
        .isEqualTo("accounts/fireworks/models/llama-v3p1-8b-instruct");
    assertThat(LiteLlmReader.nameAtProvider("openrouter/openai/gpt-4o", "openrouter", "openrouter")).isEqualTo("openai/gpt-4o");
    assertThat(LiteLlmReader.nameAtProvider("vertex_ai/gemini-2.5-pro", "vertex_ai-language-models", "vertex")).isEqualTo("gemini-2.5-pro");
    assertThat(LiteLlmReader.nameAtProvider("ft:gpt-4o", "openai", "openai")).isEqualTo("ft:gpt-4o");
  }

  private PriceCatalog load(String json) throws IOException {
    Path file = dir.resolve("model_prices_and_context_window.json");
    Files.write(file, json.getBytes(StandardCharsets.UTF_8));
    return PriceCatalog.load(file);
  }
}
