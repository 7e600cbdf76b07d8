package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code java -jar tollgate-agent.jar report|balance} over the data dir a real run left, and {@code estimate}. */
class CliIT extends LoopbackTest {

  @BeforeEach
  void run() {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    Fork.Result openAi = Fork.app("okhttp4", OkHttpApp.class).prop("tollgate.data-dir", dataDir).prop("tollgate.budget", "0.0014")
        .endpoint("fake-openai", server.url("/v1").toString(), "openai")
        .args("sync", server.url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "--calls", 2).run();
    Fork.Result anthropic = Fork.app("okhttp4", OkHttpApp.class).prop("tollgate.data-dir", dataDir).prop("tollgate.budget", "0.0014")
        .endpoint("fake-anthropic", server.url("/v1").toString(), "anthropic")
        .args("sync", server.url("/v1/messages"), Fixtures.ANTHROPIC_REQUEST).run();
    // Two OpenAI calls spend 2 × 0.000345; the Anthropic call reserves 0.0008+ of the 0.00071 left: blocked.
    assertThat(openAi.lines("STATUS ")).as(openAi.toString()).containsExactly("200", "200");
    assertThat(anthropic.lines("STATUS ")).as(anthropic.toString()).containsExactly("402");
  }

  @Test
  void reportJson_hasTheContractShape() {
    Fork.Result r = Fork.cli("report", "--json", "--data-dir", dataDir.toString());

    JsonNode root = Journal.json(r.stdout);
    assertThat(r.exit).as(r.toString()).isZero();
    JsonNode totals = root.get("totals");
    assertThat(totals.get("calls").asLong()).isEqualTo(2);
    assertThat(totals.get("blocked").asLong()).isEqualTo(1);
    assertThat(totals.get("input_tokens").asLong()).isEqualTo(2400);
    assertThat(totals.get("output_tokens").asLong()).isEqualTo(600);
    assertThat(totals.get("cost").decimalValue()).isEqualByComparingTo("0.00069");
    assertThat(root.get("groups")).extracting(g -> g.get("key").asText()).containsExactly("gpt-4o-mini-2024-07-18", "claude-3-5-haiku-latest");
  }

  @Test
  void reportTable_byProvider_isAligned() {
    Fork.Result r = Fork.cli("report", "--by", "provider", "--data-dir", dataDir.toString());

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.stdout.split("\n")).containsExactly(
        "PROVIDER        CALLS  BLOCKED  INPUT TOKENS  OUTPUT TOKENS     COST",
        "fake-openai         2        0         2,400            600  0.00069",
        "fake-anthropic      0        1             0              0        0",
        "TOTAL               2        1         2,400            600  0.00069");
  }

  @Test
  void balance_showsBudgetSpentAndRemaining() {
    Fork.Result json = Fork.cli("balance", "--json", "--data-dir", dataDir.toString());
    Fork.Result table = Fork.cli("balance", "--data-dir", dataDir.toString());

    JsonNode b = Journal.json(json.stdout);
    assertThat(b.get("balance_credits").decimalValue()).as(json.toString()).isEqualByComparingTo("0.00071");
    assertThat(b.get("budget").decimalValue()).isEqualByComparingTo("0.0014");
    assertThat(b.get("warning_low").asBoolean()).isFalse();
    assertThat(b.get("buckets").get(0).get("source_type").asText()).isEqualTo("budget");
    assertThat(table.stdout).contains("local").contains("0.0014").contains("0.00069").contains("0.00071");
  }

  @Test
  void estimate_quotesWhatTheAgentWouldReserve_withoutSendingOrRecordingAnything() throws IOException {
    Path request = Files.writeString(dataDir.resolve("request.json"), Fixtures.OPENAI_REQUEST);
    long requests = server.getRequestCount();
    int records = Journal.records(dataDir).size();

    Fork.Result json = Fork.cli("estimate", "--request", request.toString(), "--json");
    Fork.Result table = Fork.cli("estimate", "--model", "claude-3-5-haiku-latest", "--input", "Hi", "--max-output", "200");

    JsonNode n = Journal.json(json.stdout);
    assertThat(json.exit).as(json.toString()).isZero();
    assertThat(n.get("priced_as").asText()).isEqualTo("gpt-4o-mini");
    assertThat(n.get("input_tokens").asLong()).isEqualTo(9);
    assertThat(n.get("tokenizer").asText()).isEqualTo("o200k_base"); // the shaded JTokkit loads its encoding from the jar
    assertThat(n.get("max_output_tokens").asLong()).isEqualTo(100);
    // The CLI waits for the tokenizer: 9 input tokens, what the agent reserves once o200k_base has loaded.
    assertThat(n.get("cost").decimalValue()).isEqualByComparingTo("0.00006135");
    assertThat(table.exit).as(table.toString()).isZero();
    // "Hi" = 1 token at chars/4; 1 × 1.00 (cache write, the dearest input rate) + 200 × 4.00 per 1M.
    assertThat(table.stdout.split("\n")[1]).isEqualTo("claude-3-5-haiku-latest  claude-3-5-haiku             1    chars/4         200         0.000801");
    assertThat(server.getRequestCount()).isEqualTo(requests);
    assertThat(Journal.records(dataDir)).hasSize(records);
  }

  @Test
  void badOption_exitsWithUsage() {
    Fork.Result r = Fork.cli("report", "--by", "color", "--data-dir", dataDir.toString());

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.stderr).contains("--by must be one of model, provider, tenant, day; was color").contains("usage:");
  }
}
