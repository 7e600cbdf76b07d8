package dev.tollgate.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.journal.HistoryRecords;
import dev.tollgate.agent.journal.JournalReader;
import dev.tollgate.agent.journal.UsageJournal;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code report} from daily rollups gives exactly the numbers of the raw records, for every grouping. */
class ReportRollupTest {
  private static final Instant FIRST = Instant.parse("2026-10-01T00:00:00Z");
  private static final LocalDate TODAY = LocalDate.parse("2026-10-05");
  private static final String[] BY = {"model", "provider", "operation", "tenant", "day"};

  @TempDir
  Path dataDir;

  @Test
  void report_fromRollups_equalsReportFromRecords() throws IOException {
    List<UsageRecord> records = new ArrayList<>(HistoryRecords.write(dataDir, FIRST, 5, 400, 21));

    for (String by : BY) {
      assertThat(lines(Report.of(dataDir, by, TODAY))).as("first report, which rolls up past days: " + by)
          .isEqualTo(lines(Report.of(records, by)));
    }
    assertThat(rollups()).as("every past day rolled up, today not").hasSize(4);
    for (String by : BY) {
      assertThat(lines(Report.of(dataDir, by, TODAY))).as("from the saved rollups: " + by).isEqualTo(lines(Report.of(records, by)));
    }
  }

  @Test
  void report_whenAPastDayGrewAfterItsRollup_countsTheRollupAndTheNewRecords() throws IOException {
    List<UsageRecord> records = new ArrayList<>(HistoryRecords.write(dataDir, FIRST, 3, 100, 22));
    Report.of(dataDir, "model", TODAY); // rolls the three days up
    // A call that started before midnight and ended after: its record lands in yesterday's file.
    records.addAll(HistoryRecords.write(dataDir, FIRST.plusSeconds(86_400), 1, 50, 23));

    for (String by : BY) {
      assertThat(lines(Report.of(dataDir, by, TODAY))).as(by).isEqualTo(lines(Report.of(records, by)));
    }
  }

  @Test
  void report_whenARollupIsDamaged_rebuildsItFromTheDailyFile() throws IOException {
    List<UsageRecord> records = HistoryRecords.write(dataDir, FIRST, 3, 100, 24);
    Report.of(dataDir, "model", TODAY);
    for (Path rollup : rollups()) {
      Files.writeString(rollup, "{\"version\":1,\"day\":"); // torn
    }

    assertThat(lines(Report.of(dataDir, "tenant", TODAY))).isEqualTo(lines(Report.of(records, "tenant")));
    assertThat(JournalReader.readAll(dataDir)).hasSize(records.size());
  }

