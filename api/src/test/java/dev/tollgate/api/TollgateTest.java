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
    CreditsExhaustedException e = new CreditsExhaustedException("blocked", new BigDecimal("0.02"), new BigDecimal("0.01"));
    assertThat(e).isInstanceOf(java.io.IOException.class);
    assertThat(e.required()).isEqualByComparingTo("0.02");
    assertThat(e.available()).isEqualByComparingTo("0.01");
  }

  @Test
  void estimate_withoutAgent_isUnpricedAndFree() {
    CreditEstimate e = Tollgate.estimate("gpt-4o-mini", "abcdefgh", 100);

    assertThat(e.priced()).isFalse();
    assertThat(e.cost()).isEqualByComparingTo("0");
    assertThat(e.inputTokens()).isEqualTo(2);
    assertThat(e.maxOutputTokens()).isEqualTo(100);
    assertThat(e.tokenizer()).isEqualTo("chars/4");
    assertThat(Tollgate.estimateRequest(null, "{}").model()).isEqualTo("unknown");
  }

  @Test
  void estimate_nullArguments_throw() {
    assertThatThrownBy(() -> Tollgate.estimate(null, "x", 0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Tollgate.estimate("m", null, 0)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Tollgate.estimateRequest("m", null)).isInstanceOf(NullPointerException.class);
  }

  @Test
  void creditEstimate_missingRequiredField_throws() {
    assertThatThrownBy(() -> CreditEstimate.builder().model("m").build()).isInstanceOf(NullPointerException.class);
  }
}
