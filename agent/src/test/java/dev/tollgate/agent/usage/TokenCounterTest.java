package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

@org.junit.jupiter.api.parallel.Isolated("switches the JVM-wide tokenizers (TokenCounter.useTokenizers)")
class TokenCounterTest {
  @org.junit.jupiter.api.BeforeAll
  static void loadTokenizers() {
    // Metered calls load them in the background and use the heuristic meanwhile; these tests pin the real counts.
    TokenCounter.load("gpt-4o");
    TokenCounter.load("gpt-4");
  }

  @ParameterizedTest
  @CsvSource({
      "gpt-4o, o200k_base", "gpt-4o-mini-2024-07-18, o200k_base", "chatgpt-4o-latest, o200k_base", "gpt-4.1-nano, o200k_base",
      "gpt-5, o200k_base", "gpt-5.4-mini, o200k_base", "o1, o200k_base", "o3-mini, o200k_base", "o4-mini-2025-04-16, o200k_base",
      "openai/gpt-4o, o200k_base", "ft:gpt-4o-mini:acme::abc123, o200k_base", "GPT-4o, o200k_base",
      "gpt-4, cl100k_base", "gpt-4-turbo, cl100k_base", "gpt-3.5-turbo-0125, cl100k_base", "text-embedding-3-small, cl100k_base"})
  void forModel_openAiModels_useTheirEncoding(String model, String encoding) {
    assertThat(TokenCounter.forModel(model).name()).isEqualTo(encoding);
  }

  @ParameterizedTest
  @NullSource
  @ValueSource(strings = {"claude-sonnet-4-5", "gemini-2.5-flash", "mistral-large-latest", "grok-4", "deepseek-chat",
      "meta-llama/llama-3.1-70b-instruct", "omni-moderation-latest", "gpt-oss-120b"})
  void forModel_otherModels_useTheHeuristic(String model) {
    assertThat(TokenCounter.forModel(model)).isSameAs(TokenCounter.HEURISTIC);
  }

  @ParameterizedTest
  @CsvSource({"antidisestablishmentarianism, 6, 6", "2 + 2 = 4, 7, 7", "お誕生日おめでとう, 8, 9"})
  void count_matchesTiktoken(String text, long o200k, long cl100k) {
    // The counts the OpenAI cookbook prints for these strings with tiktoken.
    assertThat(TokenCounter.forModel("gpt-4o").count(text)).isEqualTo(o200k);
    assertThat(TokenCounter.forModel("gpt-4").count(text)).isEqualTo(cl100k);
  }

  @Test
  void heuristicOnly_countsEveryModelByCharacters_andLoadsNothing() {
    TokenCounter.useTokenizers(false);
    try {
      assertThat(TokenCounter.forModel("gpt-4o").name()).isEqualTo("chars/4");
      assertThat(TokenCounter.forModel("gpt-4o").count("Say hello")).isEqualTo(3);
    } finally {
      TokenCounter.useTokenizers(true);
    }
    assertThat(TokenCounter.forModel("gpt-4o").name()).isEqualTo("o200k_base");
  }

  @Test
  void count_specialTokenText_isCountedAsOrdinaryText() {
    assertThat(TokenCounter.forModel("gpt-4o").count("<|endoftext|>")).isGreaterThan(1);
  }

  @Test
  void heuristic_isOneTokenPerFourCharactersRoundedUp() {
    assertThat(TokenCounter.HEURISTIC.count("")).isZero();
    assertThat(TokenCounter.HEURISTIC.count("abcde")).isEqualTo(2);
    assertThat(TokenCounter.HEURISTIC.isTokenizer()).isFalse();
  }

  @Test
  void count_aLongTextSeenBefore_countsTheSame_asTheFirstTime_andAsAFreshCopy() {
    String first = "antidisestablishmentarianism ".repeat(10) + "お誕生日おめでとう"; // 6 x 10 tokens, then 8
    TokenCounter o200k = TokenCounter.forModel("gpt-4o");
    long counted = o200k.count(first);
    assertThat(counted).isEqualTo(o200k.count(new String(first.toCharArray()))); // an equal text from another request
    assertThat(o200k.count(first + "!")).isGreaterThan(counted); // a different text is counted, not looked up
    assertThat(TokenCounter.forModel("gpt-4").count(first)).isNotEqualTo(counted); // each encoding keeps its own counts
  }
}