  @Test
  void cliReport_withARangeOrByHour_afterRollups_countsTheRecordsInsideTheRangeOnly() throws IOException {
    List<UsageRecord> records = HistoryRecords.write(dataDir, FIRST, 5, 200, 25);
    Report.of(dataDir, "model", TODAY); // every past day rolled up
    assertThat(rollups()).hasSize(4);
    // A range that cuts two days: a rollup would count them whole.
    Instant from = Instant.parse("2026-10-02T06:30:00Z");
    Instant to = Instant.parse("2026-10-04T17:45:00Z");
    String[][] cases = {{"tenant", "--from", from.toString(), "--to", to.toString()}, {"hour", "--from", from.toString()}, {"hour"}};
    for (String[] c : cases) {
      TimeRange range = TimeRange.of(c.length > 2 ? c[2] : null, c.length > 4 ? c[4] : null);
      Report expected = new Report(c[0]);
      records.stream().filter(r -> range.contains(r.time())).forEach(expected::add);
      List<String> args = new ArrayList<>(List.of("report", "--by", c[0], "--data-dir", dataDir.toString(), "--json"));
      args.addAll(List.of(c).subList(1, c.length));
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      int code = Cli.run(args.toArray(new String[0]), new java.io.PrintStream(out, true, "UTF-8"),
          new java.io.PrintStream(new java.io.ByteArrayOutputStream()));
      assertThat(code).isZero();
      com.fasterxml.jackson.databind.JsonNode root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString("UTF-8"));
      expected.finish();
      assertThat(root.get("totals").get("cost").asText()).as(String.join(" ", c)).isEqualTo(expected.totals.cost().toPlainString());
      assertThat(root.get("totals").get("calls").asLong()).as(String.join(" ", c)).isEqualTo(expected.totals.calls);
      assertThat(root.get("groups")).hasSize(expected.groups.size());
    }
  }

  @Test
  void everyReportAndRange_afterRetentionDeletedDailyFiles_countsTheirRollups() throws IOException {
    List<UsageRecord> records = HistoryRecords.write(dataDir, FIRST, 5, 200, 26);
    Report.of(dataDir, "model", TODAY); // rolls every past day up
    deleteDailyFiles("2026-10-01", "2026-10-02"); // as retention does: their rollups are kept
    // Bounds at day boundaries, or inside a day that still has its file: every figure is exact.
    String[][] ranges = {{null, null}, {"2026-10-01", null}, {"2026-10-02", "2026-10-04"}, {null, "2026-10-03T12:00:00Z"},
        {"2026-10-02", "2026-10-04T06:30:00Z"}};
    List<String> bys = new ArrayList<>(List.of(BY));
    bys.add("hour");
    for (String by : bys) {
      for (String[] bounds : ranges) {
        TimeRange range = TimeRange.of(bounds[0], bounds[1]);
        String what = by + " " + bounds[0] + ".." + bounds[1];
        Report expected = Report.of(records.stream().filter(r -> range.contains(r.time())).collect(Collectors.toList()), by);
        Report report = Report.read(dataDir, by, range, TODAY);
        SpendReport html = SpendReport.read(dataDir, by, range, Instant.parse("2026-10-05T12:00:00Z"));

        assertThat(line(report.totals)).as(what).isEqualTo(line(expected.totals));
        assertThat(line(html.byDimension.totals)).as("html " + what).isEqualTo(line(expected.totals));
        assertThat(line(html.byTime.totals)).as("html per day " + what).isEqualTo(line(expected.totals));
        assertThat(lines(html.byDimension)).as("html " + what).isEqualTo(lines(report));
        if (by.equals("hour")) {
          assertThat(report.groups).extracting(g -> g.key).as(what).doesNotContain("2026-10-03", "2026-10-04")
              .contains(range.contains(FIRST.plusSeconds(86_400)) ? new String[] {"2026-10-02"} : new String[0]);
        } else {
          assertThat(lines(report)).as(what).isEqualTo(lines(expected));
        }
        assertThat(report.days.cut).as(what).isEmpty();
      }
    }
  }

  @Test
  void cliReport_rangeStartingInsideADayOnlyItsRollupHolds_countsThatDayWhole_andSaysSo() throws IOException {
    List<UsageRecord> records = HistoryRecords.write(dataDir, FIRST, 3, 100, 27);
    Report.of(dataDir, "model", TODAY);
    deleteDailyFiles("2026-10-01");

    com.fasterxml.jackson.databind.JsonNode root = json("report", "--by", "hour", "--from", "2026-10-01T12:00:00Z", "--json");
    String text = run("report", "--by", "hour", "--from", "2026-10-01T12:00:00Z");

    Report expected = Report.of(records, "day"); // 2026-10-01 whole, though the range starts at its noon
    assertThat(root.get("totals").get("cost").asText()).isEqualTo(expected.totals.cost().toPlainString());
    assertThat(root.get("day_resolution").toString()).isEqualTo("[\"2026-10-01\"]");
    assertThat(root.get("counted_whole").toString()).isEqualTo("[\"2026-10-01\"]");
    assertThat(root.get("groups").get(0).get("key").asText()).isEqualTo("2026-10-01");
    assertThat(text).contains("note: 2026-10-01: only their rollups are left").contains(
        "note: 2026-10-01: the range starts or ends inside");
  }

  private void deleteDailyFiles(String... days) throws IOException {
    for (String day : days) {
      Files.delete(JournalReader.fileOf(dataDir, LocalDate.parse(day)));
    }
  }

  private com.fasterxml.jackson.databind.JsonNode json(String... args) throws IOException {
    return new com.fasterxml.jackson.databind.ObjectMapper().readTree(run(args));
  }

  private String run(String... args) throws IOException {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--data-dir", dataDir.toString()));
    java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
    java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
    int code = Cli.run(all.toArray(new String[0]), new java.io.PrintStream(out, true, "UTF-8"), new java.io.PrintStream(err, true,
        "UTF-8"));
    assertThat(code).as(err.toString("UTF-8")).isZero();
    return out.toString("UTF-8");
  }

  private List<Path> rollups() throws IOException {
    try (Stream<Path> s = Files.list(UsageJournal.journalDir(dataDir))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".rollup.json")).collect(Collectors.toList());
    }
  }

  private static List<String> lines(Report r) {
    List<String> lines = new ArrayList<>();
    lines.add(line(r.totals));
    r.groups.forEach(g -> lines.add(line(g)));
    return lines;
  }

  private static String line(Report.Totals t) {
    return t.key + " " + t.calls + " " + t.blocked + " " + t.inputTokens + " " + t.outputTokens + " " + t.cacheReadTokens + " "
        + t.cost().toPlainString();
  }
}
