package dev.tollgate.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.journal.PrivateFiles;
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
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import okhttp3.mockwebserver.MockResponse;
import okhttp3.mockwebserver.MockWebServer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code doctor}: each check against a data dir and a configuration built for it; the bundled catalog is dated 2026-11-23. */
class DoctorTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "sk-or-v1-doctor-secret-0123456789";
  /** Eight days after the bundled catalog's as_of date. */
  private static final Clock DEC_1 = Clock.fixed(Instant.parse("2026-12-01T12:00:00Z"), ZoneOffset.UTC);

  @TempDir
  Path tmp;
  private Path dataDir;
  private final Map<String, String> props = new LinkedHashMap<>();
  private final Map<String, String> env = new HashMap<>();
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  /** Held, so the level set here is not lost with a collected logger. */
  private static final Logger MOCK_SERVER_LOG = Logger.getLogger(MockWebServer.class.getName());

  static {
    MOCK_SERVER_LOG.setLevel(Level.WARNING);
  }

  @BeforeEach
  void dataDirAsTheAgentLeavesIt() throws IOException {
    dataDir = PrivateFiles.privateDirectory(tmp.resolve("data"));
    new WalletState(new BigDecimal("0.01"), "10%").write(dataDir);
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      journal.append(record("1", "2026-11-30T09:00:00Z", "0.00027"));
      journal.append(record("2", "2026-11-30T10:15:00Z", "0.000135"));
    }
    props.put("tollgate.data-dir", dataDir.toString());
    props.put("tollgate.budget", "0.01");
  }

  private static UsageRecord record(String id, String time, String cost) {
    return UsageRecord.builder().id(id).time(Instant.parse(time)).provider("openai").model("gpt-4o-mini").operation("chat")
        .endpoint("https://api.openai.com/v1/chat/completions").status(UsageRecord.Status.OK).httpStatus(200)
        .inputTokens(1000).outputTokens(200).cost(new BigDecimal(cost)).build();
  }

  @Test
  void doctor_goodDataDir_everyCheckOk_exitsZero() {
    int code = doctor();

    assertThat(code).as(text(out)).isZero();
    assertThat(lines()).allSatisfy(l -> assertThat(l).matches("(OK  |all checks passed).*"));
    assertThat(line("configuration")).endsWith("valid, no config file");
    assertThat(line("tollgate.budget")).endsWith("0.01 (system property)");
    assertThat(line("tollgate.enforce")).endsWith("block (default)");
    assertThat(line("data dir permissions")).endsWith("rwx------ (private)");
    assertThat(line("journal")).endsWith("1 file(s), 2 record(s), 0 torn or unreadable line(s) skipped, last record 2026-11-30T10:15:00Z");
    assertThat(line("wallet")).endsWith("local: budget 0.01, spent 0.000405, available 0.009595");
    assertThat(line("price catalog"))
        .endsWith("as of 2026-11-23, 8 day(s) old, " + dev.tollgate.agent.pricing.PriceCatalog.load(null).size() + " models");
    assertThat(text(out)).endsWith("all checks passed\n");
  }

  /** {@code tollgate.budget} with a period is set: a budget of the whole wallet per period, not "unset". */
  @Test
  void doctor_walletBudgetWithAPeriod_isShownAsSet() {
    props.put("tollgate.budget", "5/day");

    doctor();

    assertThat(line("tollgate.budget")).startsWith("OK")
        .endsWith("5/day: a budget of the whole wallet per day; the wallet has no lifetime limit (system property)");
  }

  /** The same scope and period as a key and in the budgets file: the key is in force, the file's entry is named as not. */
  @Test
  void doctor_budgetKeyAndFileBudgetTheSameScope_showsWhichIsInForce() throws IOException {
    props.put("tollgate.budget.tenant.acme", "5/day");
    Path file = Files.writeString(tmp.resolve("budgets.json"),
        "{\"budgets\":[{\"scope\":{\"tenant\":\"acme\"},\"limit\":0.002,\"period\":\"day\"}]}");
    props.put("tollgate.budgets-file", file.toString());

    doctor();
    assertThat(lines()).filteredOn(l -> name(l).equals("budget")).containsExactly(
        "OK    budget                    {tenant=acme} 5/day (tollgate.budget.tenant.acme) in UTC",
        "WARN  budget                    budget {tenant=acme} 0.002/day (budgets.json:1) is not in force: tollgate.budget.tenant.acme "
            + "budgets the same scope and period ({tenant=acme} 5/day), and a budget key takes precedence over the budgets file");
  }

  @Test
  void doctor_budgets_listsEachOne_andFailsOnABudgetsFileItCannotUse() throws IOException {
    props.put("tollgate.budget.tenant.*", "1/day");
    Path file = Files.writeString(tmp.resolve("budgets.json"),
        "{\"budgets\":[{\"scope\":{\"model\":\"gpt-4o\"},\"limit\":2,\"period\":\"month\"}]}");
    props.put("tollgate.budgets-file", file.toString());

    assertThat(doctor()).as(text(out)).isZero();
    assertThat(lines()).filteredOn(l -> name(l).equals("budget")).containsExactly(
        "OK    budget                    {tenant=*} 1/day (tollgate.budget.tenant.*) in UTC",
        "OK    budget                    {model=gpt-4o} 2/month (budgets.json:1) in UTC");

    Files.writeString(file, "{\"budgets\":[\n{\"limit\":\"lots\"}]}");
    out.reset();
    assertThat(doctor()).isEqualTo(1);
    assertThat(line("budget")).contains("FAIL")
        .endsWith("budgets file " + file + " line 2 field budgets[0].limit: must be a number of credits, "
            + "0 or more (for example 5 or 0.50); the agent would not meter");
  }

  @Test
  void doctor_json_hasChecksAndOk() throws IOException {
    int code = doctor("--json");

    JsonNode root = JSON.readTree(text(out));
    assertThat(code).isZero();
    assertThat(root.get("ok").asBoolean()).isTrue();
    assertThat(root.get("checks")).allSatisfy(c -> {
      assertThat(Stream.of("name", "status", "detail")).allMatch(c::has);
      assertThat(c.size()).isEqualTo(3);
      assertThat(c.get("status").asText()).isEqualTo("OK");
    });
    assertThat(root.get("checks")).extracting(c -> c.get("name").asText())
        .contains("configuration", "data dir", "data dir permissions", "data dir writable", "journal", "wallet", "price catalog", "java",
            "attach");
  }

  @Test
  void doctor_misspeltKey_warnsWithTheKeyItMisspells_andStillPasses() {
    env.put("TOLLGATE_ENFORSE", "warn");

    int code = doctor();

    assertThat(code).as(text(out)).isZero();
    assertThat(lines()).filteredOn(l -> l.startsWith("WARN")).singleElement().asString()
        .endsWith("unknown setting tollgate.enforse (environment) is ignored; did you mean tollgate.enforce?");
    assertThat(text(out)).endsWith("0 failed, 1 warning(s)\n");
  }

  @Test
  void doctor_redisWallet_readsTheSharedWalletOnce_andFailsWhenItIsDown() throws Exception {
    props.put("tollgate.wallet", "redis");
    props.put("tollgate.redis.name", "doctor-" + System.nanoTime());
    props.put("tollgate.source-timeout", "2s");
    int port;
    try (dev.tollgate.agent.source.redis.RedisServer redis = dev.tollgate.agent.source.redis.RedisServer.start()) {
      port = redis.port;
      props.put("tollgate.redis.url", "redis://127.0.0.1:" + port);
      redis.client.set("tollgate:{" + props.get("tollgate.redis.name") + "}:balance", "7500000000");

      assertThat(doctor()).as(text(out)).isZero();
      assertThat(line("wallet")).endsWith("redis (shared): spent 0.000405 in this data dir's journal; the balance is the shared wallet's");
      assertThat(line("credit source")).startsWith("OK").endsWith(": 7.5 credits (7.5 unleased, 0 leased by 0 JVM(s))");
    }
    out.reset();

    assertThat(doctor()).isEqualTo(1);
    assertThat(line("credit source")).startsWith("FAIL").contains("redis://127.0.0.1:" + port + "/0")
        .endsWith("(one read, timeout 2000 ms)");
  }

  @Test
  void doctor_missingDataDir_failsThatCheckAndSkipsTheJournal() {
    Path missing = tmp.resolve("nowhere");

    int code = doctor("--data-dir", missing.toString());

    assertThat(code).isEqualTo(1);
    assertThat(line("tollgate.data-dir")).endsWith(missing + " (--data-dir option)");
    assertThat(line("data dir")).startsWith("FAIL").contains("no Tollgate data dir at " + missing);
    assertThat(names()).doesNotContain("journal", "wallet", "data dir permissions");
    assertThat(text(out)).endsWith("1 failed, 0 warning(s)\n");
  }

  @Test
  void doctor_groupWritableDataDir_failsAsTheAgentWouldRefuseIt() throws IOException {
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxrwx---"));

    int code = doctor();

    assertThat(code).isEqualTo(1);
    assertThat(line("data dir permissions")).startsWith("FAIL")
        .endsWith("data dir " + dataDir + " is writable by its group; make it private (chmod 700) or choose another tollgate.data-dir");
  }

  @Test
  void doctor_groupReadableDataDir_warns() throws IOException {
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxr-x---"));

    int code = doctor();

    assertThat(code).isZero();
    assertThat(line("data dir permissions")).startsWith("WARN").contains("rwxr-x---: others can read the journal");
  }

  @Test
  void doctor_tornJournalLine_warnsAndCountsIt() throws IOException {
    Path file;
    try (Stream<Path> files = Files.list(UsageJournal.journalDir(dataDir))) {
      file = files.findFirst().orElseThrow();
    }
    Files.writeString(file, "{\"id\":\"3\",\"time\":\"2026-11-30T11:", StandardOpenOption.APPEND);

    int code = doctor();

    assertThat(code).isZero();
    assertThat(line("journal")).startsWith("WARN")
        .contains("1 file(s), 2 record(s), 1 torn or unreadable line(s) skipped, last record 2026-11-30T10:15:00Z");
  }

  @Test
  void doctor_invalidConfigValue_failsNamingKeyValueAndAllowed() {
    props.put("tollgate.enforce", "blok");

    int code = doctor();

    assertThat(code).isEqualTo(1);
    assertThat(line("configuration")).startsWith("FAIL")
        .contains("invalid configuration tollgate.enforce=blok (system property): one of block, warn, off; the agent would not meter");
    assertThat(line("tollgate.enforce")).startsWith("FAIL").endsWith("blok (system property)");
    assertThat(line("tollgate.budget")).startsWith("OK").endsWith("0.01 (system property)");
    assertThat(line("wallet")).startsWith("OK"); // the data dir is still checked, as the CLI reads it
  }

  @Test
  void doctor_alertWebhook_showsItMasked_validOrNot() {
    props.put("tollgate.alert.webhook", "https://hooks.example.com/services/T1/B2/webhook-secret");

    assertThat(doctor()).isZero();
    assertThat(line("tollgate.alert.webhook")).startsWith("OK").endsWith("https://hooks.example.com/… (system property)");
    props.put("tollgate.alert.webhook", "ftp://hooks.example.com/services/T1/B2/webhook-secret");
    out.reset();

    assertThat(doctor()).isEqualTo(1);
    assertThat(line("tollgate.alert.webhook")).startsWith("FAIL");
    assertThat(text(out)).doesNotContain("webhook-secret");
  }

  @Test
  void doctor_originOfEachValue_environmentAndConfigFile() throws IOException {
    Path file = Files.writeString(tmp.resolve("tollgate.properties"), "block-mode=exception\ncredits-per-usd=100\n");
    props.remove("tollgate.budget");
    env.put("TOLLGATE_BUDGET", "0.01");
    env.put("TOLLGATE_CONFIG_FILE", file.toString());

    doctor();

    assertThat(line("configuration")).endsWith("valid, config file " + file + " (environment)");
    assertThat(line("tollgate.budget")).endsWith("0.01 (environment)");
    assertThat(line("tollgate.block-mode")).endsWith("exception (config file)");
    assertThat(line("tollgate.credits-per-usd")).endsWith("100 (config file)");
    assertThat(line("tollgate.wallet")).endsWith("local (default)");
  }

  @Test
  void doctor_remoteSourceRejectsTheKey_failsWithTheSourcesMessage_neverTheKey() throws Exception {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setResponseCode(401).setBody("{\"error\":{\"message\":\"bad key " + SECRET + "\"}}"));
      remote(server);

      int code = doctor();
      String text = text(out);
      out.reset();
      server.enqueue(new MockResponse().setResponseCode(401));
      doctor("--json");

      assertThat(code).isEqualTo(1);
      assertThat(line(text, "tollgate.openrouter.key")).endsWith("set (environment)");
      assertThat(line(text, "credit source")).startsWith("FAIL").contains("401");
      assertThat(text).doesNotContain(SECRET).doesNotContain("doctor-secret");
      assertThat(text(out)).doesNotContain(SECRET).doesNotContain("doctor-secret");
      assertThat(server.takeRequest().getHeader("Authorization")).isEqualTo("Bearer " + SECRET); // the same source code, really sent
    }
  }

  @Test
  void doctor_remoteSourceAnswers_showsItsBalanceInCredits() throws IOException {
    try (MockWebServer server = new MockWebServer()) {
      server.enqueue(new MockResponse().setHeader("Content-Type", "application/json")
          .setBody("{\"data\":{\"total_credits\":10.5,\"total_usage\":0.5}}"));
      remote(server);

      int code = doctor();

      assertThat(code).as(text(out)).isZero();
      assertThat(line("credit source")).startsWith("OK").endsWith("openrouter " + server.url("/api/v1") + ": balance 10 credits");
      assertThat(line("wallet")).endsWith("openrouter: spent 0.000405 in the journal; the balance is the credit source's");
      assertThat(text(out)).doesNotContain(SECRET);
    }
  }

  private void remote(MockWebServer server) {
    props.put("tollgate.wallet", "openrouter");
    props.put("tollgate.openrouter.url", server.url("/api/v1").toString());
    env.put("TOLLGATE_OPENROUTER_KEY", SECRET);
  }

  @Test
  void doctor_catalogOlderThan90Days_warns() {
    int code = doctor(Clock.fixed(Instant.parse("2027-03-01T00:00:00Z"), ZoneOffset.UTC));

    assertThat(code).isZero();
    assertThat(line("price catalog")).startsWith("WARN").contains("as of 2026-11-23, 98 day(s) old").contains("older than 90 days");
  }

  @Test
  void doctor_brokenPricingFile_fails() throws IOException {
    Path pricing = Files.writeString(tmp.resolve("prices.json"), "{ not json");
    props.put("tollgate.pricing-file", pricing.toString());

    int code = doctor();

    assertThat(code).isEqualTo(1);
    assertThat(line("tollgate.pricing-file")).endsWith(pricing + " (system property)");
    assertThat(line("pricing file")).startsWith("FAIL").contains("tollgate.pricing-file=" + pricing);
  }

  @Test
  void doctor_budgetChangedSinceTheAgentRan_warns() {
    props.put("tollgate.budget", "5");

    doctor();

    assertThat(line("wallet budget")).startsWith("WARN")
        .endsWith("the agent last ran here with budget 0.01, this configuration says 5 (applies when the application next starts)");
  }

  @Test
  void doctor_exhaustedBudget_warnsThatCallsAreBlocked() throws IOException {
    new WalletState(new BigDecimal("0.0004"), "10%").write(dataDir);
    props.put("tollgate.budget", "0.0004");

    doctor();

    assertThat(line("wallet")).startsWith("WARN").endsWith("available -0.000005: exhausted, metered calls are blocked");
  }

  @Test
  void doctor_unmeteredTraffic_listsEachEndpointClassAndAction_overEveryJvm_asWarnings() throws IOException {
    Path dir = PrivateFiles.privateDirectory(dataDir.resolve("unmetered-traffic"));
    Files.writeString(dir.resolve("100-1.json"), "{\"version\":1,\"pid\":100,\"connections\":["
        + entry("api.openai.com", 443, "com.acme.Raw", "warned", 2, "2026-11-30T09:00:00Z", "2026-11-30T09:05:00Z") + ","
        + entry("api.anthropic.com", 443, "com.acme.Raw", "refused", 1, "2026-11-30T09:01:00Z", "2026-11-30T09:01:00Z") + "]}");
    Files.writeString(dir.resolve("200-2.json"), "{\"version\":1,\"pid\":200,\"connections\":["
        + entry("api.openai.com", 443, "com.acme.Raw", "warned", 3, "2026-11-30T10:00:00Z", "2026-11-30T10:30:00Z") + "]}");
    Files.writeString(dir.resolve("300-3.json"), "{\"version\":1,\"pid\":300,\"conn"); // torn

    int code = doctor();

    assertThat(code).as(text(out)).isZero(); // warnings, not failures
    assertThat(lines()).filteredOn(l -> name(l).equals("unmetered traffic")).extracting(l -> l.replaceFirst("  unmetered traffic +", "  "))
        .containsExactly(
            "WARN  1 unreadable file(s) skipped in " + dir,
            "WARN  com.acme.Raw opened 1 connection(s) to api.anthropic.com:443 (anthropic) that no hooked client "
                + "made: refused (tollgate.unmetered-traffic=block); first 2026-11-30T09:01:00Z, last 2026-11-30T09:01:00Z (pid 100)",
            "WARN  com.acme.Raw opened 5 connection(s) to api.openai.com:443 (openai) that no hooked client "
                + "made: let through, neither metered nor capped; first 2026-11-30T09:00:00Z, last 2026-11-30T10:30:00Z (pid 200)");

    out.reset();
    doctor("--json");
    JsonNode root = JSON.readTree(text(out));
    assertThat(root.get("ok").asBoolean()).isTrue();
    assertThat(root.get("unmetered_traffic")).hasSize(2);
    JsonNode openai = root.get("unmetered_traffic").get(1);
    assertThat(openai.get("host").asText()).isEqualTo("api.openai.com");
    assertThat(openai.get("port").asInt()).isEqualTo(443);
    assertThat(openai.get("client").asText()).isEqualTo("com.acme.Raw");
    assertThat(openai.get("action").asText()).isEqualTo("warned");
    assertThat(openai.get("count").asLong()).isEqualTo(5);
    assertThat(openai.get("first_seen").asText()).isEqualTo("2026-11-30T09:00:00Z");
    assertThat(openai.get("last_seen").asText()).isEqualTo("2026-11-30T10:30:00Z");
    assertThat(openai.get("pid").asLong()).isEqualTo(200);
  }

  @Test
  void doctor_noUnmeteredTrafficSaved_isOk_withAnEmptyList() throws IOException {
    doctor("--json");

    JsonNode root = JSON.readTree(text(out));
    assertThat(root.get("unmetered_traffic")).isEmpty();
    assertThat(root.get("checks")).filteredOn(c -> c.get("name").asText().equals("unmetered traffic")).singleElement()
        .satisfies(c -> assertThat(c.get("status").asText()).isEqualTo("OK"));
  }

  private static String entry(String host, int port, String client, String action, long count, String first, String last) {
    return "{\"host\":\"" + host + "\",\"port\":" + port + ",\"client\":\"" + client + "\",\"provider\":\""
        + host.split("\\.")[1] + "\",\"action\":\"" + action + "\",\"count\":" + count + ",\"overflow\":false,\"first_seen\":\""
        + first + "\",\"last_seen\":\"" + last + "\"}";
  }

  @Test
  void doctor_unknownOption_isAUsageError() {
    assertThat(doctor("--verbose")).isEqualTo(2);
    assertThat(text(err)).contains("unknown option '--verbose'").contains("usage: java -jar tollgate-agent.jar doctor");
  }

  private int doctor(String... options) {
    return doctor(DEC_1, options);
  }

  private int doctor(Clock clock, String... options) {
    String[] args = Stream.concat(Stream.of("doctor"), Stream.of(options)).toArray(String[]::new);
    return Doctor.run(args, () -> ConfigSource.of(props, Map.of(), env), clock, print(out), print(err));
  }

  private List<String> lines() {
    return text(out).lines().collect(Collectors.toList());
  }

  private List<String> names() {
    return lines().stream().map(DoctorTest::name).collect(Collectors.toList());
  }

  /** A line is the status padded to 4, two spaces, the name padded, two spaces, the detail; names hold single spaces only. */
  private static String name(String line) {
    return line.length() > 6 ? line.substring(6).split("  ", 2)[0] : line;
  }

  private String line(String name) {
    return line(text(out), name);
  }

  /** The line of check {@code name}: status, the name padded, then the detail. */
  private static String line(String text, String name) {
    return text.lines().filter(l -> name(l).equals(name)).findFirst()
        .orElseThrow(() -> new AssertionError("no check '" + name + "' in\n" + text));
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
