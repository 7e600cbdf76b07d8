package dev.tollgate.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HistoryTest {
  private static final Instant FIRST = Instant.parse("2026-10-01T00:00:00Z");
  private static final SpendKeys TENANT_DAYS = new SpendKeys() {
    @Override
    public String id() {
      return "tenant-day";
    }

    @Override
    public void keys(UsageRecord r, java.util.function.Consumer<String> key) {
      key.accept(r.attributes().getOrDefault("tenant", "-") + "|" + r.time().toString().substring(0, 10));
    }
  };

  @TempDir
  Path dataDir;

  @Test
  void update_withoutCheckpoint_readsTheWholeJournal_andSavesACheckpoint() throws IOException {
    List<UsageRecord> records = HistoryRecords.write(dataDir, FIRST, 3, 200, 1);

    Tally tally = History.of(dataDir, TENANT_DAYS).update(true);

    assertExact(tally, records);
    assertThat(Checkpoint.read(dataDir)).isNotNull();
    assertThat(Checkpoint.read(dataDir).mismatch(dataDir, TENANT_DAYS)).isNull();
  }

  @Test
  void update_withCheckpoint_addsOnlyTheRecordsPastIt() throws IOException {
    List<UsageRecord> records = new ArrayList<>(HistoryRecords.write(dataDir, FIRST, 2, 100, 2));
    History.of(dataDir, TENANT_DAYS).update(true);
    // Marks the saved tally: if the next start re-read the files instead of the checkpoint, the mark would be gone.
    markCheckpoint(1000);
    records.addAll(HistoryRecords.write(dataDir, FIRST.plusSeconds(86_400), 2, 100, 3)); // the last day grows, a new day begins

    Tally tally = History.of(dataDir, TENANT_DAYS).update(true);

    assertThat(tally.spentNanos()).isEqualTo(HistoryRecords.spentNanos(records) + 1000);
    assertThat(tally.records()).isEqualTo(records.size());
  }

  @Test
  void update_withTornCheckpoint_readsTheWholeJournal() throws IOException {
    List<UsageRecord> records = HistoryRecords.write(dataDir, FIRST, 2, 100, 4);
    History.of(dataDir, TENANT_DAYS).update(true);
    byte[] saved = Files.readAllBytes(Checkpoint.file(dataDir));
    Files.write(Checkpoint.file(dataDir), java.util.Arrays.copyOf(saved, saved.length / 2));

    assertExact(History.of(dataDir, TENANT_DAYS).update(true), records);
    assertThat(Checkpoint.read(dataDir)).as("saved whole again").isNotNull();
  }

  @Test
  void update_withCheckpointAheadOfTheJournal_readsTheWholeJournal() throws IOException {
    HistoryRecords.write(dataDir, FIRST, 2, 100, 5);
    History.of(dataDir, TENANT_DAYS).update(true);
    markCheckpoint(1000);
    Path file = JournalReader.fileOf(dataDir, LocalDate.parse("2026-10-02"));
    List<String> lines = Files.readAllLines(file);
    Files.write(file, lines.subList(0, 50)); // the file lost its last records: the checkpoint counted more than the journal holds

    Tally tally = History.of(dataDir, TENANT_DAYS).update(true);

    assertExact(tally, JournalReader.readAll(dataDir));
  }

  @Test
  void update_withJournalFileRewrittenToTheSameSize_readsTheWholeJournal() throws IOException {
    HistoryRecords.write(dataDir, FIRST, 1, 20, 6);
    History.of(dataDir, TENANT_DAYS).update(true);
    markCheckpoint(1000);
    Path file = JournalReader.fileOf(dataDir, LocalDate.parse("2026-10-01"));
    String text = Files.readString(file);
    Files.writeString(file, text.replaceFirst("\"id\":\"r0-0\"", "\"id\":\"x0-0\""));

    assertExact(History.of(dataDir, TENANT_DAYS).update(true), JournalReader.readAll(dataDir));
  }

  @Test
  void update_withOtherKeys_readsTheWholeJournal_andSumsTheNewKeys() throws IOException {
    List<UsageRecord> records = HistoryRecords.write(dataDir, FIRST, 2, 100, 7);
    History.of(dataDir, SpendKeys.NONE).update(true);
    markCheckpoint(1000);

    assertExact(History.of(dataDir, TENANT_DAYS).update(true), records);
  }

  @Test
  void update_withTornLastLine_skipsIt_andCountsItOnceItIsWhole() throws IOException {
    List<UsageRecord> records = new ArrayList<>(HistoryRecords.write(dataDir, FIRST, 1, 10, 8));
    History history = History.of(dataDir, TENANT_DAYS);
    history.update(true);
    Path file = JournalReader.fileOf(dataDir, LocalDate.parse("2026-10-01"));
    UsageRecord late = HistoryRecords.random(new java.util.Random(9), FIRST.plusSeconds(60), "late");
    byte[] line = JournalCodec.encode(late);
    Files.write(file, java.util.Arrays.copyOf(line, line.length / 2), StandardOpenOption.APPEND); // a write still under way

    assertExact(history.update(true), records);
    assertThat(history.skipped()).isEqualTo(1);

    Files.write(file, java.util.Arrays.copyOfRange(line, line.length / 2, line.length), StandardOpenOption.APPEND);
    records.add(late);
    assertExact(History.of(dataDir, TENANT_DAYS).update(true), records);
  }

  @Test
  void update_withEmptyDataDir_isZero() throws IOException {
    Tally tally = History.of(dataDir, TENANT_DAYS).update(false);

    assertThat(tally.spentNanos()).isZero();
    assertThat(Checkpoint.file(dataDir)).doesNotExist();
  }

  @Test
  void forEachHour_addsUpToTheTotal_andNeverLiesAfterTheLatestRecord() throws IOException {
    List<UsageRecord> records = HistoryRecords.write(dataDir, FIRST, 2, 300, 10);
    Tally tally = History.of(dataDir, TENANT_DAYS).update(false);
    long[] sum = {0};
    Instant latest = records.stream().map(UsageRecord::time).max(Instant::compareTo).orElseThrow();

    tally.forEachHour((at, nanos) -> {
      sum[0] += nanos;
      assertThat(at).isBeforeOrEqualTo(latest);
    });

    assertThat(sum[0]).isEqualTo(HistoryRecords.spentNanos(records));
  }

  @Test
  void maintain_withRetention_deletesOldFiles_keepsTheirSpendInRollups() throws IOException {
    List<UsageRecord> records = HistoryRecords.write(dataDir, FIRST, 40, 30, 11);
    LocalDate today = LocalDate.parse("2026-11-15"); // keep 35 days: files before 2026-10-11 go
    History history = History.of(dataDir, TENANT_DAYS);

    history.maintain(today, 35);

    assertThat(JournalReader.files(dataDir)).extracting(JournalReader::dayOf)
        .allSatisfy(d -> assertThat(d).isAfterOrEqualTo(LocalDate.parse("2026-10-11")));
    assertThat(Rollup.days(dataDir)).hasSize(40);
    assertThat(Checkpoint.read(dataDir).mismatch(dataDir, TENANT_DAYS)).as("the checkpoint still matches").isNull();
    assertExact(History.of(dataDir, TENANT_DAYS).update(false), records);
    Files.delete(Checkpoint.file(dataDir));
    Tally rebuilt = History.of(dataDir, SpendKeys.NONE).update(false);
    assertThat(rebuilt.spentNanos()).as("without a checkpoint, the deleted days' spend comes from their rollups")
        .isEqualTo(HistoryRecords.spentNanos(records));
    assertThat(rebuilt.records()).isEqualTo(records.size());
  }

  @Test
  void maintain_withoutRetention_keepsEveryFile_andRollsUpPastDays() throws IOException {
    HistoryRecords.write(dataDir, FIRST, 3, 10, 12);

    History.of(dataDir, SpendKeys.NONE).maintain(LocalDate.parse("2026-10-03"), 0);

    assertThat(JournalReader.files(dataDir)).hasSize(3);
    assertThat(Rollup.file(dataDir, LocalDate.parse("2026-10-01"))).exists();
    assertThat(Rollup.file(dataDir, LocalDate.parse("2026-10-02"))).exists();
    assertThat(Rollup.file(dataDir, LocalDate.parse("2026-10-03"))).as("today is still being written").doesNotExist();
  }

  @Test
  void recover_afterAShortTail_leavesTheSaveToTheUpkeep() throws IOException {
    List<UsageRecord> records = HistoryRecords.write(dataDir, FIRST, 1, 10, 13);
    History history = History.of(dataDir, TENANT_DAYS);

    assertExact(history.recover(), records);
    assertThat(Checkpoint.file(dataDir)).as("the first call need not wait for a forced write").doesNotExist();

    history.maintain(LocalDate.parse("2026-10-01"), 0);
    assertThat(Checkpoint.read(dataDir).tally.spentNanos()).isEqualTo(HistoryRecords.spentNanos(records));
  }

  @Test
  void recover_afterReadingMuchOfTheJournal_savesAtOnce() throws IOException {
    List<UsageRecord> records = HistoryRecords.write(dataDir, FIRST, 1, 6000, 14); // over 1 MiB

    assertExact(History.of(dataDir, TENANT_DAYS).recover(), records);
    assertThat(Checkpoint.read(dataDir).tally.spentNanos()).isEqualTo(HistoryRecords.spentNanos(records));
  }

  /** Adds {@code nanos} to the saved checkpoint's spend (total and its first hour, so it stays consistent). */
  private void markCheckpoint(long nanos) throws IOException {
    Checkpoint c = Checkpoint.read(dataDir);
    c.tally.spentNanos += nanos;
    c.tally.hourly.merge(c.tally.hourly.firstKey(), nanos, Long::sum);
    c.write(dataDir);
  }

  @Test
  void recover_withAnUnreadableLineMidFile_saysSoOnce_asInTheMiddle_notAsATornWrite() throws IOException {
    List<UsageRecord> records = HistoryRecords.write(dataDir, FIRST, 1, 4, 10);
    Path file = JournalReader.fileOf(dataDir, LocalDate.parse("2026-10-01"));
    List<String> lines = new ArrayList<>(Files.readAllLines(file));
    lines.add(2, "{\"v\":1,\"id\":\"damaged"); // a damaged line between good ones
    Files.write(file, lines);

    History first = History.of(dataDir, TENANT_DAYS);
    assertExact(first.recover(), records);
    History second = History.of(dataDir, TENANT_DAYS); // the next start
    assertExact(second.recover(), records);

    assertThat(first.damage()).isEqualTo("journal: usage-2026-10-01.jsonl 1 unreadable line(s) in the middle of the file (damaged or "
        + "edited, or a record cut short by a crash before later ones): skipped, their calls not counted");
    assertThat(second.damage()).as("said once, not at every start").isNull();
  }

  @Test
  void recover_withATornLastLine_saysSoOnce_alsoOnceAWriteCompletedItsLine() throws IOException {
    List<UsageRecord> records = new ArrayList<>(HistoryRecords.write(dataDir, FIRST, 1, 4, 11));
    Path file = JournalReader.fileOf(dataDir, LocalDate.parse("2026-10-01"));
    byte[] torn = java.util.Arrays.copyOf(JournalCodec.encode(records.get(0)), 40);
    Files.write(file, torn, StandardOpenOption.APPEND); // a crash mid-write

    History first = History.of(dataDir, TENANT_DAYS);
    assertExact(first.recover(), records);
    History second = History.of(dataDir, TENANT_DAYS);
    assertExact(second.recover(), records);
    try (UsageJournal journal = UsageJournal.open(dataDir)) { // the next write starts a line of its own
      UsageRecord late = HistoryRecords.random(new java.util.Random(12), FIRST.plusSeconds(60), "late");
      journal.append(late);
      records.add(late);
    }
    History third = History.of(dataDir, TENANT_DAYS);
    assertExact(third.recover(), records);

    assertThat(first.damage()).isEqualTo("journal: usage-2026-10-01.jsonl ends in a torn record (the JVM was stopped mid-write, "
        + "or another JVM is writing it): skipped until its line is whole");
    assertThat(second.damage()).as("the same torn record at the next start").isNull();
    assertThat(third.damage()).as("the torn record, now a whole line that does not parse").isNull();
    assertThat(third.skipped()).isEqualTo(1);
  }

  private static void assertExact(Tally tally, List<UsageRecord> records) {
    assertThat(tally.spentNanos()).isEqualTo(HistoryRecords.spentNanos(records));
    assertThat(tally.records()).isEqualTo(records.size());
    Map<String, Long> sums = new TreeMap<>();
    for (UsageRecord r : records) {
      long nanos = dev.tollgate.agent.pricing.Money.toNanos(r.cost());
      if (nanos != 0) {
        TENANT_DAYS.keys(r, k -> sums.merge(k, nanos, Long::sum));
      }
    }
    assertThat(tally.sums()).isEqualTo(sums);
  }
}
