package dev.tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BudgetStatusTest {
  /** A budget spent to the last credit has 0 left, not 0.0000 (the scale of the subtraction). */
  @Test
  void remaining_hasNoTrailingZeros() {
    BudgetStatus spentOut = new BudgetStatus(Map.of(), "day", new BigDecimal("0.0025"), new BigDecimal("0.0024"), new BigDecimal("0.0001"),
        null);
    BudgetStatus whole = new BudgetStatus(Map.of(), "day", new BigDecimal("100"), new BigDecimal("0.50"), BigDecimal.ZERO, null);

    assertThat(spentOut.remaining().toPlainString()).isEqualTo("0");
    assertThat(whole.remaining().toPlainString()).isEqualTo("99.5");
  }
}
