package dev.tollgate.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {

  @ParameterizedTest
  @CsvSource({
      "1, 1000000000",
      "0.000000001, 1",
      "0.0000000015, 2",
      "0.0000000025, 2",
      "0.0000000005, 0",
      "0.00000000051, 1",
      "-0.0000000015, -2",
      "0.0025707, 2570700",
      "1E-7, 100",
      "0, 0"})
  void toNanos_roundsHalfEvenToNanoCredits(String credits, long nanos) {
    assertThat(Money.toNanos(new BigDecimal(credits))).isEqualTo(nanos);
  }

  @ParameterizedTest
  @CsvSource({
      "0.0000, 0 left",
      "0.50, 0.5 left",
      "100, 100 left",
      "-0.00305000, none left (over by 0.00305)"})
  void left_plainWithoutTrailingZeros_andBelowZeroIsNone(String credits, String said) {
    assertThat(Money.left(new BigDecimal(credits), "left")).isEqualTo(said);
  }

  @Test
  void toNanos_beyondLongRange_throws() {
    assertThatThrownBy(() -> Money.toNanos(new BigDecimal("10000000000"))).isInstanceOf(ArithmeticException.class);
  }

  // Regression (found by UsageTapFuzzTest): a huge exponent used to be expanded digit by digit, taking
  // minutes of CPU on the application's thread for a response that said "cost":1e999999999.
  @ParameterizedTest
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a timing assertion
  @CsvSource({"1e9999999", "1e999999999", "-1e999999999", "1E+2147483647", "123456789012345678901"})
  void toNanos_hugeExponent_failsAtOnceInsteadOfExpandingTheDigits(String credits) {
    // Told from the digit count: the old code threw too, but only after expanding the digits.
    assertThatThrownBy(() -> Money.toNanos(new BigDecimal(credits))).isInstanceOf(ArithmeticException.class)
        .hasMessageStartingWith("beyond the range of nano-credits");
  }

  @ParameterizedTest
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  @CsvSource({"1e-9999999", "1e-999999999", "-1e-999999999", "1E-2147483647", "9e-11"})
  void toNanos_tinyExponent_isZeroWithoutExpandingTheDigits(String credits) {
    assertThat(Money.toNanos(new BigDecimal(credits))).isZero();
  }

  @ParameterizedTest
  @CsvSource({
      "0, 0",
      "1, 0.000000001",
      "100, 0.0000001",
      "1500000000, 1.5",
      "-1500000000, -1.5",
      "1000000000000, 1000",
      "10000000000000000, 10000000",
      "9223372036854775807, 9223372036.854775807"})
  void format_isPlainDecimalWithoutTrailingZerosOrExponent(long nanos, String text) {
    assertThat(Money.format(nanos)).isEqualTo(text).doesNotContain("E");
  }

  @Test
  void fromNanos_wholeCredits_haveScaleZeroNotNegative() {
    BigDecimal thousand = Money.fromNanos(1_000_000_000_000L);

    assertThat(thousand.scale()).isZero();
    assertThat(thousand.toString()).isEqualTo("1000");
  }

  @Test
  void fromNanos_toNanos_roundTrips() {
    long[] samples = {0, 1, 7, 999_999_999, 1_000_000_000, 123_456_789_012L, -42, Long.MAX_VALUE, Long.MIN_VALUE};
    for (long nanos : samples) {
      assertThat(Money.toNanos(Money.fromNanos(nanos))).isEqualTo(nanos);
    }
  }
}
