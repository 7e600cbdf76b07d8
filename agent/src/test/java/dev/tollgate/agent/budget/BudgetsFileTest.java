package dev.tollgate.agent.budget;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The budgets file: the contract's shape, and every problem named by file, line and field. */
class BudgetsFileTest {
  private static final List<String> DEFAULT_ALERTS = List.of("80%", "100%");
  @TempDir
  Path dir;

  @Test
  void read_theContractsExample_givesBothBudgets() throws Exception {
    Path f = write("{\"budgets\":[{\"scope\":{\"tenant\":\"acme\"},\"limit\":5,\"period\":\"day\"},\n"
        + "  {\"scope\":{\"tenant\":\"*\",\"feature\":\"chat\"},\"limit\":1,\"period\":\"day\",\"alerts\":[\"50%\",\"90%\"]}]}");
    List<BudgetSpec> specs = BudgetsFile.read(f, DEFAULT_ALERTS);
    assertThat(specs).hasSize(2);
    assertThat(specs.get(0).scope).isEqualTo(Map.of("tenant", "acme"));
    assertThat(specs.get(0).limit).isEqualByComparingTo("5");
    assertThat(specs.get(0).period).isEqualTo(BudgetPeriod.DAY);
    assertThat(specs.get(0).alerts).isEqualTo(DEFAULT_ALERTS);
    assertThat(specs.get(1).scope).containsExactly(Map.entry("feature", "chat"), Map.entry("tenant", "*"));
    assertThat(specs.get(1).alerts).containsExactly("50%", "90%");
    assertThat(specs.get(1).origin).isEqualTo("budgets.json:2");
  }

  @Test
  void read_withoutPeriodOrScope_isALifetimeWalletBudget() throws Exception {
    List<BudgetSpec> specs = BudgetsFile.read(write("{\"budgets\":[{\"limit\":\"0.50\"}]}"), DEFAULT_ALERTS);
    assertThat(specs.get(0).scope).isEmpty();
    assertThat(specs.get(0).period).isEqualTo(BudgetPeriod.LIFETIME);
    assertThat(specs.get(0).limitNanos).isEqualTo(500_000_000L);
  }

  @Test
  void read_whenLimitIsNegative_namesLineAndField() throws Exception {
    Path f = write(
        "{\"budgets\":[\n  {\"scope\":{\"tenant\":\"a\"},\"limit\":1,\"period\":\"day\"},\n  {\"scope\":{\"tenant\":\"b\"},\n   \"limit\":-3}\n]}");
    assertThatThrownBy(() -> BudgetsFile.read(f, DEFAULT_ALERTS)).isInstanceOf(BudgetsFile.Invalid.class)
        .hasMessage("budgets file " + f + " line 4 field budgets[1].limit: must be a number of credits, 0 or more (for example 5 or 0.50)");
  }

  /** Two budgets of one scope and period in one file: which was meant is unknowable, so the file is refused, naming both. */
  @Test
  void read_whenAScopeAndPeriodRepeat_refusesTheFile_namingBothEntries() throws Exception {
    Path f = write("{\"budgets\":[\n  {\"scope\":{\"tenant\":\"acme\"},\"limit\":1,\"period\":\"day\"},\n"
        + "  {\"scope\":{\"tenant\":\"beta\"},\"limit\":1,\"period\":\"day\"},\n"
        + "  {\"scope\":{\"tenant\":\"acme\"},\"limit\":2,\"period\":\"day\"}\n]}");
    assertThatThrownBy(() -> BudgetsFile.read(f, DEFAULT_ALERTS)).isInstanceOf(BudgetsFile.Invalid.class)
        .hasMessage("budgets file " + f + " line 4 field budgets[2]: budgets the same scope and period as budgets[0] ({tenant=acme} 1/day, "
            + "line 2) ({tenant=acme} 2/day here): each scope and period may appear once; remove one of them");
  }

  @Test
  void read_sameScopeOtherPeriod_bothApply() throws Exception {
    Path f = write("{\"budgets\":[{\"scope\":{\"tenant\":\"acme\"},\"limit\":1,\"period\":\"day\"},"
        + "{\"scope\":{\"tenant\":\"acme\"},\"limit\":20,\"period\":\"month\"}]}");
    assertThat(BudgetsFile.read(f, DEFAULT_ALERTS)).hasSize(2);
  }

  /** A budget key and the file budgeting the same scope and period: the key is in force, the file's is named once. */
  @Test
  void all_aKeyTakesPrecedenceOverTheFile_andTheOverriddenOneIsNamed() throws Exception {
    Path f = write("{\"budgets\":[{\"scope\":{\"tenant\":\"acme\"},\"limit\":0.002,\"period\":\"day\"},"
        + "{\"scope\":{\"tenant\":\"beta\"},\"limit\":1,\"period\":\"day\"}]}");
    BudgetSpec key = BudgetSpec.of(Map.of("tenant", "acme"), "5/day", DEFAULT_ALERTS, "tollgate.budget.tenant.acme");
    List<String> overridden = new java.util.ArrayList<>();

    List<BudgetSpec> all = BudgetsFileWatcher.all(List.of(key), f, DEFAULT_ALERTS, overridden::add);

    assertThat(all).extracting(s -> s.toString()).containsExactly("{tenant=acme} 5/day (tollgate.budget.tenant.acme)",
        "{tenant=beta} 1/day (budgets.json:1)");
    assertThat(overridden).containsExactly("budget {tenant=acme} 0.002/day (budgets.json:1) is not in force: "
        + "tollgate.budget.tenant.acme budgets the same scope and period ({tenant=acme} 5/day), and a budget key takes precedence "
        + "over the budgets file");
  }

