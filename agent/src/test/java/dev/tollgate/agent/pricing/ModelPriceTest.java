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
  void costUsd_oneHourCacheWrites_areBilledAtTheOneHourRate() {
    ModelPrice sonnet = catalog.find("claude-sonnet-4");
    // 10,000 input tokens: 3,000 written to the cache, 2,000 of them to the 1-hour cache; 100 output.
    Usage usage = new Usage(10_000, 100, 0, 3_000, 2_000, 0, null);

    // 7,000 × 3.00 + 1,000 × 3.75 + 2,000 × 6.00 + 100 × 15.00 per 1M
    assertThat(sonnet.costUsd(usage)).isEqualByComparingTo("0.03825");
    assertThat(new Quoter(catalog, java.math.BigDecimal.ONE).costNanos(sonnet, usage)).isEqualTo(38_250_000L);
  }

  @Test
  void worstCase_whenInputIsTheDearestRate_usesIt() {
    assertThat(catalog.find("gpt-4o-mini").worstCaseUsd(12, 100)).isEqualByComparingTo("0.0000618");
  }

  @Test
  void costUsd_inputAboveLongContextThreshold_billsEveryTokenAtTheLongRates() {
    ModelPrice pro = catalog.find("gemini-2.5-pro");

    // 200,000 in: base tier, 200,000 x 1.25 + 1,000 x 10.
    assertThat(pro.costUsd(Usage.of(200_000, 1_000))).isEqualByComparingTo("0.26");
    // 200,001 in, 1,000 cached: long tier, 199,001 x 2.50 + 1,000 x 0.25 + 1,000 x 15.
    assertThat(pro.costUsd(new Usage(200_001, 1_000, 1_000, 0, 0, null))).isEqualByComparingTo("0.5127525");
  }

  @Test
  void costUsd_claudeSonnetLongContext_countsCacheReadsAndWritesTowardTheThreshold() {
    ModelPrice sonnet = catalog.find("claude-sonnet-4-5");

    // 50,000 uncached + 150,001 read + 10,000 written = 210,001 input: long tier throughout.
    Usage usage = new Usage(210_001, 2_000, 150_001, 10_000, 0, null);
    assertThat(sonnet.costUsd(usage)).isEqualByComparingTo("0.5100006"); // 50,000 x 6 + 150,001 x 0.60 + 10,000 x 7.50 + 2,000 x 22.50
  }

  @Test
  void costUsd_oneHourCacheWrites_atTheOneHourRateOfTheTierTheInputSelects() {
    ModelPrice sonnet = catalog.find("claude-sonnet-4-5");

    // 1,000 uncached + 3,000 written, 2,000 of them to the 1-hour cache: 1,000 x 3 + 1,000 x 3.75 + 2,000 x 6 + 100 x 15.
    assertThat(sonnet.costUsd(new Usage(4_000, 100, 0, 3_000, 2_000, 0, null))).isEqualByComparingTo("0.02025");
    // 200,001 input, 10,000 of it written to the 1-hour cache: 190,001 x 6 + 10,000 x 12 + 100 x 22.5.
    assertThat(sonnet.costUsd(new Usage(200_001, 100, 0, 10_000, 10_000, 0, null))).isEqualByComparingTo("1.262256");
  }

  @Test
  void worstCase_estimateAboveThreshold_usesTheLongTier() {
    ModelPrice sonnet = catalog.find("claude-sonnet-4");

    assertThat(sonnet.worstCaseUsd(200_000, 1_000)).isEqualByComparingTo("0.765"); // 200,000 x 3.75 + 1,000 x 15
    assertThat(sonnet.worstCaseUsd(200_001, 1_000)).isEqualByComparingTo("1.5225075"); // 200,001 x 7.50 + 1,000 x 22.50
  }
}
