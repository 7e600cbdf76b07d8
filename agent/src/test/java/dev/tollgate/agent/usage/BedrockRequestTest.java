package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.endpoint.Format;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Where each Bedrock request shape bounds its output, read by the fast scan and by the parser alike. */
class BedrockRequestTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // Converse
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}],\"inferenceConfig\":{\"maxTokens\":300,\"temperature\":0.5}}|300",
      // Anthropic's native body
      "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}|200",
      // Nova's native body: its max_new_tokens is not read (the catalog's bound stands)
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"Hi\"}]}],\"inferenceConfig\":{\"max_new_tokens\":150}}|-1",
      // Meta Llama
      "{\"prompt\":\"Hi\",\"max_gen_len\":512,\"temperature\":0.5}|512",
      // Titan text
      "{\"inputText\":\"Hi\",\"textGenerationConfig\":{\"maxTokenCount\":64,\"temperature\":0}}|64",
      // Titan embeddings: no bound
      "{\"inputText\":\"hello there\"}|-1"})
  void inspect_bedrockBodies_readTheOutputBound(String body, long expected) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);

    RequestInfo scanned = RequestInfo.inspect(Formats.BEDROCK, bytes, bytes.length, "amazon.nova-pro-v1:0");
    RequestInfo parsed = RequestInfo.parse(Formats.BEDROCK, bytes, "amazon.nova-pro-v1:0");

    assertThat(scanned.maxOutputTokens).isEqualTo(expected);
    assertThat(parsed.maxOutputTokens).isEqualTo(expected);
    assertThat(scanned.estimatedInputTokens).isEqualTo(parsed.estimatedInputTokens).isPositive();
  }
}
