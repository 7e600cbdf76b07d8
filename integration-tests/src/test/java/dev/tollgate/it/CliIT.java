package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.InstanceOfAssertFactories.STRING;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code java -jar tollgate-agent.jar report|balance|doctor} over the data dir a real run left, {@code estimate} and {@code version}.
 * The two app runs that fill the data dir run once for the class: every command only reads it.
 */
class CliIT {
  private static final MockWebServer server = new MockWebServer();
  @TempDir
  static Path tmp;
  private static Path dataDir;

  @BeforeAll
  static void run() throws IOException {
    server.start();
    dataDir = tmp.resolve("data");
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

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private static String url(String path) {
    return server.url(path).toString();
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
    assertThat(root.get("groups")).extracting(g -> g.get("key").asText()).containsExactly("gpt-4o-mini-2024-07-18",
        "claude-3-5-haiku-latest");
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
    Path request = Files.writeString(tmp.resolve("request.json"), Fixtures.OPENAI_REQUEST);
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
    assertThat(table.stdout.split("\n")[1]).isEqualTo(
        "claude-3-5-haiku-latest  claude-3-5-haiku             1  chars/4           200         0.000801");
    assertThat(server.getRequestCount()).isEqualTo(requests);
    assertThat(Journal.records(dataDir)).hasSize(records);
  }

  @Test
  void doctor_onTheDataDirARealRunLeft_passesEveryCheck() {
    Fork.Result r = Fork.cli(Map.of("tollgate.budget", "0.0014"), "doctor", "--json", "--data-dir", dataDir.toString());

    JsonNode root = Journal.json(r.stdout);
    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(root.get("ok").asBoolean()).isTrue();
    Map<String, JsonNode> checks = new LinkedHashMap<>();
    root.get("checks").forEach(c -> checks.put(c.get("name").asText(), c));
    assertThat(checks.values()).allSatisfy(c -> assertThat(c.get("status").asText()).as(c.toString()).isIn("OK", "WARN"));
    assertThat(checks.get("configuration").get("status").asText()).isEqualTo("OK");
    assertThat(checks.get("tollgate.budget").get("detail").asText()).isEqualTo("0.0014 (system property)");
    assertThat(checks.get("data dir").get("detail").asText()).isEqualTo(dataDir.toString());
    assertThat(checks.get("data dir permissions").get("detail").asText()).isEqualTo("rwx------ (private)"); // as the agent made it
    JsonNode journal = checks.get("journal");
    assertThat(journal.get("status").asText()).isEqualTo("OK");
    // Two OpenAI calls and the blocked Anthropic one; one file unless the runs straddled midnight UTC.
    assertThat(journal.get("detail").asText()).matches(
        "[12] file\\(s\\), 3 record\\(s\\), 0 torn or unreadable line\\(s\\) skipped, last record .*Z");
    assertThat(checks.get("wallet").get("status").asText()).isEqualTo("OK");
    assertThat(checks.get("wallet").get("detail").asText()).isEqualTo("local: budget 0.0014, spent 0.00069, available 0.00071");
    assertThat(checks.get("price catalog").get("detail").asText()).startsWith("as of ");
    assertThat(checks).containsKeys("java", "attach");
  }

  @Test
  void doctor_invalidConfiguration_failsWithOneLine_andNeverPrintsTheKey() {
    String secret = "sk-or-v1-it-secret-9f8e7d";
    Fork.Result r = Fork.cli(Map.of("tollgate.block-mode", "exceptoin", "tollgate.wallet", "openrouter", "tollgate.openrouter.key", secret,
        "tollgate.openrouter.url", url("/api/v1")), "doctor", "--data-dir", dataDir.toString());

    assertThat(r.exit).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout).contains("FAIL  configuration ")
        .contains(
            "invalid configuration tollgate.block-mode=exceptoin (system property): one of response, exception; the agent would not meter");
    assertThat(r.stdout.lines().filter(l -> l.startsWith("FAIL  tollgate.block-mode ")).findFirst()).get(STRING).endsWith(
        "exceptoin (system property)");
    assertThat(r.stdout.lines().filter(l -> l.startsWith("OK    tollgate.openrouter.key ")).findFirst()).get(STRING).endsWith(
        "set (system property)");
    assertThat(r.stdout + r.stderr).doesNotContain(secret).doesNotContain("it-secret");
    assertThat(r.stdout).containsPattern("\n2 failed, \\d+ warning\\(s\\)\n$"); // warnings: the catalog's age depends on the day
  }

  @Test
  void version_json_isOneObject() {
    Fork.Result r = Fork.cli("version", "--json");

    assertThat(r.exit).as(r.toString()).isZero();
    JsonNode n = Journal.json(r.stdout);
    assertThat(n.size()).isEqualTo(1);
    assertThat(n.get("version").asText()).matches("\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
  }

  @Test
  void report_missingDataDir_isOneLineAndExitOne() {
    Path missing = dataDir.resolve("typo");
    Fork.Result r = Fork.cli("report", "--data-dir", missing.toString());

    assertThat(r.exit).as(r.toString()).isEqualTo(1);
    assertThat(r.stdout).isEmpty();
    assertThat(r.stderr.strip()).startsWith("tollgate: no Tollgate data dir at " + missing).doesNotContain("\n");
  }

  @Test
  void badOption_exitsWithUsage() {
    Fork.Result r = Fork.cli("report", "--by", "Color!", "--data-dir", dataDir.toString());

    assertThat(r.exit).isEqualTo(2);
    assertThat(r.stderr).contains("--by must be model, provider, operation, day, hour or an attribute name ([a-z0-9_-]{1,32}); was Color!")
        .contains("usage:");
  }
}