  /** The running agent refuses a new version with a repeated budget as any bad version: the last good one stays. */
  @Test
  void poll_aVersionWithARepeatedBudget_keepsTheLastGoodOne() throws Exception {
    Path f = write("{\"budgets\":[{\"scope\":{\"tenant\":\"acme\"},\"limit\":1,\"period\":\"day\"}]}");
    List<BudgetSpec> first = BudgetsFile.read(f, DEFAULT_ALERTS);
    try (Budgets budgets = new Budgets(first, java.time.ZoneOffset.UTC, java.time.Clock.systemUTC(), PeriodSpendSource.NONE, (s,
        t) -> {})) {
      BudgetsFileWatcher watcher = new BudgetsFileWatcher(f, List.of(), DEFAULT_ALERTS, budgets, specs -> PeriodSpendSource.NONE);
      write("{\"budgets\":[{\"scope\":{\"tenant\":\"acme\"},\"limit\":1,\"period\":\"day\"},"
          + "{\"scope\":{\"tenant\":\"acme\"},\"limit\":2,\"period\":\"day\"}]}");

      watcher.poll();

      assertThat(budgets.specs()).isEqualTo(first);
    }
  }

  @Test
  void read_whenPeriodIsUnknown_namesIt() throws Exception {
    Path f = write("{\"budgets\":[{\"limit\":1,\n\"period\":\"fortnight\"}]}");
    assertThatThrownBy(() -> BudgetsFile.read(f, DEFAULT_ALERTS))
        .hasMessage("budgets file " + f + " line 2 field budgets[0].period: must be one of hour, day, week, month, lifetime");
  }

  @Test
  void read_whenJsonIsBroken_namesLineAndColumnInPlainWords() throws Exception {
    Path f = write("{\"budgets\":[\n{\"limit\":1,,}\n]}");
    assertThatThrownBy(() -> BudgetsFile.read(f, DEFAULT_ALERTS)).hasMessage("budgets file " + f
        + " is not valid JSON: line 2, column 12: unexpected character (',' (code 44)): was expecting double-quote to start field name");
    // Regression: "[Source: REDACTED (`StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION` disabled); line: 1, column: 12]"
    Path torn = write("{\"budgets\":[");
    assertThatThrownBy(() -> BudgetsFile.read(torn, DEFAULT_ALERTS)).hasMessage("budgets file " + torn
        + " is not valid JSON: line 1, column 13: unexpected end-of-input: expected close marker for Array (start marker at line 1, column 12)");
  }

  @Test
  void read_whenFieldIsUnknown_orScopeValueIsNotAString_orAlertIsBad_namesTheField() throws Exception {
    Path unknown = write("{\"budgets\":[{\"limit\":1,\"perod\":\"day\"}]}");
    assertThatThrownBy(() -> BudgetsFile.read(unknown, DEFAULT_ALERTS))
        .hasMessageContaining("line 1 field budgets[0].perod: unknown field");
    Path number = write("{\"budgets\":[{\"scope\":{\"tenant\":7},\"limit\":1}]}");
    assertThatThrownBy(() -> BudgetsFile.read(number, DEFAULT_ALERTS))
        .hasMessageContaining("field budgets[0].scope.tenant: must be a non-empty string");
    Path badDimension = write("{\"budgets\":[{\"scope\":{\"Tenant Id\":\"a\"},\"limit\":1}]}");
    assertThatThrownBy(() -> BudgetsFile.read(badDimension, DEFAULT_ALERTS)).hasMessageContaining("field budgets[0].scope.Tenant Id:");
    Path alert = write("{\"budgets\":[{\"limit\":1,\"alerts\":[\"50%\",\"150%\"]}]}");
    assertThatThrownBy(() -> BudgetsFile.read(alert, DEFAULT_ALERTS))
        .hasMessageContaining("field budgets[0].alerts[1]: must be a percentage");
  }

  @Test
  void read_whenLimitMissing_orNoBudgetsArray_orFileMissing_saysSo() throws Exception {
    Path noLimit = write("{\"budgets\":[{\"scope\":{\"tenant\":\"a\"}}]}");
    assertThatThrownBy(() -> BudgetsFile.read(noLimit, DEFAULT_ALERTS)).hasMessageContaining("line 1 field budgets[0].limit: missing");
    Path noArray = write("{\"budget\":[]}");
    assertThatThrownBy(() -> BudgetsFile.read(noArray, DEFAULT_ALERTS)).hasMessageContaining("field budgets: missing");
    // Regression: "line 0: cannot be read (NoSuchFileException: …)"
    assertThatThrownBy(() -> BudgetsFile.read(dir.resolve("absent.json"), DEFAULT_ALERTS))
        .hasMessage("budgets file " + dir.resolve("absent.json") + " does not exist");
    assertThatThrownBy(() -> BudgetsFile.read(dir, DEFAULT_ALERTS)).hasMessage("budgets file " + dir + " cannot be read: Is a directory");
  }

  private Path write(String json) throws IOException {
    return Files.writeString(dir.resolve("budgets.json"), json);
  }
}
