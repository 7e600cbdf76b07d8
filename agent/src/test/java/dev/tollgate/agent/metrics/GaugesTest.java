package dev.tollgate.agent.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.wallet.Wallet;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GaugesTest {
  /** {@code tollgate.budget} plus a budget per scope: both are series, the wallet's as {@code default}. */
  @Test
  void budgetsPerScope_areShownBeside_theWalletsOwnBudget() {
    Gauges gauges = new Gauges(new Wallet(0, null), true);
    gauges.budgets(out -> out.budget("{tenant=acme} per day", 500_000_000L));

    Map<String, Long> shown = new LinkedHashMap<>();
    gauges.forEachBudget(shown::put);

    assertThat(shown).containsOnlyKeys("default", "{tenant=acme} per day").containsEntry("{tenant=acme} per day", 500_000_000L);
  }

  @Test
  void noWalletBudget_onlyTheScopedOnes() {
    Gauges gauges = new Gauges(new Wallet(0, null), false);
    gauges.budgets(out -> out.budget("{tenant=acme} per day", 1));

    Map<String, Long> shown = new LinkedHashMap<>();
    gauges.forEachBudget(shown::put);

    assertThat(shown).containsOnlyKeys("{tenant=acme} per day");
  }
}
