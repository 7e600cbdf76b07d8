package dev.tollgate.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class BedrockPricesTest {
  private final PriceCatalog catalog = PriceCatalog.load(null);

  private BigDecimal input(String model) {
    ModelPrice p = catalog.find("bedrock", model);
    return p == null ? null : p.input;
  }

  @Test
  void find_baseIdsProfilesAndArns_priceAsTheModel() {
    assertThat(input("amazon.nova-pro-v1:0")).isEqualByComparingTo("0.8");
    assertThat(input("us.amazon.nova-pro-v1:0")).isEqualByComparingTo("0.8");
    assertThat(input("arn:aws:bedrock:us-east-1::foundation-model/amazon.nova-pro-v1:0")).isEqualByComparingTo("0.8");
    assertThat(input("arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.meta.llama3-3-70b-instruct-v1:0"))
        .isEqualByComparingTo("0.72");
    assertThat(input("amazon.titan-embed-text-v2:0")).isEqualByComparingTo("0.02");
    assertThat(input("cohere.command-r-plus-v1:0")).isEqualByComparingTo("3");
  }

  @Test
  void find_claudeProfiles_priceAsTheModel_theGlobalProfileAtItsOwnRate() {
    assertThat(input("eu.anthropic.claude-3-5-haiku-20241022-v1:0")).isEqualByComparingTo("0.8");
    assertThat(input("us.anthropic.claude-sonnet-4-5-20250929-v1:0")).isEqualByComparingTo("3.3");
    assertThat(input("global.anthropic.claude-sonnet-4-5-20250929-v1:0")).isEqualByComparingTo("3");
    // A Claude id the Bedrock table lacks prices as Anthropic's own model.
    assertThat(input("apac.anthropic.claude-3-7-sonnet-20250219-v2:0")).isEqualByComparingTo("3");
  }

  @Test
  void find_opaqueOrForeignIds_areUnpriced() {
    assertThat(catalog.find("bedrock", "arn:aws:bedrock:us-east-1:123456789012:application-inference-profile/a1b2c3d4e5")).isNull();
    assertThat(catalog.find("bedrock", "us.unknownvendor.model-v1:0")).isNull();
    assertThat(BedrockModelIds.candidates("gpt-4.1-mini")).isEmpty();
  }
}
