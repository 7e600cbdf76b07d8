package dev.tollgate.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.usage.Formats;
import dev.tollgate.agent.usage.RequestInfo;
import dev.tollgate.api.CreditEstimate;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class QuoterTest {
  private final Quoter quoter = new Quoter(PriceCatalog.load(null), BigDecimal.ONE);

  @Test
  void quote_knownModel_reservesInputAtDearestRateAndRequestedOutput() {
    Quoter.Quote q = quoter.quote("gpt-4o-mini-2024-07-18", 9, 100);

    assertThat(q.price.model).isEqualTo("gpt-4o-mini");
    assertThat(q.maxOutputTokens).isEqualTo(100);
    assertThat(Money.fromNanos(q.worstCaseNanos)).isEqualByComparingTo("0.00006135"); // 9 x 0.15 + 100 x 0.60
  }

  @Test
  void quote_unknownModel_usesFallbackAndItsMaxOutput() {
    Quoter.Quote q = quoter.quote("llama-3.1-70b", 1000, 0);

    assertThat(q.price).isNull();
    assertThat(q.reservePrice.model).isEqualTo("fallback");
    assertThat(q.maxOutputTokens).isEqualTo(4096);
    assertThat(Money.fromNanos(q.worstCaseNanos)).isEqualByComparingTo("0.13288"); // 1000 x 10 + 4096 x 30
  }

  @Test
  void quote_requestAskingForTheOneHourCache_reservesInputAtTheOneHourWriteRate() {
    String oneHour = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":100,\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\","
        + "\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
    String fiveMinutes = oneHour.replace("\"ttl\":\"1h\"", "\"ttl\":\"5m\"");
    RequestInfo hour = RequestInfo.inspect(Formats.ANTHROPIC, utf8(oneHour), oneHour.length());
    RequestInfo minutes = RequestInfo.inspect(Formats.ANTHROPIC, utf8(fiveMinutes), fiveMinutes.length());

    Quoter.Quote q = quoter.quote("anthropic", "claude-sonnet-4-5", hour);
    Quoter.Quote q5 = quoter.quote("anthropic", "claude-sonnet-4-5", minutes);

    assertThat(hour.cacheWrite1h).isTrue();
    assertThat(minutes.cacheWrite1h).isFalse();
    assertThat(hour.estimatedInputTokens).isEqualTo(minutes.estimatedInputTokens);
    long input = hour.estimatedInputTokens;
    // Sonnet 4.5: the 1-hour write is 6.00 per million, the 5-minute one 3.75, output 15.00
    assertThat(Money.fromNanos(q.worstCaseNanos)).isEqualByComparingTo(BigDecimal.valueOf(input * 600 + 100 * 1500).movePointLeft(8));
    assertThat(Money.fromNanos(q5.worstCaseNanos)).isEqualByComparingTo(BigDecimal.valueOf(input * 375 + 100 * 1500).movePointLeft(8));
    assertThat(quoter.toCredits(q.price.worstCaseUsd(input, 100, true))).isEqualTo(q.worstCaseNanos);
  }

  @Test
  void quote_oneHourCacheOnAModelWithoutCacheWrites_reservesAsBefore() {
    String body = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":100,\"metadata\":{\"ttl\":\"1h\"},\"messages\":[]}";
    RequestInfo request = RequestInfo.inspect(Formats.OPENAI, utf8(body), body.length());

    assertThat(request.cacheWrite1h).isTrue(); // read wherever it is: only ever a higher reservation
    assertThat(quoter.quote("openai", "gpt-4o-mini", request).worstCaseNanos)
        .isEqualTo(quoter.quote("openai", "gpt-4o-mini", request.estimatedInputTokens, 100).worstCaseNanos);
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void quote_creditsPerUsd_scalesTheReservation() {
    Quoter credits = new Quoter(PriceCatalog.load(null), new BigDecimal("100"));

    assertThat(Money.fromNanos(credits.quote("gpt-4o-mini", 9, 100).worstCaseNanos)).isEqualByComparingTo("0.006135");
  }

  @Test
  void estimateText_openAiModel_countsWithItsTokenizerAndDefaultsToItsMaxOutput() {
    assertThat(dev.tollgate.agent.usage.TokenCounter.load("gpt-4o-mini")).isTrue(); // a metered call loads it in the background
    CreditEstimate e = quoter.estimateText("gpt-4o-mini", "2 + 2 = 4", 0);

    assertThat(e.model()).isEqualTo("gpt-4o-mini");
    assertThat(e.pricedAs()).isEqualTo("gpt-4o-mini");
    assertThat(e.provider()).isEqualTo("openai");
    assertThat(e.priced()).isTrue();
    assertThat(e.inputTokens()).isEqualTo(7);
    assertThat(e.tokenizer()).isEqualTo("o200k_base");
    assertThat(e.maxOutputTokens()).isEqualTo(16384);
    assertThat(e.cost()).isEqualByComparingTo("0.00983145"); // 7 x 0.15 + 16384 x 0.60
    assertThat(e.longContext()).isFalse();
  }

  @Test
  void estimateRequest_anthropicBody_readsModelAndMaxTokensAndCountsWithTheHeuristic() {
    byte[] body = ("{\"model\":\"claude-3-5-haiku-latest\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}")
        .getBytes(StandardCharsets.UTF_8);

    CreditEstimate e = quoter.estimateRequest(null, body, 0);

    assertThat(e.model()).isEqualTo("claude-3-5-haiku-latest");
    assertThat(e.pricedAs()).isEqualTo("claude-3-5-haiku");
    assertThat(e.tokenizer()).isEqualTo("chars/4");
    assertThat(e.inputTokens()).isEqualTo(10); // "user" + "Hi" = 6 chars -> 2, + 2 values x 4
    assertThat(e.maxOutputTokens()).isEqualTo(200);
    assertThat(e.cost()).isEqualByComparingTo("0.00081"); // 10 x 1.00 (cache write) + 200 x 4.00
  }

  @Test
  void estimateRequest_geminiBodyWithModelGiven_readsGenerationConfigBound() {
    byte[] body = "{\"contents\":[{\"parts\":[{\"text\":\"Why is the sky blue?\"}]}],\"generationConfig\":{\"maxOutputTokens\":256}}"
        .getBytes(StandardCharsets.UTF_8);

    CreditEstimate e = quoter.estimateRequest("gemini-2.5-flash", body, 0);

    assertThat(e.model()).isEqualTo("gemini-2.5-flash");
    assertThat(e.inputTokens()).isEqualTo(5 + 4); // 20 chars -> 5, + 1 value x 4
    assertThat(e.maxOutputTokens()).isEqualTo(256);
    assertThat(e.cost()).isEqualByComparingTo("0.0006427"); // 9 x 0.30 + 256 x 2.50
  }

  @Test
  void estimateRequest_maxOutputGiven_overridesTheBodys() {
    byte[] body = "{\"model\":\"gpt-4o\",\"max_tokens\":50,\"messages\":[]}".getBytes(StandardCharsets.UTF_8);

    assertThat(quoter.estimateRequest(null, body, 10).maxOutputTokens()).isEqualTo(10);
  }

  @Test
  void estimateText_unknownModel_isUnpricedAtTheFallback() {
    CreditEstimate e = quoter.estimateText("my-private-llm", "abcdefgh", 100);

    assertThat(e.priced()).isFalse();
    assertThat(e.pricedAs()).isEqualTo("fallback");
    assertThat(e.provider()).isEqualTo("unknown");
    assertThat(e.cost()).isEqualByComparingTo("0.00302"); // 2 x 10 + 100 x 30
  }

  @Test
  void estimateText_longPrompt_isPricedAtTheLongContextTier() {
    CreditEstimate e = quoter.estimateText("gemini-2.5-pro", "x".repeat(800_004), 1000);

    assertThat(e.inputTokens()).isEqualTo(200_001);
    assertThat(e.longContext()).isTrue();
    assertThat(e.cost()).isEqualByComparingTo("0.5150025"); // 200,001 x 2.50 + 1,000 x 15
  }
}
