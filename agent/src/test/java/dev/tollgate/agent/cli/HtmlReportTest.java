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
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The page of {@code report --html}: well-formed, self-contained, and every figure equal to {@code report --json}'s. */
class HtmlReportTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String[] FIELDS = {"calls", "blocked", "input_tokens", "output_tokens", "cache_read_tokens", "cost"};
  static final String[] MODELS = {"gpt-4o", "gpt-4o-mini", "claude-sonnet-4", "gemini-2.5-flash", "text-embedding-3-small"};
  static final String[] TENANTS = {"acme", "globex", "initech", "umbrella"};

  @TempDir
  Path dataDir;
  @TempDir
  Path out;

  /** Four days of calls (every 2 hours, models and tenants in turn), a few blocked, and two reconciliation windows. */
  static void writeHistory(Path dataDir) throws IOException {
    Instant start = Instant.parse("2026-12-01T00:30:00Z");
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      for (int i = 0; i < 48; i++) {
        String model = MODELS[i % MODELS.length];
        boolean blocked = i % 11 == 10;
        Map<String, String> attributes = new LinkedHashMap<>();
        attributes.put("tenant", TENANTS[i % TENANTS.length]);
        if (i % 3 == 1) { // not on the range's first record: its table must still count that record as "-"
          attributes.put("feature", i % 2 == 0 ? "chat" : "search");
        }
        journal.append(UsageRecord.builder().id("r" + i).time(start.plus(Duration.ofHours(2L * i)))
            .provider(model.startsWith("claude") ? "anthropic" : "openai")
            .model(model).operation("chat").endpoint("https://api.example.com/v1/chat/completions")
            .status(blocked ? UsageRecord.Status.BLOCKED : UsageRecord.Status.OK).httpStatus(blocked ? 0 : 200)
            .inputTokens(blocked ? 0 : 1000 + 37L * i).outputTokens(blocked ? 0 : 100 + 11L * i)
            .cacheReadTokens(blocked ? 0 : 64L * (i % 4))
            .cost(blocked ? BigDecimal.ZERO : new BigDecimal("0.000" + (1234 + 97 * i))).attributes(attributes).build());
      }
      journal.append(
          new Reconciliation("reconcile-1", Instant.parse("2026-12-02T05:00:00Z"), "openrouter", Instant.parse("2026-12-02T04:55:00Z"),
              Instant.parse("2026-12-02T05:00:00Z"), new BigDecimal("0.0075"), new BigDecimal("0.0025")));
      journal.append(
          new Reconciliation("reconcile-2", Instant.parse("2026-12-03T05:00:00Z"), "openrouter", Instant.parse("2026-12-03T04:55:00Z"),
              Instant.parse("2026-12-03T05:00:00Z"), new BigDecimal("0.001"), new BigDecimal("0.0035")));
    }
    new WalletState(new BigDecimal("0.5"), "10%").write(dataDir);
  }

  @BeforeEach
  void history() throws IOException {
    writeHistory(dataDir);
  }

  @Test
  void html_everyFigure_equalsReportJson() throws Exception {
    String[] range = {"--from", "2026-12-01T06:00:00Z", "--to", "2026-12-03"};
    Document page = page("--by", "tenant", range[0], range[1], range[2], range[3]);

    JsonNode byTenant = json("report", "--by", "tenant", range[0], range[1], range[2], range[3]);
    assertCards(page, "totals", byTenant.get("totals"));
    assertTable(page, "by-dimension", byTenant.get("groups"), 50);
    assertThat(rows(page, "by-dimension").get(rows(page, "by-dimension").size() - 1).getAttribute("class")).isEqualTo("total");
    assertTable(page, "by-time", json("report", "--by", "day", range[0], range[1], range[2], range[3]).get("groups"), 50);
    assertTable(page, "top-models", json("report", "--by", "model", range[0], range[1], range[2], range[3]).get("groups"), 10);
    assertThat(elements(page, "//*[@id='top-tenant']")).as("the dimension's own table is not repeated").isEmpty();
    Document byModel = page("--by", "model");
    assertTable(byModel, "top-tenant", json("report", "--by", "tenant").get("groups"), 10);
    assertTable(page, "top-feature", json("report", "--by", "feature", range[0], range[1], range[2], range[3]).get("groups"), 10);
  }

  @Test
  void html_spendChart_stacksEachDayByTheDimension() throws Exception {
    Document page = page("--by", "tenant", "--from", "2026-12-01", "--to", "2026-12-04");

    JsonNode days = json("report", "--by", "day", "--from", "2026-12-01", "--to", "2026-12-04").get("groups");
    assertThat(days).hasSize(4);
    Map<String, BigDecimal> perDay = new LinkedHashMap<>();
    for (Element bar : elements(page, "//*[@id='spend-chart']//*[local-name()='rect' and @class='bar']")) {
      perDay.merge(bar.getAttribute("data-bucket"), new BigDecimal(bar.getAttribute("data-value")), BigDecimal::add);
      assertThat(bar.getAttribute("data-series")).isIn((Object[]) TENANTS);
    }
    assertThat(perDay).hasSize(4);
    for (JsonNode day : days) {
      assertThat(perDay.get(day.get("key").asText())).isEqualByComparingTo(day.get("cost").decimalValue());
    }
    assertThat(elements(page, "//*[@id='calls-chart']//*[local-name()='rect' and @class='bar']")).hasSizeGreaterThanOrEqualTo(4);
  }

  @Test
  void html_shortRange_drawsHours() throws Exception {
    Document page = page("--from", "2026-12-02T00:00:00Z", "--to", "2026-12-02T11:59:59Z");

    JsonNode hours = json("report", "--by", "hour", "--from", "2026-12-02T00:00:00Z", "--to", "2026-12-02T11:59:59Z").get("groups");
    assertThat(hours).hasSize(6);
    assertTable(page, "by-time", hours, 50);
    assertThat(rows(page, "by-time").get(0).getAttribute("data-key")).isEqualTo("2026-12-02T00:00Z");
  }

  @Test
  void html_budgetsAndDrift_equalBalanceJsonAndTheJournal() throws Exception {
    Document page = page();

    JsonNode balance = json("balance");
    List<Element> budget = rows(page, "budgets");
    assertThat(budget).hasSize(1);
    assertThat(value(budget.get(0), "limit")).isEqualByComparingTo(balance.get("budget").decimalValue());
    assertThat(value(budget.get(0), "spent")).isEqualByComparingTo(balance.get("spent").decimalValue());
    assertThat(value(budget.get(0), "remaining")).isEqualByComparingTo(balance.get("balance_credits").decimalValue());
    List<Element> drift = rows(page, "drift");
    assertThat(drift).hasSize(2);
    assertThat(value(drift.get(0), "drift")).isEqualByComparingTo("0.005");
    assertThat(value(drift.get(1), "drift")).isEqualByComparingTo("-0.0025");
    assertThat(elements(page, "//*[@id='drift-chart']//*[local-name()='rect' and @class='bar']")).hasSize(2);
  }

  @Test
  void reportJson_fromTo_areInclusive_instantsAndWholeDays() throws Exception {
    JsonNode instants = json("report", "--from", "2026-12-01T02:30:00Z", "--to", "2026-12-01T04:30:00Z").get("totals");
    JsonNode day = json("report", "--from", "2026-12-02", "--to", "2026-12-02").get("totals");

    assertThat(instants.get("calls").asLong() + instants.get("blocked").asLong()).isEqualTo(2); // 02:30 and 04:30
    assertThat(day.get("calls").asLong() + day.get("blocked").asLong()).isEqualTo(12); // 00:30 to 22:30
  }

  @Test
  void report_badFromOrReversedRange_isAUsageError() {
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(stderr, true, StandardCharsets.UTF_8);

    assertThat(Cli.run(new String[] {"report", "--from", "yesterday", "--data-dir", dataDir.toString()}, System.out, err)).isEqualTo(2);
    assertThat(
        Cli.run(new String[] {"report", "--from", "2026-12-03", "--to", "2026-12-02", "--data-dir", dataDir.toString()}, System.out, err))
        .isEqualTo(2);
    assertThat(stderr.toString(StandardCharsets.UTF_8))
        .contains("--from must be a date or an instant (2026-12-07 or 2026-12-07T10:00:00Z); was yesterday")
        .contains("--from 2026-12-03 is after --to 2026-12-02");
  }

  @Test
  void html_isSelfContained() throws Exception {
    page("--by", "model");
    String html = Files.readString(out.resolve("report.html"));

    assertThat(html).doesNotContainPattern("(src|href)\\s*=\\s*\"[^\"]*//");
    assertThat(html.replace("http://www.w3.org/", "")).doesNotContain("http://").doesNotContain("https://");
    assertThat(html).contains("Content-Security-Policy").contains("default-src 'none'");
    assertThat(html).doesNotContain("<link").doesNotContain("<img").doesNotContain("@import").doesNotContain("url(");
  }

  @Test
  void html_emptyRange_saysSoAndIsStillWellFormed() throws Exception {
    Document page = page("--from", "2030-01-01", "--to", "2030-01-02");

    assertThat(elements(page, "//*[@id='empty']")).hasSize(1);
    assertThat(value(elements(page, "//*[@id='totals']//*[@data-field='calls']").get(0))).isZero();
  }

  @Test
  void html_keysWithMarkup_areEscaped() throws Exception {
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      journal.append(UsageRecord.builder().id("x").time(Instant.parse("2026-12-02T01:00:00Z")).provider("openai")
          .model("<script>alert(1)</script>&\"'")
          .operation("chat").endpoint("https://api.example.com/v1/chat/completions").status(UsageRecord.Status.OK).httpStatus(200)
          .cost(new BigDecimal("1")).build());
    }

    Document page = page("--by", "model");

    assertThat(rows(page, "by-dimension").get(0).getAttribute("data-key")).isEqualTo("<script>alert(1)</script>&\"'");
    assertThat(elements(page, "//*[local-name()='script']")).hasSize(1);
  }

  // --- helpers

  private Document page(String... options) throws Exception {
    Path file = out.resolve("report.html");
    List<String> args = new ArrayList<>(List.of("report", "--html", file.toString(), "--data-dir", dataDir.toString()));
    args.addAll(List.of(options));
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    int code = Cli.run(args.toArray(new String[0]), new PrintStream(stdout, true, StandardCharsets.UTF_8),
        new PrintStream(stderr, true, StandardCharsets.UTF_8));
    assertThat(code).as(stderr.toString(StandardCharsets.UTF_8)).isZero();
    assertThat(stdout.toString(StandardCharsets.UTF_8).strip()).isEqualTo("wrote " + file.toAbsolutePath());
    return parse(file);
  }

  /** Parses the page as XML: it must be well-formed, with the HTML5 doctype and no external entity. */
  static Document parse(Path file) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    return f.newDocumentBuilder().parse(file.toFile());
  }

  private JsonNode json(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--json", "--data-dir", dataDir.toString()));
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    int code = Cli.run(all.toArray(new String[0]), new PrintStream(stdout, true, StandardCharsets.UTF_8), System.err);
    assertThat(code).isZero();
    return JSON.readTree(stdout.toByteArray());
  }

  static List<Element> elements(Document page, String xpath) throws Exception {
    NodeList nodes = (NodeList) XPathFactory.newInstance().newXPath().evaluate(xpath, page, XPathConstants.NODESET);
    List<Element> list = new ArrayList<>();
    for (int i = 0; i < nodes.getLength(); i++) {
      list.add((Element) nodes.item(i));
    }
    return list;
  }

  private static List<Element> rows(Document page, String table) throws Exception {
    return elements(page, "//*[@id='" + table + "']/*[local-name()='tbody']/*[local-name()='tr']");
  }

  private static BigDecimal value(Element row, String field) throws Exception {
    NodeList cells = row.getElementsByTagNameNS("*", "td");
    for (int i = 0; i < cells.getLength(); i++) {
      Element cell = (Element) cells.item(i);
      if (cell.getAttribute("data-field").equals(field)) {
        return value(cell);
      }
    }
    throw new AssertionError("no " + field + " in row " + row.getAttribute("data-key"));
  }

  /** The cell's exact figure, which its visible text must equal. */
  private static BigDecimal value(Element cell) {
    assertThat(cell.getTextContent()).isEqualTo(cell.getAttribute("data-value"));
    return new BigDecimal(cell.getAttribute("data-value"));
  }

  private static void assertCards(Document page, String id, JsonNode totals) throws Exception {
    for (String field : FIELDS) {
      Element card = elements(page, "//*[@id='" + id + "']//*[@data-field='" + field + "']").get(0);
      assertThat(card.getTextContent()).as(field).isEqualTo(totals.get(field).asText());
    }
  }

  private static void assertTable(Document page, String id, JsonNode groups, int limit) throws Exception {
    List<Element> rows = rows(page, id);
    rows.removeIf(r -> r.getAttribute("class").equals("total"));
    assertThat(rows).as(id).hasSize(Math.min(limit, groups.size()));
    for (int i = 0; i < rows.size(); i++) {
      JsonNode g = groups.get(i);
      assertThat(rows.get(i).getAttribute("data-key")).as(id).isEqualTo(g.get("key").asText());
      for (String field : FIELDS) {
        assertThat(value(rows.get(i), field).toPlainString()).as(id + " " + g.get("key") + " " + field)
            .isEqualTo(g.get(field).decimalValue().toPlainString());
      }
    }
  }
}
