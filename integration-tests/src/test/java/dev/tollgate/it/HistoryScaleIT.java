package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A month of history (1,000,000 records over 30 daily files, generated here) under a 64 MB heap:
 * the agent starts and meters its first call with the history's spend counted to the nano-credit,
 * first reading the whole journal (no checkpoint yet), then from the checkpoint, and a lifetime
 * budget per provider recovered from the days' rollups; {@code report} and {@code budgets} give the
 * exact totals.
 */
class HistoryScaleIT extends LoopbackTest {
  private static final int RECORDS = Integer.getInteger("tollgate.it.history-records", 1_000_000);
  private static final int DAYS = 30;
  private static final String HEAP = "-Xmx64m";
  private static final BigDecimal CALL = new BigDecimal(Fixtures.OPENAI_JSON_COST);
  private static final BigDecimal HEADROOM = BigDecimal.ONE;
  /** A lifetime budget per provider: its spend is every day's, so a start must recover all of history's. */
  private static final String PROVIDER_BUDGET = "tollgate.budget.provider.*";

  @Test
  void monthOfHistory_boundedHeap_firstCallMeteredWithHistorySpendCounted_reportExact() throws Exception {
    BigDecimal history = BigDecimal.valueOf(HistoryGenerator.generate(dataDir, RECORDS, DAYS), 9);
    BigDecimal budget = history.add(HEADROOM);

    Fork.Result first = call(budget, "debug", true);
    assertThat(first.lines("STATUS ")).as(first.toString()).containsExactly("200");
    assertThat(new BigDecimal(first.lines("BALANCE ").get(0))).as("budget − history − this call")
        .isEqualByComparingTo(HEADROOM.subtract(CALL));
    assertThat(first.agentLog()).anySatisfy(l -> assertThat(l).contains("reading the whole journal once"));
    assertThat(dataDir.resolve("journal/checkpoint.json")).exists();

    Fork.Result second = call(budget, "debug", false);
    assertThat(second.lines("STATUS ")).as(second.toString()).containsExactly("200");
    assertThat(new BigDecimal(second.lines("BALANCE ").get(0))).as("from the checkpoint, the first run's call included")
        .isEqualByComparingTo(HEADROOM.subtract(CALL).subtract(CALL));
    assertThat(second.agentLog()).noneSatisfy(l -> assertThat(l).contains("reading the whole journal"));
    // The lifetime provider budget needs every day's spend: past days come from their rollups (saved by
    // the first start), only today's file (the first run's call) is read record by record.
    assertThat(second.agentLog()).as(second.toString())
        .anySatisfy(l -> assertThat(l).contains("budgets: current periods' spend from " + DAYS + " rolled-up day(s) and 1 day(s) read"));

    Fork.Result exhausted = call(history.add(CALL).add(CALL), "info", false);
    assertThat(exhausted.lines("STATUS ")).as("a budget the history and both calls used up blocks: " + exhausted).containsExactly("402");

    for (int round = 1; round <= 2; round++) { // the first rolls the past days up, the second reads the rollups
      Fork.Result report = Fork.cli(600, List.of(HEAP), Map.of(), "report", "--json", "--by", "day", "--data-dir", dataDir.toString());
      JsonNode totals = Journal.json(report.stdout).get("totals");
      assertThat(totals.get("cost").decimalValue()).as("round " + round + ": " + report).isEqualByComparingTo(history.add(CALL).add(CALL));
      assertThat(totals.get("calls").asLong() + totals.get("blocked").asLong()).isEqualTo(RECORDS + 3L);
      assertThat(totals.get("blocked").asLong()).isEqualTo(RECORDS / 50 + 1L);
      assertThat(Journal.json(report.stdout).get("groups")).hasSize(DAYS + 1);
    }
    // Every record has a provider: the provider budgets' spend adds up to the journal's, to the nano-credit.
    Fork.Result budgets = Fork.cli(600, List.of(HEAP), Map.of(PROVIDER_BUDGET, "1000000"), "budgets", "--json", "--data-dir",
        dataDir.toString());
    BigDecimal spent = BigDecimal.ZERO;
    for (JsonNode b : Journal.json(budgets.stdout).get("budgets")) {
      spent = spent.add(b.get("spent").decimalValue());
    }
    assertThat(spent).as(budgets.toString()).isEqualByComparingTo(history.add(CALL).add(CALL));
    try (var files = Files.list(dataDir.resolve("journal"))) {
      assertThat(files.filter(f -> f.getFileName().toString().endsWith(".rollup.json")).count()).isEqualTo(DAYS);
    }
  }

  /** One metered call under the bounded heap; {@code wholeRead}: the start reads the whole journal (C2 then pays for itself). */
  private Fork.Result call(BigDecimal budget, String logLevel, boolean wholeRead) {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    Fork fork = Fork.app("okhttp4", OkHttpApp.class);
    if (wholeRead) {
      fork.withDefaultJit();
    }
    return fork.jvmArg(HEAP).prop("tollgate.data-dir", dataDir).prop("tollgate.budget", budget
        .toPlainString()).prop(PROVIDER_BUDGET, "1000000")
        .prop("tollgate.tokenizer", "heuristic").prop("tollgate.log-level", logLevel).endpoint("fake", url("/v1"), "openai")
        .args("sync", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "--balance").run(300);
  }
}
