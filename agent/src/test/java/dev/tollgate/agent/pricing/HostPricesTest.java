package dev.tollgate.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The cloud hosts' tables of the bundled catalog: a call on Azure OpenAI, Vertex AI, OpenRouter or
 * Bedrock prices at that host's entry; the model-only entry stays the default everywhere else.
 */
class HostPricesTest {
  private static final PriceCatalog BUNDLED = PriceCatalog.load(null);
  /** Azure AI Foundry models, priced by Azure otherwise than by their vendor. */
  private static final Set<String> FOUNDRY = Set.of("grok-3", "grok-3-mini", "grok-4", "grok-4-fast-reasoning",
      "grok-4-fast-non-reasoning", "grok-4-1-fast-reasoning", "grok-4-1-fast-non-reasoning", "grok-code-fast-1", "deepseek-v3.2",
      "deepseek-v4-pro", "deepseek-v4-flash", "mistral-large", "mistral-large-latest", "mistral-small", "command-r-plus");

  /** The names an Azure response gives, each priced at its own Azure entry (the table's name, input, cached input, output). */
  @ParameterizedTest(name = "azure {0} prices as {1}")
  @CsvSource({
      "gpt-4o-2024-11-20, gpt-4o, 2.5, 1.25, 10", "gpt-4o-2024-08-06, gpt-4o, 2.5, 1.25, 10",
      "gpt-4o-2024-05-13, gpt-4o-2024-05-13, 5, 5, 15", "gpt-4o-mini-2024-07-18, gpt-4o-mini, 0.15, 0.075, 0.6",
      "gpt-35-turbo, gpt-35-turbo, 0.5, 0.5, 1.5", "gpt-35-turbo-0125, gpt-35-turbo, 0.5, 0.5, 1.5",
      "gpt-35-turbo-1106, gpt-35-turbo-1106, 1, 1, 2", "gpt-35-turbo-16k-0613, gpt-35-turbo-16k, 3, 3, 4",
      "gpt-4-0613, gpt-4, 30, 30, 60", "gpt-4-32k-0613, gpt-4-32k, 60, 60, 120", "gpt-4-1106-preview, gpt-4-1106-preview, 10, 10, 30",
      "gpt-4.1-2025-04-14, gpt-4.1, 2, 0.5, 8", "gpt-5-2025-08-07, gpt-5, 1.25, 0.125, 10", "gpt-5.1-chat, gpt-5.1-chat, 1.25, 0.125, 10",
      "o1-preview-2024-09-12, o1-preview, 15, 7.5, 60", "o3-mini-2025-01-31, o3-mini, 1.1, 0.55, 4.4",
      "codex-mini, codex-mini, 1.5, 0.375, 6", "text-embedding-3-small, text-embedding-3-small, 0.02, 0.02, 0",
      "ada, text-embedding-ada-002, 0.1, 0.1, 0",
      "grok-3-mini, grok-3-mini, 0.25, 0.25, 1.27", "deepseek-v3.2, deepseek-v3.2, 0.58, 0.58, 1.68"})
  void find_azureModel_pricesAtItsAzureEntry(String name, String entry, String input, String cached, String output) {
    assertHostEntry("azure", name, entry, input, cached, output);
  }

  @ParameterizedTest(name = "vertex {0} prices as {1}")
  @CsvSource({
      "claude-sonnet-4-5@20250929, claude-sonnet-4-5, 3, 0.3, 15", "claude-3-5-sonnet-v2@20241022, claude-3-5-sonnet, 3, 0.3, 15",
      "claude-3-5-haiku@20241022, claude-3-5-haiku, 0.8, 0.08, 4", "claude-opus-4-6@default, claude-opus-4-6, 5, 0.5, 25",
      "claude-opus-4-1@20250805, claude-opus-4-1, 15, 1.5, 75", "claude-haiku-4-5@20251001, claude-haiku-4-5, 1, 0.1, 5",
      "gemini-2.0-flash-001, gemini-2.0-flash, 0.1, 0.025, 0.4", "gemini-2.5-pro, gemini-2.5-pro, 1.25, 0.125, 10",
      "gemini-3-pro-preview, gemini-3-pro, 2, 0.2, 12", "gemini-2.5-flash-lite, gemini-2.5-flash-lite, 0.1, 0.01, 0.4",
      "gemini-embedding-001, gemini-embedding-001, 0.15, 0.15, 0"})
  void find_vertexModel_pricesAtItsVertexEntry(String name, String entry, String input, String cached, String output) {
    assertHostEntry("vertex", name, entry, input, cached, output);
  }

  @ParameterizedTest(name = "openrouter {0}")
  @CsvSource({"anthropic/claude-3.5-sonnet, 3, 0.3, 15", "anthropic/claude-opus-4.7, 5, 0.5, 25", "openai/gpt-4o, 2.5, 1.25, 10",
      "google/gemini-2.0-flash-001, 0.1, 0.025, 0.4"})
  void find_openRouterVendorModel_pricesAtItsOpenRouterEntry(String name, String input, String cached, String output) {
    assertHostEntry("openrouter", name, name, input, cached, output);
  }

