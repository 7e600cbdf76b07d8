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
  private static final String[] BY = {"model", "provider", "tenant", "day"};

  @TempDir Path dataDir;

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
    return t.key + " " + t.calls + " " + t.blocked + " " + t.inputTokens + " " + t.outputTokens + " " + t.cost().toPlainString();
  }
}
