package dev.tollgate.agent.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class LocalLedgerTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  private static Instant day(int d) {
    return T0.plusSeconds(86_400L * d);
  }

  private static Grant grant(String id, String type, long amount, int grantedDay, Integer expiresDay) {
    return new Grant(id, type, amount, day(grantedDay), expiresDay == null ? null : day(expiresDay));
  }

  private static long remaining(LocalLedger l, String id) {
    return l.all().stream().filter(b -> b.grant.id.equals(id)).findFirst().orElseThrow().remainingNanos();
  }

  @Test
  void spend_burnsSoonestExpiringFirst_thenFreeReferralPaid() {
    LocalLedger l = new LocalLedger(List.of(
        grant("paid", "paid", 100, 0, null),
        grant("redeem", "redeem", 100, 0, null),
        grant("promo", "promo", 100, 0, null),
        grant("soon", "paid", 100, 0, 20)));

    l.debit(day(1), 150); // the expiring bucket first, whatever its type, then promo
    assertThat(remaining(l, "soon")).isZero();
    assertThat(remaining(l, "promo")).isEqualTo(50);

    l.debit(day(2), 100); // promo's rest, then redeem before paid
    assertThat(remaining(l, "promo")).isZero();
    assertThat(remaining(l, "redeem")).isEqualTo(50);
    assertThat(remaining(l, "paid")).isEqualTo(100);
    assertThat(l.balanceNanos(day(2))).isEqualTo(150);
  }

  @Test
  void expiredBucket_dropsOutOnTime_withItsLeftoverCountedAsExpired() {
    LocalLedger l = new LocalLedger(List.of(grant("trial", "free", 100, 0, 10), grant("paid", "paid", 100, 0, null)));
    l.debit(day(1), 30);

    assertThat(l.balanceNanos(day(9))).isEqualTo(170);
    assertThat(l.balanceNanos(day(10))).isEqualTo(100); // expires at its instant, not after
    LocalLedger.Bucket trial = l.all().stream().filter(b -> b.grant.id.equals("trial")).findFirst().orElseThrow();
    assertThat(trial.isExpired()).isTrue();
    assertThat(trial.expiredNanos()).isEqualTo(70);

    l.debit(day(11), 50); // only paid is left
    assertThat(remaining(l, "paid")).isEqualTo(50);
  }

  @Test
  void spendBeforeAGrant_cannotDrawOnIt() {
    LocalLedger l = new LocalLedger(List.of(grant("budget", "budget", 100, 0, null), grant("later", "promo", 100, 5, null)));

    l.debit(day(1), 80);
    assertThat(remaining(l, "later")).isEqualTo(100);
    assertThat(remaining(l, "budget")).isEqualTo(20);
    assertThat(l.balanceNanos(day(2))).isEqualTo(20); // the later grant is not live yet
    assertThat(l.balanceNanos(day(5))).isEqualTo(120);
  }

  @Test
  void overspend_goesOnAnOverdraft_soTheBalanceNeverLies() {
    LocalLedger l = new LocalLedger(List.of(grant("budget", "budget", 100, 0, null)));

    l.debit(day(1), 130);

    assertThat(l.balanceNanos(day(1))).isEqualTo(-30);
    assertThat(l.live(day(1))).extracting(b -> b.grant.sourceType).containsExactly("budget", "overdraft");
  }

  @Test
  void grantAddedWhileRunning_isLiveFromItsTime_andAddedOnce() {
    LocalLedger l = new LocalLedger(List.of(grant("budget", "budget", 10, 0, null)));
    Grant topUp = grant("g1", "redeem", 50, 3, null);

    l.add(topUp);
    l.add(topUp);

    assertThat(l.all()).hasSize(2);
    assertThat(l.balanceNanos(day(3))).isEqualTo(60);
  }
}
