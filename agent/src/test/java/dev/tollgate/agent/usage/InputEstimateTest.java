package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The pre-flight input estimate against requests whose real prompt-token counts OpenAI published
 * (see {@code src/test/resources/requests/README.md}).
 */
class InputEstimateTest {
  @org.junit.jupiter.api.BeforeAll
  static void loadTokenizers() {
    // Metered calls load them in the background and use the heuristic meanwhile; these tests pin the real counts.
    TokenCounter.load("gpt-4o");
    TokenCounter.load("gpt-4");
  }


  @ParameterizedTest
  @CsvSource({"gpt-4o, 124, o200k_base", "gpt-4o-mini-2024-07-18, 124, o200k_base", "openai/gpt-4o, 124, o200k_base",
      "gpt-4-0613, 129, cl100k_base", "gpt-3.5-turbo, 129, cl100k_base"})
  void chatMessages_withTokenizer_matchOpenAisCountExactly(String model, long actual, String counter) {
    RequestInfo info = inspect("openai/cookbook-chat.json", model);

    assertThat(info.estimatedInputTokens).isEqualTo(actual);
    assertThat(info.counter).isEqualTo(counter);
  }

  @ParameterizedTest
  @CsvSource({"gpt-4o, 104, 101", "gpt-4o-mini, 104, 101", "gpt-4, 108, 105", "gpt-3.5-turbo, 108, 105"})
  void chatWithFunctionTool_isWithinThreePercentAbove(String model, long estimate, long actual) {
    RequestInfo info = inspect("openai/cookbook-tools.json", model);

    assertThat(info.estimatedInputTokens).isEqualTo(estimate).isBetween(actual, actual * 103 / 100);
  }

  @ParameterizedTest
  @CsvSource({"openai/cookbook-chat.json, 198, 124", "openai/cookbook-tools.json, 139, 101"})
  void sameRequestForAModelWithoutPublicTokenizer_usesTheHeuristic_wellAboveTheRealCount(String file, long estimate, long openAiCount) {
    RequestInfo info = inspect(file, "deepseek-chat");

    assertThat(info.counter).isEqualTo("chars/4");
    assertThat(info.estimatedInputTokens).isEqualTo(estimate).isBetween(openAiCount, openAiCount * 2);
  }

  private static RequestInfo inspect(String file, String model) {
    String json = read(file).replace("\"model\": \"gpt-4o\"", "\"model\": \"" + model + "\"");
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    return RequestInfo.inspect(Formats.OPENAI, body, body.length);
  }

  private static String read(String file) {
    try (InputStream in = InputEstimateTest.class.getResourceAsStream("/requests/" + file)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
