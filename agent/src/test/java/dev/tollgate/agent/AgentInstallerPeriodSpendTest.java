package dev.tollgate.agent;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.budget.BudgetPeriod;
import dev.tollgate.agent.budget.BudgetSpec;
import dev.tollgate.agent.budget.Budgets;
import dev.tollgate.agent.budget.JournalPeriodSpend;
import dev.tollgate.agent.journal.History;
import dev.tollgate.agent.journal.HistoryRecords;
import dev.tollgate.agent.journal.JournalReader;
import dev.tollgate.agent.journal.SpendKeys;
import dev.tollgate.agent.journal.UsageJournal;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Budgets' period spend at start with a journal checkpoint present: recovery reads only the tail
 * past the checkpoint for the wallet, and the budgets must still count every record of their
 * current periods, including those the checkpoint already covers, and none of an earlier period.
 */
class AgentInstallerPeriodSpendTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  @TempDir
  Path dataDir;

  @ParameterizedTest
  @ValueSource(strings = {"UTC", "America/Los_Angeles", "Pacific/Kiritimati"})
  void periodSpend_withACheckpoint_equalsAFullScans(String zoneName) throws IOException {
    ZoneId zone = ZoneId.of(zoneName);
    // 2026-11-10 .. 2026-12-07: last month, earlier this month, this week, today.
    List<UsageRecord> all = new ArrayList<>(HistoryRecords.write(dataDir, Instant.parse("2026-11-10T00:00:00Z"), 28, 40, 7));
    History.of(dataDir, SpendKeys.NONE).update(true); // the checkpoint covers all of the above
    assertThat(dataDir.resolve("journal").resolve("checkpoint.json")).exists();
    try (UsageJournal journal = UsageJournal.open(dataDir)) { // the tail past the checkpoint
      for (int i = 0; i < 5; i++) {
        UsageRecord r = tenantRecord("tail-" + i, "acme", NOW.minusSeconds(60L * i), "0.25");
        journal.append(r);
        all.add(r);
      }
    }
    List<BudgetSpec> specs = List.of(
        BudgetSpec.of(Map.of("tenant", "*"), "100/month", List.of(), "test"),
        BudgetSpec.of(Map.of("tenant", "*"), "100/week", List.of(), "test"),
        BudgetSpec.of(Map.of("tenant", "acme"), "100/day", List.of(), "test"),
        BudgetSpec.of(Map.of("model", "gpt-4o"), "100/hour", List.of(), "test"));

    JournalPeriodSpend full = Budgets.journalSpend(specs, zone, NOW);
    JournalReader.read(dataDir, full);
    JournalPeriodSpend recovered = Budgets.journalSpend(specs, zone, NOW);
    AgentInstaller.recoverPeriodSpend(dataDir, specs, zone, NOW, recovered);

    Map<String, Long> expected = sums(full);
    assertThat(sums(recovered)).isEqualTo(expected);
    // Independently of JournalPeriodSpend: acme's month counts this month's records (before the
    // checkpoint and in its tail) and none of last month's.
    Instant monthStart = BudgetPeriod.MONTH.start(NOW, zone);
    long acmeMonth = all.stream().filter(r -> "acme".equals(r.attributes().get("tenant")) && !r.time().isBefore(monthStart))
        .mapToLong(r -> Money.toNanos(r.cost())).sum();
    long acmeAll = all.stream().filter(r -> "acme".equals(r.attributes().get("tenant"))).mapToLong(r -> Money.toNanos(r.cost())).sum();
    assertThat(expected.get("{tenant=acme} month " + monthStart)).isEqualTo(acmeMonth).isLessThan(acmeAll);
    assertThat(acmeMonth).isGreaterThan(Money.toNanos(new java.math.BigDecimal("1.25"))); // more than the tail
  }

  @Test
  void periodSpend_readsNoDailyFileBeforeTheLongestCurrentPeriod() throws IOException {
    HistoryRecords.write(dataDir, Instant.parse("2026-12-01T00:00:00Z"), 7, 10, 3);
    Path october = JournalReader.fileOf(dataDir, java.time.LocalDate.parse("2026-10-15"));
    Files.writeString(october, Files.readString(JournalReader.fileOf(dataDir, java.time.LocalDate.parse("2026-12-03")))
        .replace("2026-12-03T", "2026-12-06T")); // records dated this week, in a file the month cannot hold
    List<BudgetSpec> specs = List.of(BudgetSpec.of(Map.of("tenant", "*"), "100/week", List.of(), "test"),
        BudgetSpec.of(Map.of("tenant", "*"), "100/month", List.of(), "test"));
    JournalPeriodSpend recovered = Budgets.journalSpend(specs, ZoneId.of("UTC"), NOW);
    AgentInstaller.recoverPeriodSpend(dataDir, specs, ZoneId.of("UTC"), NOW, recovered);
    Files.delete(october);
    JournalPeriodSpend full = Budgets.journalSpend(specs, ZoneId.of("UTC"), NOW);
    JournalReader.read(dataDir, full);
    assertThat(sums(recovered)).isEqualTo(sums(full)).isNotEmpty();
  }

  @Test
  void retention_isOff_withALifetimeBudgetOrABudgetsFile() {
    List<BudgetSpec> day = List.of(BudgetSpec.of(Map.of("tenant", "*"), "1/day", List.of(), "test"));
    List<BudgetSpec> lifetime = List.of(BudgetSpec.of(Map.of("tenant", "*"), "1", List.of(), "test"));
    assertThat(AgentInstaller.retentionDays(40, day, false)).isEqualTo(40);
    assertThat(AgentInstaller.retentionDays(40, List.of(), false)).isEqualTo(40);
    assertThat(AgentInstaller.retentionDays(40, lifetime, false)).isZero();
    assertThat(AgentInstaller.retentionDays(40, day, true)).isZero();
    assertThat(AgentInstaller.retentionDays(0, day, false)).isZero();
  }

  private static Map<String, Long> sums(JournalPeriodSpend spend) {
    Map<String, Long> sums = new TreeMap<>();
    spend.forEachScope((scope, period, start, nanos) -> sums.put(scope + " " + period.label() + " " + start, nanos));
    return sums;
  }

  private static UsageRecord tenantRecord(String id, String tenant, Instant time, String cost) {
    return UsageRecord.builder().id(id).time(time).provider("openai").model("gpt-4o").operation("chat")
        .endpoint("https://example.test/v1").status(UsageRecord.Status.OK).httpStatus(200).inputTokens(10).outputTokens(5)
        .cost(new java.math.BigDecimal(cost)).attributes(Map.of("tenant", tenant)).build();
  }
}
