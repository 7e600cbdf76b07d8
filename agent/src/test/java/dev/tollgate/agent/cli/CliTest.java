package dev.tollgate.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.agent.journal.Reconciliation;
import dev.tollgate.agent.journal.UsageJournal;
import dev.tollgate.agent.wallet.WalletState;
import dev.tollgate.api.UsageRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@org.junit.jupiter.api.parallel.Isolated("sets the system property tollgate.config-file")
class CliTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> TOTAL_FIELDS = List.of("calls", "blocked", "input_tokens", "output_tokens", "cache_read_tokens",
      "cost");

  @TempDir
  Path dataDir;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void journal() throws IOException {
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      journal.append(record("1", "2025-03-01T09:00:00Z", "openai", "gpt-4o-mini", "acme", UsageRecord.Status.OK, 1000, 200, "0.00027"));
      journal.append(record("2", "2025-03-01T10:00:00Z", "openai", "gpt-4o-mini", "globex", UsageRecord.Status.OK, 500, 100, "0.000135"));
      journal
          .append(record("3", "2025-03-02T11:00:00Z", "anthropic", "claude-sonnet-4", "acme", UsageRecord.Status.OK, 2000, 300, "0.0105"));
      journal.append(record("4", "2025-03-02T11:30:00Z", "anthropic", "claude-sonnet-4", "acme", UsageRecord.Status.BLOCKED, 0, 0, "0"));
      journal
          .append(record("5", "2025-03-02T12:00:00Z", "openai", "text-embedding-3-small", null, UsageRecord.Status.OK, 5, 0, "0.0000001"));
      journal.append(record("6", "2025-03-03T08:00:00Z", "gemini", "gemini-2.5-flash", "globex", UsageRecord.Status.ERROR, 0, 0, "0"));
    }
  }

  private static UsageRecord record(String id, String time, String provider, String model, @Nullable String tenant,
      UsageRecord.Status status, long in, long outTokens, String cost) {
    return UsageRecord.builder().id(id).time(Instant.parse(time)).provider(provider).model(model).operation("chat")
        .endpoint("https://api.example.com/v1/chat/completions").status(status)
        .httpStatus(status == UsageRecord.Status.ERROR ? 500 : status == UsageRecord.Status.OK ? 200 : 0)
        .inputTokens(in).outputTokens(outTokens).cost(new BigDecimal(cost))
        .attributes(tenant == null ? Map.of() : Map.of("tenant", tenant)).build();
  }

  @Test
  void report_json_hasTotalsAndGroupsByModelDearestFirst() throws IOException {
    JsonNode root = runJson("report", "--data-dir", dataDir.toString(), "--json");

    assertThat(fieldNames(root)).containsExactly("totals", "groups");
    assertTotals(root.get("totals"), 5, 1, 3505, 600, "0.0109051");
    assertThat(fieldNames(root.get("totals"))).containsExactlyElementsOf(TOTAL_FIELDS);
    JsonNode groups = root.get("groups");
    assertThat(groups).extracting(g -> g.get("key").asText())
        .containsExactly("claude-sonnet-4", "gpt-4o-mini", "text-embedding-3-small", "gemini-2.5-flash");
    for (JsonNode g : groups) {
      assertThat(fieldNames(g)).containsExactly("key", "calls", "blocked", "input_tokens", "output_tokens", "cache_read_tokens", "cost");
    }
    assertTotals(groups.get(0), 1, 1, 2000, 300, "0.0105");
    assertTotals(groups.get(1), 2, 0, 1500, 300, "0.000405");
    assertTotals(groups.get(2), 1, 0, 5, 0, "0.0000001");
    assertTotals(groups.get(3), 1, 0, 0, 0, "0");
  }

  private void appendReconciliation() throws IOException {
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      journal.append(new Reconciliation("reconcile-1", Instant.parse("2025-03-02T12:30:00Z"), "openrouter",
          Instant.parse("2025-03-02T12:25:00Z"), Instant.parse("2025-03-02T12:30:00Z"), new BigDecimal("7.5"), new BigDecimal("0.0105")));
    }
  }

  @Test
  void report_withReconciliationRecord_totalsAndGroupsUnchanged() throws IOException {
    String before = runJson("report", "--data-dir", dataDir.toString(), "--json").toString();
    appendReconciliation();

    JsonNode after = runJson("report", "--data-dir", dataDir.toString(), "--json");

    assertThat(after.toString()).isEqualTo(before);
    assertTotals(after.get("totals"), 5, 1, 3505, 600, "0.0109051");
  }

  @Test
  void balanceAndLedger_withReconciliationRecord_spendUnchanged() throws IOException {
    new WalletState(new BigDecimal("0.02"), "10%").write(dataDir);
    String balance = runJson("balance", "--data-dir", dataDir.toString(), "--json").toString();
    String ledger = runJson("ledger", "--data-dir", dataDir.toString(), "--json").toString();
    appendReconciliation();

    JsonNode n = runJson("balance", "--data-dir", dataDir.toString(), "--json");

    assertThat(n.toString()).isEqualTo(balance);
    assertThat(n.get("spent").decimalValue()).isEqualByComparingTo("0.0109051");
    assertThat(runJson("ledger", "--data-dir", dataDir.toString(), "--json").toString()).isEqualTo(ledger);
  }

  @ParameterizedTest
  @ValueSource(strings = {"model", "hour", "day"})
  void report_withAnUnreadableLine_namesTheFileAndCountOnStderr_andStdoutStaysJson(String by) throws IOException {
    Path file = dataDir.resolve("journal/usage-2025-03-01.jsonl");
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.add(1, "{\"v\":1,\"id\":\"dam"); // damaged, between the day's two records
    Files.write(file, lines);
    String notice = "tollgate: skipped 1 unreadable line(s) in usage-2025-03-01.jsonl (damaged, edited, or a record cut short by a "
        + "crash): their calls are not in this report";

    JsonNode root = runJson("report", "--by", by, "--data-dir", dataDir.toString(), "--json");
    assertThat(text(err).trim()).isEqualTo(notice);
    assertTotals(root.get("totals"), 5, 1, 3505, 600, "0.0109051");
    err.reset();
    runJson("report", "--by", by, "--from", "2025-03-01", "--html", dataDir.resolve("r.html").toString(), "--data-dir", dataDir.toString(),
        "--json");
    assertThat(text(err).trim()).isEqualTo(notice);
  }

  @Test
  void report_jsonWithTinyCost_printsPlainDecimalNotExponent() {
    // Regression: a cost under 10^-6 was printed as 1E-7.
    int code = Cli.run(new String[] {"report", "--data-dir", dataDir.toString(), "--json"}, print(out), print(err));

    assertThat(code).isZero();
    assertThat(text(out)).contains("\"cost\":0.0000001").doesNotContain("E-");
  }

  @Test
  void report_byProvider_groupsAndSortsByCost() throws IOException {
    JsonNode groups = runJson("report", "--by", "provider", "--data-dir", dataDir.toString(), "--json").get("groups");

    assertThat(groups).extracting(g -> g.get("key").asText()).containsExactly("anthropic", "openai", "gemini");
    assertTotals(groups.get(1), 3, 0, 1505, 300, "0.0004051");
  }

  @Test
  void report_byTenant_groupsUntaggedCallsUnderDash() throws IOException {
    JsonNode groups = runJson("report", "--data-dir", dataDir.toString(), "--json", "--by", "tenant").get("groups");

    assertThat(groups).extracting(g -> g.get("key").asText()).containsExactly("acme", "globex", "-");
    assertTotals(groups.get(0), 2, 1, 3000, 500, "0.01077");
    assertTotals(groups.get(1), 2, 0, 500, 100, "0.000135");
    assertTotals(groups.get(2), 1, 0, 5, 0, "0.0000001");
  }

  @Test
  void report_byDay_groupsByUtcDateInDateOrder() throws IOException {
    JsonNode groups = runJson("report", "--by", "day", "--json", "--data-dir", dataDir.toString()).get("groups");

    assertThat(groups).extracting(g -> g.get("key").asText()).containsExactly("2025-03-01", "2025-03-02", "2025-03-03");
    assertTotals(groups.get(1), 2, 1, 2005, 300, "0.0105001");
  }

  @Test
  void report_table_hasHeaderGroupsAndTotalRow() {
    int code = Cli.run(new String[] {"report", "--data-dir", dataDir.toString()}, print(out), print(err));

    assertThat(code).isZero();
    List<String> lines = text(out).lines().collect(java.util.stream.Collectors.toList());
    assertThat(lines).hasSize(6);
    assertThat(lines.get(0)).startsWith("MODEL").contains("CALLS", "BLOCKED", "INPUT TOKENS", "OUTPUT TOKENS", "COST");
    assertThat(lines.get(1)).startsWith("claude-sonnet-4").endsWith("0.0105");
    assertThat(lines.get(3)).startsWith("text-embedding-3-small").endsWith("0.0000001");
    assertThat(lines.get(5)).startsWith("TOTAL").contains("3,505").endsWith("0.0109051");
    assertThat(lines).allSatisfy(l -> assertThat(l).doesNotEndWith(" "));
    assertThat(text(err)).isEmpty();
  }

  @Test
  void report_tableByDay_namesTheColumn() {
    Cli.run(new String[] {"report", "--by", "day", "--data-dir", dataDir.toString()}, print(out), print(err));

    assertThat(text(out)).startsWith("DAY ");
  }

  @Test
  void report_emptyDataDir_printsZeroTotalsAndNoGroups(@TempDir Path empty) throws IOException {
    JsonNode root = runJson("report", "--data-dir", empty.toString(), "--json");

    assertTotals(root.get("totals"), 0, 0, 0, 0, "0");
    assertThat(root.get("groups")).isEmpty();
  }

  @Test
  void balance_json_isBudgetMinusJournalSpend() throws IOException {
    new WalletState(new BigDecimal("0.02"), "10%").write(dataDir);

    JsonNode n = runJson("balance", "--data-dir", dataDir.toString(), "--json");

    assertThat(n.get("wallet").asText()).isEqualTo("local");
    assertThat(n.get("budget").decimalValue()).isEqualByComparingTo("0.02");
    assertThat(n.get("spent").decimalValue()).isEqualByComparingTo("0.0109051");
    assertThat(n.get("balance_credits").decimalValue()).isEqualByComparingTo("0.0090949");
    assertThat(n.get("warning_low").asBoolean()).isFalse();
    assertThat(n.get("buckets")).hasSize(1);
    JsonNode bucket = n.get("buckets").get(0);
    assertThat(bucket.get("source_type").asText()).isEqualTo("budget");
    assertThat(bucket.get("balance").decimalValue()).isEqualByComparingTo("0.0090949");
    assertThat(bucket.get("expires_at").isNull()).isTrue();
  }

  @Test
  void balance_belowPercentThreshold_warnsLow() throws IOException {
    new WalletState(new BigDecimal("0.012"), "10%").write(dataDir); // 0.0010949 left, threshold 0.0012

    assertThat(runJson("balance", "--data-dir", dataDir.toString(), "--json").get("warning_low").asBoolean()).isTrue();
  }

  @Test
  void balance_creditThreshold_comparesWithCredits() throws IOException {
    new WalletState(new BigDecimal("0.012"), "0.001").write(dataDir); // 0.0010949 left, threshold 0.001

    assertThat(runJson("balance", "--data-dir", dataDir.toString(), "--json").get("warning_low").asBoolean()).isFalse();
  }

  @Test
  void balance_noWalletState_isMeterOnly() throws IOException {
    JsonNode n = runJson("balance", "--data-dir", dataDir.toString(), "--json");

    assertThat(n.get("budget").isNull()).isTrue();
    assertThat(n.get("balance_credits").isNull()).isTrue();
    assertThat(n.get("warning_low").asBoolean()).isFalse();
    assertThat(n.get("buckets")).isEmpty();
    assertThat(n.get("spent").decimalValue()).isEqualByComparingTo("0.0109051");
  }

  @Test
  void balance_table_showsBudgetSpentAndBalance() throws IOException {
    new WalletState(new BigDecimal("0.02"), "10%").write(dataDir);

    int code = Cli.run(new String[] {"balance", "--data-dir", dataDir.toString()}, print(out), print(err));

    assertThat(code).isZero();
    List<String> lines = text(out).lines().collect(java.util.stream.Collectors.toList());
    assertThat(lines.get(0)).startsWith("WALLET").contains("BUDGET", "SPENT", "BALANCE", "LOW");
    assertThat(lines.get(1)).startsWith("local").contains("0.02", "0.0109051", "0.0090949").endsWith("no");
  }

  @Test
  void balance_table_withoutBudgetSaysMeterOnly() {
    Cli.run(new String[] {"balance", "--data-dir", dataDir.toString()}, print(out), print(err));

    assertThat(text(out)).contains("none (meter only)");
  }

  @Test
  void balance_corruptWalletState_exitsOneNamingTheDataDir() throws IOException {
    Files.writeString(WalletState.file(dataDir), "{ not json");

    int code = Cli.run(new String[] {"balance", "--data-dir", dataDir.toString()}, print(out), print(err));

    assertThat(code).isEqualTo(1);
    assertThat(text(err)).contains("cannot read").contains(dataDir.toString());
  }

  @Test
  void version_printsVersion() {
    int code = Cli.run(new String[] {"version"}, print(out), print(err));

    assertThat(code).isZero();
    assertThat(text(out)).startsWith("tollgate ");
  }

  @Test
  void version_json_isOneObjectWithTheVersion() throws IOException {
    JsonNode n = runJson("version", "--json");

    assertThat(fieldNames(n)).containsExactly("version");
    assertThat(n.get("version").asText()).isEqualTo(Cli.version());
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "balance", "ledger"})
  void readingCommand_missingDataDir_saysSoInOneLineAndExitsOne(String command) {
    // Regression: report printed an empty table and exited 0 for a mistyped --data-dir.
    Path missing = dataDir.resolve("no-such-dir");

    int code = Cli.run(new String[] {command, "--data-dir", missing.toString(), "--json"}, print(out), print(err));

    assertThat(code).isEqualTo(1);
    assertThat(text(out)).isEmpty();
    assertThat(text(err)).isEqualTo("tollgate: no Tollgate data dir at " + missing
        + " (an application run with the agent creates it; check --data-dir or tollgate.data-dir)\n");
    assertThat(missing).doesNotExist();
  }

  @Test
  void grant_missingDataDir_createsIt() throws IOException {
    Path fresh = dataDir.resolve("fresh");

    runJson("grant", "--data-dir", fresh.toString(), "--credits", "1", "--json");

    assertThat(fresh).isDirectory();
  }

  @Test
  void attach_json_noSuchProcess_printsTheResultLineAndExitsOne() throws IOException {
    int code = Cli.run(new String[] {"attach", "999999999", "--data-dir", dataDir.toString(), "budget=5", "--json"}, print(out),
        print(err));

    JsonNode n = JSON.readTree(text(out));
    assertThat(code).isEqualTo(1);
    assertThat(fieldNames(n)).containsExactly("attached", "pid", "error");
    assertThat(n.get("attached").asBoolean()).isFalse();
    assertThat(n.get("pid").asLong()).isEqualTo(999999999L);
    assertThat(n.get("error").asText()).startsWith("cannot attach to 999999999: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"attach", "attach --json", "attach 12 --data-dir", "attach 12 --data-dir /a,b", "attach 12 budget",
      "attach 12 --verbose"})
  void attach_badArguments_exitTwoWithUsage(String args) {
    int code = Cli.run(args.split(" "), print(out), print(err));

    assertThat(code).isEqualTo(2);
    assertThat(text(err)).contains("usage: java -jar tollgate-agent.jar attach <pid> [--data-dir DIR] [--json] [key=value ...]");
    assertThat(text(out)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "bogus",
      "report --by Color!",
      "report --from yesterday",
      "report --by",
      "report --data-dir",
      "report --verbose",
      "balance --json extra",
      "--json"})
  void run_badCommandOrOption_exitsTwoWithUsage(String args) {
    String[] argv = args.isEmpty() ? new String[0] : args.split(" ");

    int code = Cli.run(argv, print(out), print(err));

    assertThat(code).isEqualTo(2);
    assertThat(text(err)).contains("usage: java -jar tollgate-agent.jar");
    assertThat(text(out)).isEmpty();
  }

  @Test
  void run_badByValue_saysWhatIsAllowed() {
    Cli.run(new String[] {"report", "--by", "Color!", "--data-dir", dataDir.toString()}, print(out), print(err));

    assertThat(text(err))
        .contains("--by must be model, provider, operation, day, hour or an attribute name ([a-z0-9_-]{1,32}); was Color!");
  }

  @Test
  void run_withoutDataDirAndBrokenConfigFile_exitsTwoWithOneClearLine() {
    // Regression: the configuration error escaped Cli.run as an exception with a stack trace.
    Path missing = dataDir.resolve("missing.properties");
    String before = System.getProperty("tollgate.config-file");
    System.setProperty("tollgate.config-file", missing.toString());
    try {
      int code = Cli.run(new String[] {"report"}, print(out), print(err));

      assertThat(code).isEqualTo(2);
      assertThat(text(err)).contains("tollgate.config-file=" + missing).contains("readable properties file");
    } finally {
      if (before == null) {
        System.clearProperty("tollgate.config-file");
      } else {
        System.setProperty("tollgate.config-file", before);
      }
    }
  }

  @Test
  void budgets_badBudgetsFile_isAConfigurationError_exitTwo() throws IOException {
    // Regression: exit 1, where docs/cli.md gives 2 for a configuration error (as an invalid -D key).
    Path file = Files.writeString(dataDir.resolve("budgets.json"), "{\"budgets\":");
    System.setProperty("tollgate.budgets-file", file.toString());
    try {
      int code = Cli.run(new String[] {"budgets", "--data-dir", dataDir.toString()}, print(out), print(err));

      assertThat(code).isEqualTo(2);
      assertThat(text(err)).isEqualTo("tollgate: budgets file " + file + " is not valid JSON: line 1, column 12: "
          + "unexpected end-of-input within/between Object entries\n");
    } finally {
      System.clearProperty("tollgate.budgets-file");
    }
  }

  @Test
  void grant_addsABucket_thatBalanceShowsInSpendOrder() throws IOException {
    new WalletState(new BigDecimal("0.02"), "10%").write(dataDir);

    JsonNode g = runJson("grant", "--data-dir", dataDir.toString(), "--credits", "5", "--source-type", "promo", "--expires", "2999-01-01",
        "--json");
    out.reset();
    JsonNode n = runJson("balance", "--data-dir", dataDir.toString(), "--json");

    assertThat(g.get("entry_type").asText()).isEqualTo("credit");
    assertThat(g.get("delta").decimalValue()).isEqualByComparingTo("5");
    // The expiring promo bucket is listed (and spent) first, but the journal's calls predate it: the budget paid them.
    assertThat(n.get("balance_credits").decimalValue()).isEqualByComparingTo("5.0090949");
    assertThat(n.get("buckets")).extracting(b -> b.get("source_type").asText()).containsExactly("promo", "budget");
    assertThat(n.get("buckets").get(0).get("balance").decimalValue()).isEqualByComparingTo("5");
    assertThat(n.get("buckets").get(0).get("expires_at").asText()).isEqualTo("2999-01-01T00:00:00Z");
    assertThat(n.get("buckets").get(1).get("balance").decimalValue()).isEqualByComparingTo("0.0090949");
  }

  @Test
  void ledger_json_speaksTheSeedsShape_andPages() throws IOException {
    new WalletState(new BigDecimal("0.02"), "10%").write(dataDir);

    JsonNode all = runJson("ledger", "--data-dir", dataDir.toString(), "--json");
    out.reset();
    JsonNode debits = runJson("ledger", "--data-dir", dataDir.toString(), "--type", "debit", "--from", "2025-03-01T10:00:00Z",
        "--to", "2025-03-02T10:59:59Z", "--limit", "1", "--offset", "0", "--json");

    assertThat(fieldNames(all)).containsExactly("entries", "total", "limit", "offset");
    assertThat(all.get("total").asInt()).isEqualTo(5); // the budget and four calls that cost something
    assertThat(fieldNames(all.get("entries").get(0))).containsExactly("ledger_id", "entry_type", "delta", "metric_type", "category",
        "created_at");
    assertThat(all.get("entries").get(0).get("ledger_id").asText()).isEqualTo("budget");
    assertThat(debits.get("total").asInt()).isEqualTo(1); // inclusive bounds: call 2 at 10:00 only (the 3rd is at 11:00)
    assertThat(debits.get("entries").get(0).get("ledger_id").asText()).isEqualTo("2");
    assertThat(debits.get("entries").get(0).get("delta").decimalValue()).isEqualByComparingTo("-0.000135");
    assertThat(debits.get("limit").asInt()).isEqualTo(1);
  }

  @Test
  void ledgerAndReport_aDateOnlyTo_bothTakeInThatWholeDay() throws IOException {
    JsonNode ledger = runJson("ledger", "--data-dir", dataDir.toString(), "--type", "debit", "--from", "2025-03-02", "--to", "2025-03-02",
        "--json");
    JsonNode report = runJson("report", "--data-dir", dataDir.toString(), "--from", "2025-03-02", "--to", "2025-03-02", "--json");

    assertThat(ledger.get("entries")).extracting(e -> e.get("ledger_id").asText()).containsExactly("3", "5"); // 4 was blocked: no debit
    assertThat(report.get("totals").get("calls").asLong()).isEqualTo(2);
    assertThat(report.get("totals").get("cost").decimalValue()).isEqualByComparingTo("0.0105001");
    out.reset();
    assertThat(Cli.run(new String[] {"ledger", "--data-dir", dataDir.toString(), "--from", "2025-03-02", "--to", "2025-03-02"}, print(out),
        print(err))).isZero();
    assertThat(text(out)).contains("2 of 2 entries");
  }

  @Test
  void ledger_debitsCarryTheCallsAttributes_alsoWhereOnlyARollupHoldsTheDay() throws IOException {
    Report.of(dataDir, "model", java.time.LocalDate.parse("2025-03-04")); // rolls every day up, as the agent's upkeep does
    Files.delete(dataDir.resolve("journal/usage-2025-03-01.jsonl")); // as retention does, its rollup kept

    JsonNode ledger = runJson("ledger", "--data-dir", dataDir.toString(), "--type", "debit", "--json");
    out.reset();
    assertThat(Cli.run(new String[] {"ledger", "--data-dir", dataDir.toString(), "--type", "debit"}, print(out), print(err))).isZero();

    List<String> attributes = new ArrayList<>();
    ledger.get("entries").forEach(e -> attributes.add(e.get("ledger_id").asText().replaceAll(":.*", "") + " " + e.path("attributes")));
    assertThat(attributes).containsExactly("rollup {\"tenant\":\"acme\"}", "rollup {\"tenant\":\"globex\"}", "3 {\"tenant\":\"acme\"}",
        "5 ");
    assertThat(text(out)).contains("tenant=acme").contains("tenant=globex");
  }

  @Test
  void ledger_outOfRangeLimit_isAUsageError_naming_theRange() {
    int code = Cli.run(new String[] {"ledger", "--data-dir", dataDir.toString(), "--limit", "5000"}, print(out), print(err));

    assertThat(code).isEqualTo(2);
    assertThat(text(err)).startsWith("tollgate: limit must be between 1 and 1000, was 5000");
  }

  @Test
  void grant_withoutCredits_orWithBadValues_isAUsageError() {
    assertThat(Cli.run(new String[] {"grant", "--data-dir", dataDir.toString()}, print(out), print(err))).isEqualTo(2);
    assertThat(Cli.run(new String[] {"grant", "--data-dir", dataDir.toString(), "--credits", "-1"}, print(out), print(err))).isEqualTo(2);
    assertThat(text(err)).contains("grant needs --credits").contains("credits must be more than 0, was -1");
  }

  private JsonNode runJson(String... args) throws IOException {
    out.reset();
    int code = Cli.run(args, print(out), print(err));
    assertThat(code).as(text(err)).isZero();
    return JSON.readTree(text(out));
  }

  private static void assertTotals(JsonNode n, long calls, long blocked, long in, long outTokens, String cost) {
    assertThat(n.get("calls").asLong()).isEqualTo(calls);
    assertThat(n.get("blocked").asLong()).isEqualTo(blocked);
    assertThat(n.get("input_tokens").asLong()).isEqualTo(in);
    assertThat(n.get("output_tokens").asLong()).isEqualTo(outTokens);
    assertThat(n.get("cost").isNumber()).isTrue();
    assertThat(n.get("cost").decimalValue()).isEqualByComparingTo(cost);
  }

  private static List<String> fieldNames(JsonNode n) {
    List<String> names = new ArrayList<>();
    for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
      names.add(it.next());
    }
    return names;
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
