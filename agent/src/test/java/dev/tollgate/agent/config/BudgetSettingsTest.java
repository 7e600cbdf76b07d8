package dev.tollgate.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.agent.budget.BudgetPeriod;
import dev.tollgate.agent.budget.BudgetSpec;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The budget keys: the wallet's lifetime budget stays as it was; a period or a scope makes a budget. */
class BudgetSettingsTest {

  private static TollgateConfig load(String... kv) {
    Map<String, String> props = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      props.put(kv[i], kv[i + 1]);
    }
    return TollgateConfig.load(ConfigSource.of(props, Map.of(), Map.of()));
  }

  @Test
  void budgetWithoutPeriod_staysTheWalletsLifetimeBudget() {
    TollgateConfig c = load("tollgate.budget", "25");
    assertThat(c.budget).isEqualByComparingTo("25");
    assertThat(c.budgets.keyed).isEmpty();
  }

  @Test
  void budgetWithPeriod_isAWalletBudgetPerPeriod() {
    TollgateConfig c = load("tollgate.budget", "5/day");
    assertThat(c.budget).isNull();
    BudgetSpec spec = c.budgets.keyed.get(0);
    assertThat(spec.scope).isEmpty();
    assertThat(spec.period).isEqualTo(BudgetPeriod.DAY);
    assertThat(spec.limit).isEqualByComparingTo("5");
  }

  @Test
  void scopedKeys_takeTheFirstDotAsTheEndOfTheDimension() {
    TollgateConfig c = load("tollgate.budget.tenant.*", "1/day", "tollgate.budget.model.gpt-4.1", "2/month", "tollgate.budget-alerts",
        "50%, 3",
        "tollgate.budget-timezone", "Europe/Berlin");
    assertThat(c.budgets.keyed).extracting(s -> s.scope).containsExactlyInAnyOrder(Map.of("tenant", "*"), Map.of("model", "gpt-4.1"));
    assertThat(c.budgets.keyed.get(0).alerts).containsExactly("50%", "3");
    assertThat(c.budgets.zone).isEqualTo(ZoneId.of("Europe/Berlin"));
    ConfigSource source = ConfigSource.of(Map.of("tollgate.budget.tenant.a", "1", "tollgate.budgets-file", "b.json"), Map.of(), Map.of());
    TollgateConfig.load(source);
    assertThat(TollgateConfig.unknownKeys(source)).isEmpty();
  }

  @Test
  void invalidValues_nameKeyValueAndWhatIsAllowed() {
    assertThatThrownBy(() -> load("tollgate.budget", "5/fortnight")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("tollgate.budget=5/fortnight").hasMessageContaining("hour, day, week or month");
    assertThatThrownBy(() -> load("tollgate.budget.tenant.acme", "-1/day")).hasMessageContaining("tollgate.budget.tenant.acme=-1/day");
    assertThatThrownBy(() -> load("tollgate.budget.tenant", "1")).hasMessageContaining("tollgate.budget.<dimension>.<value>");
    assertThatThrownBy(() -> load("tollgate.budget-timezone", "Mars/Olympus")).hasMessageContaining("a time zone ID");
    assertThatThrownBy(() -> load("tollgate.budget-alerts", "80%,120%")).hasMessageContaining("tollgate.budget-alerts=80%,120%");
  }
}
