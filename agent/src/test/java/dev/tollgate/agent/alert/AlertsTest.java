package dev.tollgate.agent.alert;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.api.BlockedCall;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@org.junit.jupiter.api.parallel.Isolated("installs the JVM-wide alert sink")
class AlertsTest {
  private final List<AlertEvent> sent = new ArrayList<>();

  @BeforeEach
  void capture() {
    Alerts.install(sent::add);
  }

  @AfterEach
  void reset() {
    Alerts.install(AlertSink.NONE);
  }

  private static BlockedCall blocked() {
    return new BlockedCall("openai", "gpt-4o", "https://api.openai.com/v1/chat/completions", new BigDecimal("0.03"),
        new BigDecimal("0.01"));
  }

  @Test
  void walletBlocked_manyBlocks_alertsTheFirstOnly() {
    for (int i = 0; i < 5; i++) {
      Alerts.walletBlocked(blocked());
    }

    assertThat(sent).hasSize(1);
    assertThat(sent.get(0).type).isEqualTo("budget_blocked");
    assertThat(sent.get(0).event.at("/call/required").decimalValue()).isEqualByComparingTo("0.03");
    assertThat(sent.get(0).event.at("/budget/period").asText()).isEqualTo("lifetime");
  }

  @Test
  void walletBlocked_afterTheWalletRecovered_alertsAgain() {
    Alerts.walletBlocked(blocked());
    Alerts.walletRecovered();
    Alerts.walletBlocked(blocked());

    assertThat(sent).hasSize(2);
  }

  @Test
  void budgetBlocked_eachPeriodAndScope_alertsOnce() {
    Instant day1 = Instant.parse("2026-12-07T00:00:00Z");
    Instant day2 = Instant.parse("2026-12-08T00:00:00Z");
    Alerts.budgetBlocked(Map.of("tenant", "acme"), "day", day1, blocked(), BigDecimal.ONE, day2);
    Alerts.budgetBlocked(Map.of("tenant", "acme"), "day", day1, blocked(), BigDecimal.ONE, day2);
    Alerts.budgetBlocked(Map.of("tenant", "globex"), "day", day1, blocked(), BigDecimal.ONE, day2);
    Alerts.budgetBlocked(Map.of("tenant", "acme"), "day", day2, blocked(), BigDecimal.ONE, day2.plusSeconds(86400));

    assertThat(sent).hasSize(3);
    assertThat(sent.get(0).event.at("/budget/scope/tenant").asText()).isEqualTo("acme");
    assertThat(sent.get(0).event.at("/budget/resets_at").asText()).isEqualTo("2026-12-08T00:00:00Z");
  }

  /** Amounts without stray scale ({@code 0}, not {@code 0.0000}); a remainder below zero is said as such, and posted as the number it is. */
  @Test
  void amounts_withoutTrailingZeros_andAnOverspentBudget_saysNoneLeft() {
    Alerts.budgetThreshold(Map.of("tenant", "acme"), "day", "100%", new BigDecimal("0.002"), new BigDecimal("0.00505"),
        new BigDecimal("-0.00305000"), null);
    Alerts.budgetBlocked(Map.of("tenant", "globex"), "day", Instant.parse("2026-12-07T00:00:00Z"), new BlockedCall("openai", "gpt-4o",
        "https://api.openai.com/v1/chat/completions", new BigDecimal("0.0300"), new BigDecimal("0.0000")), new BigDecimal("1.00"), null);

    assertThat(sent.get(0).text).isEqualTo("Tollgate: budget {tenant=acme} (day) reached 100%: 0.00505 of 0.002 credits spent, "
        + "none left (over by 0.00305)");
    assertThat(new String(sent.get(0).body(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"remaining\":-0.00305,");
    assertThat(sent.get(1).text).isEqualTo("Tollgate: first blocked call for budget {tenant=globex} (day) in the period from "
        + "2026-12-07T00:00:00Z: openai gpt-4o needed up to 0.03 credits, 0 available");
    assertThat(new String(sent.get(1).body(), java.nio.charset.StandardCharsets.UTF_8)).contains("\"limit\":1,")
        .contains("\"remaining\":0,").contains("\"required\":0.03,").contains("\"available\":0}");
  }

  @Test
  void budgetThreshold_carriesTheBudgetAsBudgetsJsonListsIt() {
    Alerts.budgetThreshold(Map.of("tenant", "acme"), "day", "80%", new BigDecimal("5"), new BigDecimal("4.2"), new BigDecimal("0.8"),
        Instant.parse("2026-12-08T00:00:00Z"));

    AlertEvent e = sent.get(0);
    assertThat(e.text)
        .isEqualTo("Tollgate: budget {tenant=acme} (day) reached 80%: 4.2 of 5 credits spent, 0.8 left; resets at 2026-12-08T00:00:00Z");
    assertThat(e.event.at("/budget/limit").decimalValue()).isEqualByComparingTo("5");
    assertThat(e.event.at("/threshold").asText()).isEqualTo("80%");
  }

  @Test
  void sourceDownAndUp_areTwoEvents() {
    Alerts.sourceDown("openrouter", "HTTP 500");
    Alerts.sourceUp("openrouter", new BigDecimal("12.5"));

    assertThat(sent).extracting(e -> e.type).containsExactly("source_down", "source_up");
  }

  @Test
  void noSink_sendsNothingAndCostsNothing() {
    Alerts.install(AlertSink.NONE);
    Alerts.walletBlocked(blocked());
    Alerts.lowBalance(BigDecimal.ONE, "10%");

    assertThat(Alerts.active()).isFalse();
    assertThat(sent).isEmpty();
  }
}
