package dev.tollgate.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.agent.usage.Usage;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class PriceCatalogTest {
  private static final PriceCatalog BUNDLED = PriceCatalog.load(null);

  @TempDir
  Path dir;

  @Test
  void load_bundled_hasDatedPricesAndFallback() {
    assertThat(BUNDLED.asOf()).matches("\\d{4}-\\d{2}-\\d{2}");
    assertThat(BUNDLED.size()).isGreaterThan(20);
    assertThat(BUNDLED.fallback().input).isEqualByComparingTo("10");
    assertThat(BUNDLED.fallback().output).isEqualByComparingTo("30");
    assertThat(BUNDLED.fallback().maxOutputTokens).isEqualTo(4096);
  }

  @Test
  void costUsd_cachedInputAndReasoning_areExact() {
    // o4-mini: 385 uncached x 1.10 + 1536 cached x 0.275 + 392 output (320 of them reasoning) x 4.40.
    ModelPrice price = BUNDLED.find("o4-mini");

    BigDecimal cost = price.costUsd(new Usage(1921, 392, 1536, 0, 320, null));

    assertThat(cost).isEqualByComparingTo("0.0025707");
  }

  @Test
  void costUsd_reasoningTokens_areBilledOnceAsPartOfOutput() {
    ModelPrice price = BUNDLED.find("o3");

    assertThat(price.costUsd(new Usage(100, 1000, 0, 0, 900, null)))
        .isEqualByComparingTo(price.costUsd(new Usage(100, 1000, 0, 0, 0, null)))
        .isEqualByComparingTo("0.0082"); // 100 x 2 + 1000 x 8
  }

  @Test
  void costUsd_anthropicCacheReadAndWrite_areExact() {
    // 12 uncached x 3 + 20471 read x 0.30 + 1843 written x 3.75 + 387 output x 15.
    ModelPrice price = BUNDLED.find("claude-sonnet-4-20250514");

    BigDecimal cost = price.costUsd(new Usage(22326, 387, 20471, 1843, 0, null));

    assertThat(cost).isEqualByComparingTo("0.01889355");
  }

  @Test
  void costUsd_geminiCachedAndThoughts_areExact() {
    // 1093 uncached x 0.30 + 1024 cached x 0.03 + 1225 output (thoughts included) x 2.50.
    ModelPrice price = BUNDLED.find("gemini-2.5-flash");

    assertThat(price.costUsd(new Usage(2117, 1225, 1024, 0, 1027, null))).isEqualByComparingTo("0.00342112");
  }

  @Test
  void costUsd_embeddingOneToken_isExactNotRounded() {
    ModelPrice price = BUNDLED.find("text-embedding-3-small");

    assertThat(price.costUsd(Usage.of(1, 0))).isEqualByComparingTo("0.00000002");
  }

  @Test
  void costUsd_cacheCountsAboveInput_neverGoNegative() {
    ModelPrice price = BUNDLED.find("gpt-4o-mini");

    assertThat(price.costUsd(new Usage(10, 0, 30, 0, 0, null))).isEqualByComparingTo("0.00000225"); // 30 x 0.075
  }

  @Test
  void worstCaseUsd_gpt4o_isInputPlusMaxOutputAtListPrices() {
    assertThat(BUNDLED.find("gpt-4o").worstCaseUsd(1000, 4096)).isEqualByComparingTo("0.04346");
  }

  @Test
  void find_modelWithoutCachedPrice_cachesAtInputPrice() {
    ModelPrice price = BUNDLED.find("gpt-4-turbo");

    assertThat(price.cachedInput).isEqualByComparingTo(price.input);
    assertThat(price.cacheWrite).isEqualByComparingTo(price.input);
  }

  @ParameterizedTest
  @CsvSource({
      "gpt-4o-mini, gpt-4o-mini",
      "gpt-4o-mini-2024-07-18, gpt-4o-mini",
      "openai/gpt-4o-mini, gpt-4o-mini",
      "gpt-4.1-2025-04-14, gpt-4.1",
      "gpt-3.5-turbo-0125, gpt-3.5-turbo",
      "o3-mini-2025-01-31, o3-mini",
      "claude-sonnet-4-20250514, claude-sonnet-4",
      "claude-sonnet-4-0, claude-sonnet-4",
      "claude-sonnet-4-5-20250929, claude-sonnet-4-5",
      "claude-opus-4-1-20250805, claude-opus-4-1",
      "claude-3-5-sonnet-latest, claude-3-5-sonnet",
      "anthropic/claude-3.5-sonnet, claude-3-5-sonnet",
      "anthropic/claude-sonnet-4.5, claude-sonnet-4-5",
      "models/gemini-2.5-flash, gemini-2.5-flash",
      "gemini-2.5-flash-lite-preview-06-17, gemini-2.5-flash-lite",
      "gemini-2.0-flash-001, gemini-2.0-flash",
      "google/gemini-2.5-pro, gemini-2.5-pro",
      "gpt-4o-mini-search-preview, gpt-4o-mini",
      "gpt-5-2025-08-07, gpt-5",
      "gpt-5-chat-latest, gpt-5",
      "gpt-5.4-mini-2026-03-17, gpt-5.4-mini",
      "o1-mini-2024-09-12, o1-mini",
      "gpt-4-0613, gpt-4",
      "claude-opus-4-5-20251101, claude-opus-4-5",
      "claude-haiku-4-5-20251001, claude-haiku-4-5",
      "anthropic/claude-opus-4.5, claude-opus-4-5",
      "claude-3-opus-20240229, claude-3-opus",
      "gemini-2.5-flash-preview-09-2025, gemini-2.5-flash",
      "gemini-3-pro-preview, gemini-3-pro",
      "gemini-3-flash-preview, gemini-3-flash",
      "google/gemini-3-flash-preview, gemini-3-flash",
      "mistral-large-latest, mistral-large",
      "mistral-large-2512, mistral-large",
      "mistral-large-2411, mistral-large-2411",
      "mistralai/mistral-small-2506, mistral-small",
      "codestral-latest, codestral",
      "grok-4-0709, grok-4",
      "x-ai/grok-4-fast, grok-4-fast",
      "grok-4-1-fast-non-reasoning, grok-4-1-fast",
      "grok-4.20-0309-reasoning, grok-4.20",
      "grok-3-mini-latest, grok-3-mini",
      "deepseek-chat, deepseek-chat",
      "deepseek/deepseek-reasoner, deepseek-reasoner"})
  void find_aliasSnapshotOrVendorPrefix_resolvesToCatalogModel(String asked, String priced) {
    assertThat(BUNDLED.find(asked).model).isEqualTo(priced);
  }

  @ParameterizedTest
  @ValueSource(strings = {"llama-3.1-70b", "meta-llama/llama-3.1-70b-instruct", "gpt-4o-audio-preview-2099", "gpt-4.5-preview", "qwen-max"})
  void find_unknownModel_givesNull(String model) {
    assertThat(BUNDLED.find(model)).isNull();
  }

  @ParameterizedTest
  @NullAndEmptySource
  void find_noModel_givesNull(String model) {
    assertThat(BUNDLED.find(model)).isNull();
  }

  @Test
  void find_sameNameTwice_givesTheSamePrice() {
    assertThat(BUNDLED.find("gpt-4o-mini-2024-07-18")).isSameAs(BUNDLED.find("gpt-4o-mini-2024-07-18"))
        .isSameAs(BUNDLED.find("gpt-4o-mini"));
  }

  @Test
  void find_gpt4oFirstSnapshot_isPricedAtItsOwnHigherRate() {
    // Regression: gpt-4o-2024-05-13 was stripped to gpt-4o and priced at half its list price.
    ModelPrice price = BUNDLED.find("gpt-4o-2024-05-13");

    assertThat(price.input).isEqualByComparingTo("5");
    assertThat(price.output).isEqualByComparingTo("15");
  }

  @Test
  void load_overrideAddsModel_withDefaultsFromInput() throws IOException {
    Path file = write("{\"models\":{\"my-llm\":{\"input\":1.5,\"output\":2}}}");

    ModelPrice price = PriceCatalog.load(file).find("my-llm");

    assertThat(price.input).isEqualByComparingTo("1.5");
    assertThat(price.output).isEqualByComparingTo("2");
    assertThat(price.cachedInput).isEqualByComparingTo("1.5");
    assertThat(price.cacheWrite).isEqualByComparingTo("1.5");
    assertThat(price.maxOutputTokens).isEqualTo(4096);
    assertThat(price.provider).isEqualTo("unknown");
  }

  @Test
  void load_overrideOneFieldOfBundledModel_keepsTheOthers() throws IOException {
    Path file = write("{\"models\":{\"gpt-4o-mini\":{\"input\":0.2}}}");

    ModelPrice price = PriceCatalog.load(file).find("gpt-4o-mini-2024-07-18");

    assertThat(price.input).isEqualByComparingTo("0.2");
    assertThat(price.output).isEqualByComparingTo("0.60");
    assertThat(price.cachedInput).isEqualByComparingTo("0.075");
    assertThat(price.maxOutputTokens).isEqualTo(16384);
    assertThat(price.provider).isEqualTo("openai");
  }

  @Test
  void load_overrideAliasAndFallback_areUsed() throws IOException {
    Path file = write("{\"models\":{\"local-qwen\":{\"provider\":\"vllm\",\"input\":0,\"output\":0,\"max_output_tokens\":2048}},"
        + "\"aliases\":{\"Qwen/Qwen2.5-7B-Instruct\":\"local-qwen\"},"
        + "\"fallback\":{\"input\":1,\"output\":3}}");

    PriceCatalog catalog = PriceCatalog.load(file);

    assertThat(catalog.find("Qwen/Qwen2.5-7B-Instruct").model).isEqualTo("local-qwen");
    assertThat(catalog.find("Qwen/Qwen2.5-7B-Instruct").maxOutputTokens).isEqualTo(2048);
    assertThat(catalog.fallback().input).isEqualByComparingTo("1");
    assertThat(catalog.fallback().output).isEqualByComparingTo("3");
    assertThat(catalog.fallback().maxOutputTokens).isEqualTo(4096);
  }

  @Test
  void load_overrideExactDecimal_isKeptExactly() throws IOException {
    Path file = write("{\"models\":{\"gpt-4o\":{\"input\":2.500000000000000000001}}}");

    assertThat(PriceCatalog.load(file).find("gpt-4o").input).isEqualByComparingTo("2.500000000000000000001");
  }

  @Test
  void bundled_everyProviderHasAPricingPageAndEveryNoteIsText() throws IOException {
    com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(PriceCatalog.class.getResourceAsStream("/dev/tollgate/agent/pricing/catalog.json"));

    assertThat(root.get("as_of").asText()).isEqualTo("2026-11-23");
    root.get("models").fields().forEachRemaining(e -> assertThat(root.get("sources").get(e.getValue().get("provider").asText()))
        .as("source for " + e.getKey()).isNotNull());
    assertThat(root.get("notes").asText()).contains("Reasoning").contains("output price");
  }

  @Test
  void find_longContextModel_hasItsTier() {
    ModelPrice pro = BUNDLED.find("gemini-2.5-pro");

    assertThat(pro.longContextThreshold).isEqualTo(200_000);
    assertThat(pro.longContext.input).isEqualByComparingTo("2.50");
    assertThat(pro.longContext.output).isEqualByComparingTo("15");
    assertThat(pro.longContext.cachedInput).isEqualByComparingTo("0.25");
    assertThat(BUNDLED.find("claude-sonnet-4-5-20250929").longContext.cacheWrite).isEqualByComparingTo("7.50");
    assertThat(BUNDLED.find("gpt-4o").longContext).isNull();
  }

  @Test
  void find_unverifiedPrice_saysSoInItsNotes() {
    assertThat(BUNDLED.find("mistral-large").notes).contains("not confirmed");
    assertThat(BUNDLED.find("gpt-4o-mini").notes).isNull();
  }

  @Test
  void load_overrideAddsLongContextTier_andAnotherKeepsIt() throws IOException {
    Path file = write(
        "{\"models\":{\"my-llm\":{\"input\":1,\"output\":2,\"long_context\":{\"threshold_tokens\":1000,\"input\":4,\"output\":8}},"
            + "\"gemini-2.5-pro\":{\"input\":1.5}}}");

    PriceCatalog catalog = PriceCatalog.load(file);

    ModelPrice mine = catalog.find("my-llm");
    assertThat(mine.longContextThreshold).isEqualTo(1000);
    assertThat(mine.longContext.cachedInput).isEqualByComparingTo("4");
    assertThat(mine.costUsd(Usage.of(1001, 10))).isEqualByComparingTo("0.004084"); // 1001 x 4 + 10 x 8
    ModelPrice pro = catalog.find("gemini-2.5-pro");
    assertThat(pro.input).isEqualByComparingTo("1.5");
    assertThat(pro.longContext.input).isEqualByComparingTo("2.50");
  }

  @Test
  void load_fallbackPriceAsRates_isUsedForUnknownModels() {
    PriceCatalog catalog = PriceCatalog.load(null, "2.5/10");

    assertThat(catalog.fallback().input).isEqualByComparingTo("2.5");
    assertThat(catalog.fallback().output).isEqualByComparingTo("10");
    assertThat(catalog.fallback().maxOutputTokens).isEqualTo(4096);
    assertThat(catalog.find("llama-3.1-70b")).isNull();
  }

  @Test
  void load_fallbackPriceAsModel_usesThatModelsPrices() {
    ModelPrice fallback = PriceCatalog.load(null, "gpt-4o-2024-08-06").fallback();

    assertThat(fallback.model).isEqualTo("gpt-4o");
    assertThat(fallback.output).isEqualByComparingTo("10");
    assertThat(fallback.maxOutputTokens).isEqualTo(16384);
  }

  @ParameterizedTest
  @ValueSource(strings = {"cheap", "10", "10/", "-1/3", "no-such-model", "2000000/1", "0.0000000000000000000000001/1"})
  void load_invalidFallbackPrice_namesTheKeyValueAndWhatIsAllowed(String value) {
    assertThatThrownBy(() -> PriceCatalog.load(null, value))
        .isInstanceOf(PricingException.class)
        .hasMessageContaining("tollgate.fallback-price=" + value)
        .hasMessageContaining("INPUT/OUTPUT");
  }

  @Test
  void load_invalidOverride_namesTheLine() throws IOException {
    Path file = write("{\n  \"models\": {\n    \"x\": {\n      \"input\": 1,\n      \"output\": \"cheap\"\n    }\n  }\n}");

    assertThatThrownBy(() -> PriceCatalog.load(file))
        .hasMessage("tollgate.pricing-file=" + file
            + ": line 5: models.x.output: must be a number of USD per million tokens, 0 to 1000000 with at most 24 decimals; was \"cheap\"");
  }

  @Test
  void load_unknownField_listsTheAllowedOnesInTheDocumentsOrder() throws IOException {
    Path file = write("{ \"models\": { \"x\": { \"input\": 1, \"output\": 2, \"colour\": 3 } } }");

    assertThatThrownBy(() -> PriceCatalog.load(file)).hasMessageEndingWith("models.x.colour: unknown field; allowed: provider, input, "
        + "output, cached_input, cache_write, cache_write_1h, max_output_tokens, long_context, source, checked, notes");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1E+2147483647", "1e-999999999", "1000000.01", "0.0000000000000000000000001"})
  void load_priceBeyondTheBounds_isRefusedBeforeAnyArithmeticExpandsIt(String price) throws IOException {
    Path file = write("{ \"models\": { \"x\": { \"input\": 1, \"output\": " + price + " } } }");

    assertThatThrownBy(() -> PriceCatalog.load(file)).isInstanceOf(PricingException.class)
        .hasMessageContaining("models.x.output: must be a number of USD per million tokens, 0 to 1000000 with at most 24 decimals; was ");
  }

  @Test
  void load_malformedOverride_namesLineAndColumn() throws IOException {
    Path file = write("{\"models\": {\n  \"x\": {\"input\": 1,, \"output\": 2}}}");

    assertThatThrownBy(() -> PriceCatalog.load(file)).hasMessageContaining(file
        + ": not valid JSON: line 2, column 20: unexpected character")
        .hasMessageNotContaining("Source");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"models\":{\"x\":{\"input\":-1,\"output\":1}}}                 | models.x.input",
      "{\"models\":{\"x\":{\"input\":1,\"output\":\"cheap\"}}}          | models.x.output",
      "{\"models\":{\"x\":{\"inptu\":1,\"output\":1}}}                  | models.x.inptu",
      "{\"models\":{\"x\":{\"output\":1}}}                              | models.x.input",
      "{\"models\":{\"x\":{\"input\":1,\"output\":1,\"max_output_tokens\":0}}} | models.x.max_output_tokens",
      "{\"models\":{\"x\":{\"input\":1,\"output\":1,\"max_output_tokens\":1.5}}} | models.x.max_output_tokens",
      "{\"models\":{\"x\":[1,2]}}                                       | models.x",
      "{\"aliases\":{\"fast\":\"no-such-model\"}}                        | fast",
      "{\"aliases\":{\"fast\":42}}                                       | aliases.fast",
      "{\"fallback\":{\"input\":-0.5,\"output\":1}}                      | fallback.input",
      "{\"models\":[{\"x\":{\"input\":1,\"output\":1}}]}                 | models",
      "{\"aliases\":[\"fast\"]}                                          | aliases",
      "{\"model\":{\"x\":{\"input\":1,\"output\":1}}}                    | model",
      "[1,2,3]                                                           | models",
      "not json at all                                                   | JSON",
      "{\"as_of\":\"yesterday\"}                                            | as_of",
      "{\"sources\":{\"acme\":42}}                                          | sources.acme",
      "{\"models\":{\"x\":{\"input\":1,\"output\":1,\"notes\":7}}}       | models.x.notes",
      "{\"models\":{\"x\":{\"input\":1,\"output\":1,\"long_context\":{\"input\":2,\"output\":2}}}} | models.x.long_context.threshold_tokens",
      "{\"models\":{\"x\":{\"input\":1,\"output\":1,\"long_context\":{\"threshold_tokens\":9,\"output\":2}}}} | models.x.long_context.input",
      "{\"models\":{\"x\":{\"input\":1,\"output\":1,\"long_context\":{\"threshold_tokens\":9,\"input\":1,\"output\":1,\"extra\":1}}}} | models.x.long_context.extra"})
  void load_invalidOverride_namesFileAndField(String json, String field) throws IOException {
    Path file = write(json);

    assertThatThrownBy(() -> PriceCatalog.load(file))
        .isInstanceOf(PricingException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining(field);
  }

  @Test
  void load_missingOverrideFile_namesTheFile() {
    Path missing = dir.resolve("nope.json");

    assertThatThrownBy(() -> PriceCatalog.load(missing))
        .isInstanceOf(PricingException.class)
        .hasMessageContaining(missing.toString());
  }

  private Path write(String json) throws IOException {
    Path file = dir.resolve("prices.json");
    Files.write(file, json.getBytes(StandardCharsets.UTF_8));
    return file;
  }
}
