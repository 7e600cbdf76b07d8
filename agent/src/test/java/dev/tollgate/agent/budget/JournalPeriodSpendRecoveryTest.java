package dev.tollgate.agent.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.journal.History;
import dev.tollgate.agent.journal.HistoryRecords;
import dev.tollgate.agent.journal.JournalReader;
import dev.tollgate.agent.journal.SpendKeys;
import dev.tollgate.agent.journal.UsageJournal;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Budgets' period spend at start ({@link JournalPeriodSpend#recover}): past days from their
 * rollups, the rest record by record. The reference is a record-by-record scan of the whole journal;
 * recovery must equal it with rollups missing (the first start), saved, stale (their files grew
 * since) and alone (retention deleted the files), and must never count less than it.
 */
class JournalPeriodSpendRecoveryTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
  private static final LocalDate TODAY = LocalDate.parse("2026-12-07");

  @TempDir
  Path dataDir;

  private static List<BudgetSpec> specs() {
    return List.of(
        BudgetSpec.of(Map.of("tenant", "*"), "100/month", List.of(), "test"),
        BudgetSpec.of(Map.of("tenant", "*"), "100/week", List.of(), "test"),
        BudgetSpec.of(Map.of("tenant", "acme"), "100/day", List.of(), "test"),
        BudgetSpec.of(Map.of("model", "gpt-4o"), "100/hour", List.of(), "test"),
        BudgetSpec.of(Map.of("provider", "*"), "100", List.of(), "test"), // lifetime: every day
        BudgetSpec.of(Map.of(), "100/month", List.of(), "test")); // the wallet's month
  }

  @ParameterizedTest
  @ValueSource(strings = {"UTC", "America/Los_Angeles", "Pacific/Kiritimati"})
  void recovered_equalsAFullScan_withRollupsMissingSavedStaleAndAlone(String zoneName) throws IOException {
    ZoneId zone = ZoneId.of(zoneName);
    // 2026-10-28 .. 2026-12-06: last month, this month, this week; then today's records.
    List<UsageRecord> all = new ArrayList<>(HistoryRecords.write(dataDir, Instant.parse("2026-10-28T00:00:00Z"), 40, 30, 11));
    History.of(dataDir, SpendKeys.NONE).update(true); // a checkpoint covers all of the above
    appendTenantRecords(all, "today", NOW.minusSeconds(3600), NOW.minusSeconds(60));
    Map<String, Long> expected = fullScan(zone);

    JournalPeriodSpend cold = recover(zone); // no rollup yet: made and saved on the way
    assertThat(sums(cold)).isEqualTo(expected);
    assertThat(rollups()).as("past days of the current periods rolled up").isNotEmpty();

    JournalPeriodSpend warm = recover(zone);
    assertThat(sums(warm)).isEqualTo(expected);
    assertThat(warm.rolledUpDays).isGreaterThan(30); // the lifetime budget reaches back 40 days
    assertThat(warm.daysReadByRecord).as("today, and in another zone the days a period starts within").isBetween(1, 4);
    if (zone.equals(ZoneId.of("UTC"))) {
      assertThat(warm.daysReadByRecord).isEqualTo(1);
    }

    // Stale: past days' files grow after their rollups were saved (a call settled past midnight).
    appendTenantRecords(all, "late", Instant.parse("2026-12-02T23:59:59Z"), Instant.parse("2026-11-15T10:00:00Z"));
    assertThat(sums(recover(zone))).isEqualTo(fullScan(zone)).isNotEqualTo(expected);
    expected = fullScan(zone);

    // Alone: retention deleted every past file that no current period begins within; each is read from its rollup.
    JournalPeriodSpend onceMore = recover(zone); // saves the rollups of the grown days
    assertThat(sums(onceMore)).isEqualTo(expected);
    deletePastFilesExceptCutDays(zone);
    assertThat(sums(recover(zone))).isEqualTo(expected);

    // Independently of JournalPeriodSpend: acme's month counts this month's records and none of last month's.
    Instant monthStart = BudgetPeriod.MONTH.start(NOW, zone);
    long acmeMonth = all.stream().filter(r -> "acme".equals(r.attributes().get("tenant")) && !r.time().isBefore(monthStart))
        .mapToLong(r -> Money.toNanos(r.cost())).sum();
    long acmeAll = all.stream().filter(r -> "acme".equals(r.attributes().get("tenant"))).mapToLong(r -> Money.toNanos(r.cost())).sum();
    assertThat(expected.get("{tenant=acme} month " + monthStart)).isEqualTo(acmeMonth).isLessThan(acmeAll);
  }

  @Test
  void aDayAPeriodBeginsWithin_whoseFileIsGone_countsWhole_neverLess() throws IOException {
    ZoneId la = ZoneId.of("America/Los_Angeles"); // December begins at 2026-12-01T08:00Z
    HistoryRecords.write(dataDir, Instant.parse("2026-11-28T00:00:00Z"), 9, 40, 5);
    List<BudgetSpec> month = List.of(BudgetSpec.of(Map.of("tenant", "*"), "100/month", List.of(), "test"));
    Map<String, Long> exact = sums(Budgets.journalSpend(month, la, NOW).recover(dataDir));
    assertThat(sums(Budgets.journalSpend(month, la, NOW).recover(dataDir))).isEqualTo(exact);
    Path cutDay = JournalReader.fileOf(dataDir, LocalDate.parse("2026-12-01"));
    long beforeTheStart = records(cutDay).stream()
        .filter(r -> r.time().isBefore(Instant.parse("2026-12-01T08:00:00Z")) && "acme".equals(r.attributes().get("tenant")))
        .mapToLong(r -> Money.toNanos(r.cost())).sum();
    assertThat(beforeTheStart).isPositive();
    History.of(dataDir, SpendKeys.NONE).maintain(TODAY, 0); // the upkeep rolls every past day up, as before retention deletes a file
    Files.delete(cutDay); // only its rollup is left

    Map<String, Long> overCounted = sums(Budgets.journalSpend(month, la, NOW).recover(dataDir));
    String acme = "{tenant=acme} month " + BudgetPeriod.MONTH.start(NOW, la);
    assertThat(overCounted.get(acme)).isEqualTo(exact.get(acme) + beforeTheStart);
  }

  @Test
  void readsNoDailyFileBeforeTheLongestCurrentPeriod() throws IOException {
    HistoryRecords.write(dataDir, Instant.parse("2026-12-01T00:00:00Z"), 7, 10, 3);
    Path october = JournalReader.fileOf(dataDir, LocalDate.parse("2026-10-15"));
    Files.writeString(october, Files.readString(JournalReader.fileOf(dataDir, LocalDate.parse("2026-12-03")))
        .replace("2026-12-03T", "2026-12-06T")); // records dated this week, in a file the month cannot hold
    List<BudgetSpec> specs = List.of(BudgetSpec.of(Map.of("tenant", "*"), "100/week", List.of(), "test"),
        BudgetSpec.of(Map.of("tenant", "*"), "100/month", List.of(), "test"));
    JournalPeriodSpend recovered = Budgets.journalSpend(specs, ZoneId.of("UTC"), NOW).recover(dataDir);
    Files.delete(october);
    JournalPeriodSpend full = Budgets.journalSpend(specs, ZoneId.of("UTC"), NOW);
    JournalReader.read(dataDir, full);
    assertThat(sums(recovered)).isEqualTo(sums(full)).isNotEmpty();
  }

  private JournalPeriodSpend recover(ZoneId zone) throws IOException {
    return Budgets.journalSpend(specs(), zone, NOW).recover(dataDir);
  }

  private Map<String, Long> fullScan(ZoneId zone) throws IOException {
    JournalPeriodSpend full = Budgets.journalSpend(specs(), zone, NOW);
    JournalReader.read(dataDir, full);
    return sums(full);
  }

  private void appendTenantRecords(List<UsageRecord> all, String id, Instant... times) throws IOException {
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      for (int i = 0; i < times.length; i++) {
        UsageRecord r = UsageRecord.builder().id(id + "-" + i).time(times[i]).provider("openai").model("gpt-4o").operation("chat")
            .endpoint("https://example.test/v1").status(UsageRecord.Status.OK).httpStatus(200).inputTokens(10).outputTokens(5)
            .cost(new BigDecimal("0.25")).attributes(Map.of("tenant", "acme")).build();
        journal.append(r);
        all.add(r);
      }
    }
  }

  /** Deletes each past day's file, except a day a current period begins within (the minimum retention keeps those). */
  private void deletePastFilesExceptCutDays(ZoneId zone) throws IOException {
    List<Instant> starts = new ArrayList<>();
    for (BudgetSpec s : specs()) {
      starts.add(s.period.start(NOW, zone));
    }
    for (Path f : JournalReader.files(dataDir)) {
      LocalDate day = JournalReader.dayOf(f);
      Instant first = day.atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
      boolean cut = starts.stream().anyMatch(s -> s.isAfter(first.minusSeconds(86_400)) && s.isBefore(first.plusSeconds(86_400)));
      if (day.isBefore(TODAY) && !cut) {
        Files.delete(f);
      }
    }
  }

  private List<Path> rollups() throws IOException {
    try (Stream<Path> s = Files.list(dataDir.resolve("journal"))) {
      return s.filter(p -> p.getFileName().toString().endsWith(".rollup.json")).collect(java.util.stream.Collectors.toList());
    }
  }

  private static List<UsageRecord> records(Path file) throws IOException {
    List<UsageRecord> records = new ArrayList<>();
    JournalReader.readFrom(file, 0, new JournalReader.Result(), records::add, r -> {});
    return records;
  }

  private static Map<String, Long> sums(JournalPeriodSpend spend) {
    Map<String, Long> sums = new TreeMap<>();
    spend.forEachScope((scope, period, start, nanos) -> sums.put(scope + " " + period.label() + " " + start, nanos));
    return sums;
  }
}
