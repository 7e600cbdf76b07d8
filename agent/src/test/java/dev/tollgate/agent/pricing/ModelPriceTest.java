package dev.tollgate.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.usage.Usage;
import org.junit.jupiter.api.Test;

class ModelPriceTest {
  private final PriceCatalog catalog = PriceCatalog.load(null);

  @Test
  void worstCase_whenCacheWritesCostMoreThanInput_coversACallThatWritesTheWholePromptToCache() {
    ModelPrice haiku = catalog.find("claude-3-5-haiku");
    // The sample app's call #3: 1447 input tokens, 1024 of them written to the cache, 243 output.
    Usage actual = new Usage(1447, 243, 0, 1024, 0, null);

    assertThat(haiku.worstCaseUsd(1447, 300)).isGreaterThanOrEqualTo(haiku.costUsd(actual));
    assertThat(haiku.worstCaseUsd(1447, 300)).isEqualByComparingTo("0.002647"); // 1447 × 1.00 + 300 × 4.00 per 1M
  }

  @Test
  void worstCase_whenInputIsTheDearestRate_usesIt() {
    assertThat(catalog.find("gpt-4o-mini").worstCaseUsd(12, 100)).isEqualByComparingTo("0.0000618");
  }
}
