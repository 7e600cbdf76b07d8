package dev.tollgate.agent.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The pre-flight's long arithmetic must give exactly what the BigDecimal computation gives, or step aside. */
class FixedRateTest {

  @Test
  void nanos_catalogLikeRatesAndTokens_equalsTheBigDecimalResultAndIsAlwaysExact() {
    Random random = new Random(7);
    BigDecimal[] factors = {BigDecimal.ONE, new BigDecimal("100"), new BigDecimal("0.5"), new BigDecimal("1000")};
    for (int i = 0; i < 20_000; i++) {
      // Up to 200 USD per million tokens with up to 4 decimals, 2M tokens in, 200k out.
      BigDecimal a = BigDecimal.valueOf(random.nextInt(2_000_000), 4).stripTrailingZeros();
      BigDecimal b = BigDecimal.valueOf(random.nextInt(2_000_000), 4);
      BigDecimal factor = factors[random.nextInt(factors.length)];
      long x = random.nextInt(2_000_000);
      long y = random.nextInt(200_000);

      long fixed = FixedRate.nanos(FixedRate.of(a), x, FixedRate.of(b), y, FixedRate.of(factor));

      if (fixed != bigDecimal(a, x, b, y, factor)) {
        assertThat(fixed).as("%s x %d + %s x %d, x %s", a, x, b, y, factor).isEqualTo(bigDecimal(a, x, b, y, factor));
      }
    }
  }

  @Test
  void nanos_anyRatesAndTokens_isTheBigDecimalResultOrInexact() {
    Random random = new Random(11);
    for (int i = 0; i < 5_000; i++) {
      BigDecimal a = BigDecimal.valueOf(random.nextLong() >>> random.nextInt(64), random.nextInt(20));
      BigDecimal b = BigDecimal.valueOf(random.nextInt(Integer.MAX_VALUE), random.nextInt(12));
      BigDecimal factor = BigDecimal.valueOf(random.nextInt(Integer.MAX_VALUE), random.nextInt(10));
      long x = random.nextLong() >>> random.nextInt(64);
      long y = random.nextInt(Integer.MAX_VALUE);

      long fixed = FixedRate.nanos(FixedRate.of(a), x, FixedRate.of(b), y, FixedRate.of(factor));

      if (fixed != FixedRate.INEXACT && fixed != bigDecimal(a, x, b, y, factor)) {
        assertThat(fixed).as("%s x %d + %s x %d, x %s", a, x, b, y, factor).isEqualTo(bigDecimal(a, x, b, y, factor));
      }
    }
  }

  @Test
  void nanos_halfwayBetweenTwoNanos_roundsToTheEvenOne() {
    FixedRate halfNanoPerToken = FixedRate.of(new BigDecimal("0.0005")); // USD per million tokens
    FixedRate zero = FixedRate.of(BigDecimal.ZERO);

    assertThat(FixedRate.nanos(halfNanoPerToken, 1, zero, 0, FixedRate.of(BigDecimal.ONE))).isEqualTo(0);
    assertThat(FixedRate.nanos(halfNanoPerToken, 3, zero, 0, FixedRate.of(BigDecimal.ONE))).isEqualTo(2);
    assertThat(FixedRate.nanos(halfNanoPerToken, 5, zero, 0, FixedRate.of(BigDecimal.ONE))).isEqualTo(2);
  }

  @Test
  void nanos_beyondALong_isInexact() {
    FixedRate price = FixedRate.of(new BigDecimal("75.00"));

    assertThat(FixedRate.nanos(price, Long.MAX_VALUE / 2, price, 1, FixedRate.of(BigDecimal.ONE))).isEqualTo(FixedRate.INEXACT);
    assertThat(FixedRate.of(new BigDecimal("1e-30"))).isNull();
    assertThat(FixedRate.of(new BigDecimal("-1"))).isNull();
  }

  @Test
  void quote_catalogModels_reserveWhatBigDecimalReserves() {
    PriceCatalog catalog = PriceCatalog.load(null);
    Quoter quoter = new Quoter(catalog, new BigDecimal("3.5"));
    for (String model : new String[] {"gpt-4o-mini", "gpt-4o", "claude-sonnet-4-20250514", "gemini-2.5-pro", "o4-mini", "llama-unknown"}) {
      ModelPrice p = catalog.find(model) != null ? catalog.find(model) : catalog.fallback();
      for (long input : new long[] {0, 1, 999, 200_001, 3_000_000}) {
        assertThat(quoter.quote(model, input, 777).worstCaseNanos).as(model + " " + input)
            .isEqualTo(quoter.toCredits(p.worstCaseUsd(input, 777)));
      }
    }
  }

  /** A settled call's cost on longs, as the BigDecimal computation gives it, for every tier and kind of token. */
  @Test
  void costNanos_catalogModelsAndRandomUsage_isWhatBigDecimalCharges() {
    PriceCatalog catalog = PriceCatalog.load(null);
    Random random = new Random(13);
    for (BigDecimal creditsPerUsd : new BigDecimal[] {BigDecimal.ONE, new BigDecimal("3.5"), new BigDecimal("1000")}) {
      Quoter quoter = new Quoter(catalog, creditsPerUsd);
      for (String model : new String[] {"gpt-4o-mini", "gpt-4o", "claude-sonnet-4-20250514", "gemini-2.5-pro", "o4-mini", "gpt-5"}) {
        ModelPrice p = catalog.find(model) != null ? catalog.find(model) : catalog.fallback();
        for (int i = 0; i < 2_000; i++) {
          long input = random.nextInt(3) == 0 ? random.nextInt(400_000) : random.nextInt(5_000);
          long cacheRead = random.nextBoolean() ? 0 : random.nextInt((int) input + 1);
          long cacheWrite = random.nextBoolean() ? 0 : random.nextInt((int) (input - cacheRead) + 1);
          long output = random.nextInt(70_000);
          long cacheWrite1h = random.nextBoolean() ? 0 : random.nextInt((int) cacheWrite + 1);
          dev.tollgate.agent.usage.Usage usage = new dev.tollgate.agent.usage.Usage(input, output, cacheRead, cacheWrite, cacheWrite1h, 0,
              null);

          assertThat(p.costNanos(usage, FixedRate.of(creditsPerUsd))).as("%s %s", model, usage).isNotEqualTo(FixedRate.INEXACT);
          assertThat(quoter.costNanos(p, usage)).as("%s %s", model, usage).isEqualTo(quoter.toCredits(p.costUsd(usage)));
        }
      }
    }
  }

  private static long bigDecimal(BigDecimal a, long x, BigDecimal b, long y, BigDecimal factor) {
    BigDecimal usd = a.multiply(BigDecimal.valueOf(x)).add(b.multiply(BigDecimal.valueOf(y))).movePointLeft(6);
    try {
      return Money.toNanos(usd.multiply(factor));
    } catch (ArithmeticException e) {
      return Long.MAX_VALUE;
    }
  }

  @Test
  void aRateTooLargeForALong_isLeftToBigDecimal_withoutExpandingItsExponent() {
    assertThat(FixedRate.of(new BigDecimal("1E+999999999"))).isNull();
    // precision − scale is 1 + 2147483647: in int arithmetic it wrapped negative and setScale(0) threw.
    assertThat(FixedRate.of(new BigDecimal("1E+2147483647"))).isNull();
    assertThat(FixedRate.of(new BigDecimal("1E+19"))).isNull();
    assertThat(FixedRate.of(new BigDecimal("1E+17"))).isNotNull();
  }
}
