package dev.tollgate.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The resolution rules: a name never falls back onto a different model's price. */
class CatalogResolutionTest {
  private static final PriceCatalog BUNDLED = PriceCatalog.load(null);

  /**
   * Names from the public price datasets that the old rule (strip any -NNNN, -preview, -latest)
   * priced as a different model (the second column): each now prices as its own entry (the input and
   * output columns), or, where the catalog has none, is unpriced (reserved at the fallback and flagged).
   */
  @ParameterizedTest(name = "{0} is not {1}")
  @CsvSource({
      "gpt-4-1106-preview, gpt-4, 10, 30", "gpt-4-0125-preview, gpt-4, 10, 30", "openai/gpt-4-1106-preview, gpt-4, 10, 30",
      "gpt-3.5-turbo-0301, gpt-3.5-turbo, ,", "gpt-3.5-turbo-0613, gpt-3.5-turbo, ,", "gpt-3.5-turbo-1106, gpt-3.5-turbo, 1, 2",
      "o1-preview-2024-09-12, o1, ,", "o1-preview, o1, ,",
      "gemini-2.5-flash-preview, gemini-2.5-flash, ,", "gemini-2.5-flash-preview-05-20, gemini-2.5-flash, ,",
      "codestral-2405, codestral, ,", "ministral-8b-2512, ministral-8b, ,",
      "mistral-large-2402, mistral-large, ,", "mistral-large-2407, mistral-large, 2, 6",
      "mistral-medium-2312, mistral-medium, ,", "mistral-medium-2604, mistral-medium, ,", "mistral-small-2603, mistral-small, ,"})
  void find_versionedName_neverPricesAsAnotherModel(String name, String other, String input, String output) {
    ModelPrice price = BUNDLED.find(name);

    if (input == null) {
      assertThat(price).as(name).isNull();
    } else {
      assertThat(price.model).as(name).isNotEqualTo(other);
      assertThat(price.input).as(name).isEqualByComparingTo(input);
      assertThat(price.output).as(name).isEqualByComparingTo(output);
    }
  }

  @Test
  void find_everyModelName_resolvesToItself() {
    for (String name : BUNDLED.common().models.keySet()) {
      assertThat(BUNDLED.find(name).model).as(name).isEqualTo(name);
    }
    BUNDLED.providers().forEach((provider, table) -> table.models.keySet()
        .forEach(name -> assertThat(BUNDLED.find(provider, name)).as(provider + "/" + name).isSameAs(table.models.get(name))));
  }

  @Test
  void find_everyAlias_resolvesToItsModel() {
    BUNDLED.common().aliases.forEach((alias, model) -> assertThat(BUNDLED.find(alias).model).as(alias).isEqualTo(model));
    BUNDLED.providers().forEach((provider, table) -> table.aliases.forEach((alias, model) ->
        assertThat(BUNDLED.find(provider, alias)).as(provider + "/" + alias).isSameAs(table.models.get(model))));
  }

  @ParameterizedTest(name = "{0} prices as {1}")
  @CsvSource({
      "gpt-4o-mini-2024-07-18, gpt-4o-mini", "openai/gpt-4o-mini, gpt-4o-mini", "claude-sonnet-4-20250514, claude-sonnet-4",
      "anthropic/claude-3.5-sonnet, claude-3-5-sonnet", "gemini-2.0-flash-001, gemini-2.0-flash", "models/gemini-2.5-pro, gemini-2.5-pro",
      // Vertex AI spells a Claude snapshot with @
      "claude-sonnet-4@20250514, claude-sonnet-4", "claude-opus-4-1@20250805, claude-opus-4-1"})
  void find_snapshotOrPrefixedName_pricesAsItsModel(String name, String model) {
    assertThat(BUNDLED.find(name).model).isEqualTo(model);
  }
}
