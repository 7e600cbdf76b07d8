package dev.tollgate.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricesTest {
  @TempDir
  Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void prices_modelOnProvider_jsonIsWhatTheAgentWouldCharge() throws IOException {
    JsonNode n = runJson("prices", "--model", "gpt-4o-mini-2024-07-18", "--provider", "openrouter", "--json");

    JsonNode p = n.get("prices").get(0);
    assertThat(p.get("provider").asText()).isEqualTo("openrouter");
    assertThat(p.get("priced_as").asText()).isEqualTo("gpt-4o-mini");
    assertThat(p.get("input").decimalValue()).isEqualByComparingTo("0.15");
    assertThat(p.get("output").decimalValue()).isEqualByComparingTo("0.60");
    assertThat(n.get("unit").asText()).isEqualTo("USD per million tokens");
  }

  @Test
  void prices_unknownModel_saysFallback() {
    int code = run("prices", "--model", "no-such-model");

    assertThat(code).isZero();
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("no-such-model has no price in the catalog").contains("10 input / 30 output");
  }

  @Test
  void prices_ollama_listsTheZeroDefault() {
    run("prices", "--provider", "ollama");

    assertThat(out.toString(StandardCharsets.UTF_8).split("\n")[1]).matches("ollama\\s+\\*\\s+\\*\\s+0\\s+0\\s+0\\s+0\\s+-\\s+\\S+");
  }

  @Test
  void pricesDiff_liteLlmFile_listsEachDisagreeingField() throws IOException {
    Path file = dir.resolve("litellm.json");
    Files.write(file, ("{\"gpt-4o-mini\": {\"litellm_provider\": \"openai\", \"input_cost_per_token\": 1.5e-07,"
        + " \"output_cost_per_token\": 7e-07, \"cache_read_input_token_cost\": 7.5e-08},"
        + " \"groq/unknown-model\": {\"litellm_provider\": \"groq\", \"input_cost_per_token\": 1e-07}}").getBytes(StandardCharsets.UTF_8));

    JsonNode n = runJson("prices", "--diff", file.toString(), "--json");

    assertThat(n.get("compared").asInt()).isEqualTo(1);
    assertThat(n.get("unpriced").asInt()).isEqualTo(1);
    JsonNode row = n.get("rows").get(0);
    assertThat(row.get("entry").asText()).isEqualTo("openai/gpt-4o-mini");
    assertThat(row.get("field").asText()).isEqualTo("output");
    assertThat(row.get("ours").asText()).isEqualTo("0.6");
    assertThat(row.get("theirs").asText()).isEqualTo("0.7");
  }

  /** An entry with no cache price states none: it is not LiteLLM's price that cached input costs as much as input. */
  @Test
  void pricesDiff_fieldTheFileDoesNotState_isNotADisagreement() throws IOException {
    Path file = dir.resolve("litellm.json");
    Files.write(file, ("{\"gpt-4o-mini\": {\"litellm_provider\": \"openai\", \"input_cost_per_token\": 1.5e-07,"
        + " \"output_cost_per_token\": 6e-07}}").getBytes(StandardCharsets.UTF_8));

    JsonNode n = runJson("prices", "--diff", file.toString(), "--json");

    assertThat(n.get("compared").asInt()).isEqualTo(1);
    assertThat(n.get("rows")).as(n.toString()).isEmpty();
  }

  @Test
  void pricesDiff_tollgateFormatFile_isRefused() throws IOException {
    Path file = dir.resolve("prices.json");
    Files.write(file, "{\"models\":{}}".getBytes(StandardCharsets.UTF_8));

    assertThat(run("prices", "--diff", file.toString())).isEqualTo(2);
    assertThat(err.toString(StandardCharsets.UTF_8)).contains("not LiteLLM's model_prices_and_context_window.json");
  }

  private JsonNode runJson(String... args) throws IOException {
    assertThat(run(args)).as(err.toString(StandardCharsets.UTF_8)).isZero();
    return new ObjectMapper().readTree(out.toByteArray());
  }

  private int run(String... args) {
    return Cli.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }
}
