package dev.tollgate.agent.pricing;

import static dev.tollgate.agent.fuzz.Fuzz.neverThrows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.agent.fuzz.Fuzz;
import dev.tollgate.agent.fuzz.Mutation;
import dev.tollgate.agent.usage.Usage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import org.junit.jupiter.api.Test;

/**
 * A {@code tollgate.pricing-file} damaged every way ({@link Mutation}): it loads, or fails with one
 * {@link PricingException} naming where; whatever it loads prices a call without throwing or hanging.
 */
class PricingFileFuzzTest {
  private static final byte[] OVERRIDES = ("{\n  \"as_of\": \"2026-11-01\",\n  \"models\": {\n"
      + "    \"prod-chat\": { \"provider\": \"openai\", \"input\": 0.40, \"cached_input\": 0.10, \"output\": 1.60, \"max_output_tokens\": 32768,\n"
      + "      \"long_context\": { \"threshold_tokens\": 200000, \"input\": 0.80, \"output\": 3.20 }, \"notes\": \"our fine-tune\" },\n"
      + "    \"gpt-4o-mini\": { \"input\": 0.15, \"output\": 0.60 }\n  },\n"
      + "  \"aliases\": { \"chat\": \"prod-chat\" },\n"
      + "  \"fallback\": { \"provider\": \"unknown\", \"input\": 10.00, \"output\": 30.00, \"max_output_tokens\": 4096 }\n}\n")
      .getBytes(StandardCharsets.UTF_8);
  private static final byte[] BUNDLED = bundled();
  private static final Quoter QUOTER = new Quoter(PriceCatalog.load(null), BigDecimal.ONE);
  private static final Usage USAGE = new Usage(250_000, 1_000, 1_000, 500, 10, null);

  @Test
  void load_damagedPricingFile_loadsOrFailsWithOneClearError_andPricesWithoutThrowing() {
    Fuzz.qt().forAll(Fuzz.between(0, 9), Fuzz.mutations(3)).checkAssert((pick, mutations) -> {
      byte[] file = Mutation.applyAll(pick == 0 ? BUNDLED : OVERRIDES, mutations);
      neverThrows(mutations, () -> {
        PriceTable common = new PriceTable();
        ModelPrice[] fallback = {null};
        try {
          CatalogReader.parse("tollgate.pricing-file=prices.json", file).mergeInto(common, new LinkedHashMap<>(), fallback);
        } catch (PricingException expected) {
          assertThat(expected.getMessage()).startsWith("tollgate.pricing-file=prices.json: ").hasSizeLessThan(64 * 1024);
          return;
        }
        for (ModelPrice p : common.models.values()) {
          assertThat(QUOTER.toCredits(p.costUsd(USAGE))).isNotNegative();
          assertThat(QUOTER.toCredits(p.worstCaseUsd(USAGE.input, p.maxOutputTokens))).isNotNegative();
        }
      });
    });
  }

  @Test
  void parse_fieldNameLongerThanJacksonAllows_isAPricingExceptionNotANullPointer() {
    // The constraint's exception has no location: reading its line number threw a NullPointerException.
    byte[] file = ("{\"" + "a".repeat(60_000) + "\": 1}").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CatalogReader.parse("tollgate.pricing-file=prices.json", file))
        .isInstanceOf(PricingException.class).hasMessageStartingWith("tollgate.pricing-file=prices.json: not valid JSON");
  }

  @Test
  void parse_hugeInvalidValue_isQuotedClipped() {
    // The error quoted a damaged 200 KB as_of whole, in the one line the agent logs.
    byte[] file = ("{\"as_of\": \"" + "a".repeat(200_000) + "\"}").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CatalogReader.parse("tollgate.pricing-file=prices.json", file).mergeInto(new PriceTable(),
        new LinkedHashMap<>(), new ModelPrice[1]))
        .isInstanceOf(PricingException.class).hasMessageContaining("as_of").hasMessageContaining("(200002 characters)")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  @Test
  void parse_aliasToAHugeUnknownName_isQuotedClipped() {
    // Found with -Dtollgate.fuzz.seed=1: the error quoted a 70 KB model name whole.
    byte[] file = ("{\"aliases\": {\"chat\": \"" + "a".repeat(70_000) + "\"}}").getBytes(StandardCharsets.UTF_8);

    assertThatThrownBy(() -> CatalogReader.parse("tollgate.pricing-file=prices.json", file).mergeInto(new PriceTable(),
        new LinkedHashMap<>(), new ModelPrice[1]))
        .isInstanceOf(PricingException.class).hasMessageContaining("aliases.chat: points to unknown model")
        .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(400));
  }

  private static byte[] bundled() {
    try (InputStream in = PricingFileFuzzTest.class.getResourceAsStream("/dev/tollgate/agent/pricing/catalog.json")) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
