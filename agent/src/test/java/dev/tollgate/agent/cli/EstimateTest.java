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
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EstimateTest {
  @TempDir
  Path dir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @Test
  void estimate_inputJson_isTheQuoteWithTheContractFields() throws IOException {
    JsonNode n = runJson("estimate", "--model", "gpt-4o-mini-2024-07-18", "--input", "2 + 2 = 4", "--max-output", "100", "--json");

    List<String> fields = new ArrayList<>();
    n.fieldNames().forEachRemaining(fields::add);
    assertThat(fields).containsExactly("model", "priced_as", "provider", "priced", "input_tokens", "tokenizer",
        "max_output_tokens", "cost", "long_context", "catalog_as_of");
    assertThat(n.get("priced_as").asText()).isEqualTo("gpt-4o-mini");
    assertThat(n.get("priced").asBoolean()).isTrue();
    assertThat(n.get("input_tokens").asLong()).isEqualTo(7);
    assertThat(n.get("tokenizer").asText()).isEqualTo("o200k_base");
    assertThat(n.get("max_output_tokens").asLong()).isEqualTo(100);
    assertThat(n.get("cost").isNumber()).isTrue();
    assertThat(n.get("cost").decimalValue()).isEqualByComparingTo("0.00006105"); // 7 x 0.15 + 100 x 0.60
    assertThat(n.get("catalog_as_of").asText()).isEqualTo("2026-11-23");
  }

  @Test
  void estimate_requestFile_readsModelAndBoundFromTheBody() throws IOException {
    Path request = dir.resolve("req.json");
    Files.writeString(request,
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":100}");

    JsonNode n = runJson("estimate", "--request", request.toString(), "--json");

    assertThat(n.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(n.get("input_tokens").asLong()).isEqualTo(9);
    assertThat(n.get("cost").decimalValue()).isEqualByComparingTo("0.00006135");
  }

  @Test
  void estimate_table_namesTheEntryAndSaysNothingWasSent() {
    int code = Cli.run(new String[] {"estimate", "--model", "claude-sonnet-4-5-20250929", "--input", "abcdefgh", "--max-output", "1000"},
        print(out), print(err));

    assertThat(code).as(text(err)).isZero();
    assertThat(text(out).split("\n")).containsExactly(
        "MODEL                       PRICED AS          INPUT TOKENS  TOKENIZER  MAX OUTPUT  WORST-CASE COST",
        "claude-sonnet-4-5-20250929  claude-sonnet-4-5             2  chars/4         1,000        0.0150075",
        "catalog prices as of 2026-11-23; credits at tollgate.credits-per-usd=1; nothing was sent or reserved");
  }

  @Test
  void estimate_unknownModel_saysUnpriced() {
    Cli.run(new String[] {"estimate", "--model", "my-llm", "--input", "hi"}, print(out), print(err));

    assertThat(text(out)).contains("fallback (unpriced: fallback)").contains("4,096");
  }

  @Test
  void estimate_missingRequestFile_exitsOne() {
    int code = Cli.run(new String[] {"estimate", "--request", dir.resolve("nope.json").toString()}, print(out), print(err));

    assertThat(code).isEqualTo(1);
    assertThat(text(err)).isEqualTo("tollgate: cannot read " + dir.resolve("nope.json") + ": does not exist\n");
  }

  @Test
  void estimate_requestFileNotJson_exitsTwoNamingTheFileAndWhere() throws IOException {
    // Regression: a torn {"model": was quoted (exit 0) as if it were a request.
    Path request = Files.writeString(dir.resolve("badreq.json"), "{\"model\":");

    int code = Cli.run(new String[] {"estimate", "--request", request.toString()}, print(out), print(err));

    assertThat(code).isEqualTo(2);
    assertThat(text(out)).isEmpty();
    assertThat(text(err)).isEqualTo("tollgate: --request " + request + " is not valid JSON: line 1, column 10: "
        + "unexpected end-of-input within/between Object entries\n");
  }

  @Test
  void estimate_requestFileWithASecretToken_neverQuotesIt() throws IOException {
    Path request = Files.writeString(dir.resolve("badreq.json"), "{\"model\": sk-secret-0123456789}");

    int code = Cli.run(new String[] {"estimate", "--request", request.toString()}, print(out), print(err));

    assertThat(code).isEqualTo(2);
    assertThat(text(err)).startsWith("tollgate: --request " + request + " is not valid JSON: line 1, column ")
        .doesNotContain("secret");
  }

  @Test
  void estimate_inputAndRequest_excludeEachOther() {
    int code = Cli.run(new String[] {"estimate", "--model", "gpt-4o", "--input", "x", "--request", "f.json"}, print(out), print(err));

    assertThat(code).isEqualTo(2);
    assertThat(text(err)).startsWith("--input and --request exclude each other: give the text or the request file, not both\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "estimate",
      "estimate --input hi",
      "estimate --model gpt-4o",
      "estimate --model gpt-4o --input hi --request r.json",
      "estimate --model gpt-4o --input hi --max-output 0",
      "estimate --model gpt-4o --input hi --max-output many",
      "estimate --model gpt-4o --input",
      "estimate --model gpt-4o --input hi --data-dir x"})
  void estimate_badOptions_exitTwoWithUsage(String args) {
    int code = Cli.run(args.split(" "), print(out), print(err));

    assertThat(code).isEqualTo(2);
    assertThat(text(err)).contains("usage: java -jar tollgate-agent.jar estimate");
    assertThat(text(out)).isEmpty();
  }

  private JsonNode runJson(String... args) throws IOException {
    int code = Cli.run(args, print(out), print(err));
    assertThat(code).as(text(err)).isZero();
    return new ObjectMapper().readTree(text(out));
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