  @Test
  void find_hostEntries_areNotTheModelOnlyDefault() {
    assertThat(BUNDLED.find("gpt-35-turbo")).isNull(); // Azure's name for gpt-3.5-turbo is Azure's alone
    assertThat(BUNDLED.find("claude-3-5-sonnet-v2@20241022")).isNull();
    assertThat(BUNDLED.find("openai", "gpt-4o-2024-11-20")).isSameAs(BUNDLED.find("gpt-4o"));
    assertThat(BUNDLED.find("xai", "grok-3-mini").output).isEqualByComparingTo("0.5"); // xAI's own, not Azure's 1.27
    assertThat(BUNDLED.find("gemini", "gemini-2.5-pro")).isSameAs(BUNDLED.find("gemini-2.5-pro"));
    assertThat(BUNDLED.find("anthropic", "claude-sonnet-4-5-20250929")).isSameAs(BUNDLED.find("claude-sonnet-4-5"));
    assertThat(BUNDLED.find("azure", "claude-sonnet-4-5")).isSameAs(BUNDLED.find("claude-sonnet-4-5")); // no Azure entry: the default
  }

  /** Azure OpenAI's Global deployments charge OpenAI's list price: only the Foundry models differ from their vendor's entry. */
  @Test
  void find_everyModelOnlyName_onAzure_pricesAsTheModelOnlyEntryUnlessAzureSellsItOtherwise() {
    assertPricedAlikeExcept("azure", FOUNDRY);
  }

  /** Gemini and Claude cost on Vertex AI what they cost at Google's and Anthropic's own APIs. */
  @Test
  void find_everyModelOnlyName_onVertex_pricesAsTheModelOnlyEntry() {
    assertPricedAlikeExcept("vertex", Set.of());
  }

  @Test
  void find_hostTables_haveProvenanceOnEveryEntry() {
    for (String host : new String[] {"azure", "vertex"}) {
      PriceTable table = BUNDLED.providers().get(host);
      assertThat(table.models).as(host).isNotEmpty();
      table.models.values().forEach(p -> {
        assertThat(p.provider).as(host + "/" + p.model).isEqualTo(host);
        assertThat(p.source).as(host + "/" + p.model).isNotBlank();
        assertThat(p.checked).as(host + "/" + p.model).matches("\\d{4}-\\d{2}-\\d{2}");
        assertThat(p.notes).as(host + "/" + p.model).isNotBlank();
      });
    }
  }

  @ParameterizedTest(name = "bedrock {0}")
  @CsvSource({"us.anthropic.claude-opus-4-7, 5.5, 11", "eu.anthropic.claude-opus-5, 5.5, 11", "global.anthropic.claude-opus-4-7, 5, 10",
      "us.anthropic.claude-fable-5, 11, 22", "global.anthropic.claude-fable-5, 10, 20",
      "us.anthropic.claude-sonnet-4-5-20250929-v1:0, 3.3, 6.6", "global.anthropic.claude-haiku-4-5-20251001-v1:0, 1, 2"})
  void find_bedrockClaude_inRegionAtTenPercentMore_withItsOneHourCacheWrite(String id, String input, String oneHour) {
    ModelPrice p = BUNDLED.find("bedrock", id);

    assertThat(p.input).isEqualByComparingTo(input);
    assertThat(p.cacheWrite1h).isEqualByComparingTo(oneHour);
  }

  @Test
  void find_bedrockSonnet4_hasTheMillionTokenWindowsTier() {
    ModelPrice p = BUNDLED.find("bedrock", "us.anthropic.claude-sonnet-4-20250514-v1:0");

    assertThat(p.longContextThreshold).isEqualTo(200_000);
    assertThat(p.longContext.input).isEqualByComparingTo("6");
    assertThat(p.longContext.output).isEqualByComparingTo("22.5");
  }

  private static void assertHostEntry(String host, String name, String entry, String input, String cached, String output) {
    ModelPrice p = BUNDLED.find(host, name);

    assertThat(p).as(host + " " + name).isSameAs(BUNDLED.providers().get(host).models.get(entry));
    assertThat(p.provider).isEqualTo(host);
    assertThat(p.input).isEqualByComparingTo(input);
    assertThat(p.cachedInput).isEqualByComparingTo(cached);
    assertThat(p.output).isEqualByComparingTo(output);
  }

  private static void assertPricedAlikeExcept(String host, Set<String> sold) {
    List<String> names = new ArrayList<>(BUNDLED.common().models.keySet());
    names.addAll(BUNDLED.common().aliases.keySet());
    for (String name : names) {
      ModelPrice atHost = BUNDLED.providers().get(host).resolve(name);
      ModelPrice own = BUNDLED.find(name);
      if (atHost == null || sold.contains(atHost.model)) {
        continue;
      }
      String what = host + " " + name + " (" + atHost.model + ") against " + own.model;
      assertThat(atHost.input).as(what).isEqualByComparingTo(own.input);
      assertThat(atHost.cachedInput).as(what).isEqualByComparingTo(own.cachedInput);
      assertThat(atHost.cacheWrite).as(what).isEqualByComparingTo(own.cacheWrite);
      assertThat(atHost.cacheWrite1h).as(what).isEqualByComparingTo(own.cacheWrite1h);
      assertThat(atHost.output).as(what).isEqualByComparingTo(own.output);
      assertThat(atHost.longContextThreshold).as(what).isEqualTo(own.longContextThreshold);
    }
  }
}
