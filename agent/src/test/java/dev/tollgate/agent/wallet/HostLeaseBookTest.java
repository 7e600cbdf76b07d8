package dev.tollgate.agent.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostLeaseBookTest {
  private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

  private static HostLeaseBook budget(long nanos) {
    return new HostLeaseBook(new LocalLedger(List.of(Grant.budget(nanos))));
  }

  @Test
  void lease_topsUpToTarget_fromTheUnleasedBalance() {
    HostLeaseBook book = budget(1_000);

    assertThat(book.lease("a", 0, 0, 100, 0, NOW)).isEqualTo(100);
    assertThat(book.lease("b", 0, 0, 100, 0, NOW)).isEqualTo(100);
    assertThat(book.unleased(NOW)).isEqualTo(800);
  }

  @Test
  void lease_neverLendsMoreThanTheUnleasedBalance() {
    HostLeaseBook book = budget(150);
    book.lease("a", 0, 0, 100, 0, NOW);

    assertThat(book.lease("b", 0, 0, 100, 0, NOW)).isEqualTo(50);
    assertThat(book.unleased(NOW)).isZero();
    assertThat(book.lease("c", 0, 0, 100, 0, NOW)).isZero();
  }

  @Test
  void report_spendWithinLease_comesOutOfTheLease_notTheUnleasedBalance() {
    HostLeaseBook book = budget(1_000);
    book.lease("a", 0, 0, 100, 0, NOW);

    long held = book.lease("a", 0, 60, 0, 0, NOW); // a spent 60 of its lease; target 0: no top-up

    assertThat(held).isEqualTo(40);
    assertThat(book.unleased(NOW)).isEqualTo(900);
    assertThat(book.ledger.balanceNanos(NOW)).isEqualTo(940);
  }

  @Test
  void report_spendBeyondLease_isTakenFromTheUnleasedBalance_neverLost() {
    HostLeaseBook book = budget(1_000);
    book.lease("a", 0, 0, 100, 0, NOW);

    book.report("a", 0, 130, NOW);

    assertThat(book.held("a")).isZero();
    assertThat(book.unleased(NOW)).isEqualTo(870);
  }

  @Test
  void report_totalsNotAboveLastReport_drawNothing() {
    HostLeaseBook book = budget(1_000);
    book.lease("a", 0, 50, 100, 0, NOW);
    book.report("a", 0, 50, NOW);
    book.report("a", 0, 40, NOW);

    assertThat(book.ledger.balanceNanos(NOW)).isEqualTo(950);
  }

  @Test
  void lease_firstReport_countsOnlySpendSinceTheAckedTotal() {
    HostLeaseBook book = budget(1_000);

    book.lease("a", 700, 750, 100, 0, NOW); // 700 recovered from the journal (already in the buckets), 50 new

    assertThat(book.ledger.balanceNanos(NOW)).isEqualTo(950);
  }

  @Test
  void lease_extra_leasesWhatTheCallLacksBeyondWhatIsHeld() {
    HostLeaseBook book = budget(1_000);
    book.lease("a", 0, 0, 100, 0, NOW);

    assertThat(book.lease("a", 0, 0, 100, 250, NOW)).isEqualTo(350);
  }

  @Test
  void reclaim_deadHolder_returnsItsLeaseLessWhatItPublishedAsSpent() {
    HostLeaseBook book = budget(1_000);
    book.lease("a", 0, 0, 100, 0, NOW);
    book.lease("b", 0, 0, 100, 0, NOW);

    book.reclaim("a", 30, NOW);

    assertThat(book.holders()).containsExactly("b");
    assertThat(book.ledger.balanceNanos(NOW)).isEqualTo(970);
    assertThat(book.unleased(NOW)).isEqualTo(870);
  }

  @Test
  void reclaim_unknownSpend_returnsTheWholeLease_asRedisDoes() {
    HostLeaseBook book = budget(1_000);
    book.lease("a", 0, 0, 100, 0, NOW);

    book.reclaim("a", -1, NOW);

    assertThat(book.unleased(NOW)).isEqualTo(1_000);
  }

  @Test
  void lease_bucketExpiredUnderTheLeases_givesBackWhatItCan() {
    Grant promo = new Grant("grant-1", "promo", 500, NOW.minusSeconds(60), NOW.plusSeconds(60));
    HostLeaseBook book = new HostLeaseBook(new LocalLedger(List.of(Grant.budget(100), promo)));
    book.lease("a", 0, 0, 400, 0, NOW);

    long held = book.lease("a", 0, 0, 400, 0, NOW.plusSeconds(120)); // the promo's 500 expired: 100 remain

    assertThat(held).isEqualTo(100);
    assertThat(book.unleased(NOW.plusSeconds(120))).isZero();
  }

  @Test
  void decode_encode_roundTripsBucketsOverdraftAndHolders() {
    Grant promo = new Grant("grant-1", "promo", 500, NOW.minusSeconds(60), NOW.plusSeconds(60));
    List<Grant> grants = List.of(Grant.budget(100), promo);
    HostLeaseBook book = new HostLeaseBook(new LocalLedger(grants));
    book.lease("a", 0, 0, 50, 0, NOW);
    book.report("a", 0, 700, NOW); // 100 beyond every bucket: overdraft
    book.lease("b", 0, 0, 0, 0, NOW);

    HostLeaseBook read = HostLeaseBook.decode(book.encode(), grants);

    assertThat(read.encode()).isEqualTo(book.encode());
    assertThat(read.ledger.balanceNanos(NOW)).isEqualTo(-100);
    assertThat(read.holders()).containsExactly("a", "b");
  }

  @Test
  void decode_grantTheStateDoesNotName_countsInFull() {
    HostLeaseBook book = budget(1_000);
    book.report("a", 0, 400, NOW);
    Grant granted = new Grant("grant-2", "paid", 250, NOW, null);

    HostLeaseBook read = HostLeaseBook.decode(book.encode(), List.of(Grant.budget(1_000), granted));

    assertThat(read.ledger.balanceNanos(NOW)).isEqualTo(600 + 250);
  }

  @Test
  void decode_notAStateFile_throws() {
    assertThatThrownBy(() -> HostLeaseBook.decode(List.of("{}"), List.of())).isInstanceOf(IllegalArgumentException.class);
  }
}
