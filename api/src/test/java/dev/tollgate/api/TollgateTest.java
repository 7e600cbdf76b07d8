package dev.tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class TollgateTest {

  @Test
  void facade_withoutAgent_isInactiveNoOp() {
    assertThat(Tollgate.isActive()).isFalse();
    assertThat(Tollgate.balance().balanceCredits()).isEqualByComparingTo("0");
    assertThat(Tollgate.balance().buckets()).isEmpty();
    Tollgate.addListener(new TollgateListener() {});
  }

  @Test
  void addListener_null_throws() {
    assertThatThrownBy(() -> Tollgate.addListener(null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void creditsExhausted_isIoException_carryingAmounts() {
    CreditsExhaustedException e =
        new CreditsExhaustedException("blocked", new BigDecimal("0.02"), new BigDecimal("0.01"));
    assertThat(e).isInstanceOf(java.io.IOException.class);
    assertThat(e.required()).isEqualByComparingTo("0.02");
    assertThat(e.available()).isEqualByComparingTo("0.01");
  }
}
