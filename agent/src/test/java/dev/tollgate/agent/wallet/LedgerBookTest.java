package dev.tollgate.agent.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.CreditLedgerEntry;
import dev.tollgate.api.CreditLedgerPage;
import dev.tollgate.api.LedgerQuery;
import dev.tollgate.api.UsageRecord;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LedgerBookTest {
  private static final Instant T0 = Instant.parse("2026-11-01T00:00:00Z");

  private static Instant hour(int h) {
    return T0.plusSeconds(3600L * h);
  }

  private static UsageRecord call(String id, int hour, String cost) {
    return UsageRecord.builder().id(id).time(hour(hour)).provider("openai").model("gpt-4o-mini").operation("chat.completions")
        .endpoint("https://api.openai.com/v1/chat/completions").status(UsageRecord.Status.OK).cost(new BigDecimal(cost)).build();
  }

  private static LedgerBook book() {
    return book(hour(40));
  }

  private static LedgerBook book(Instant now) {
    List<UsageRecord> calls = new ArrayList<>();
    for (int i = 1; i <= 25; i++) {
      calls.add(call("c" + i, i, "0.01"));
    }
    calls.add(call("blocked", 26, "0")); // costs nothing: no ledger entry
    List<Grant> grants = List.of(Grant.budget(new BigDecimal("1").movePointRight(9).longValueExact()),
        new Grant("g1", "promo", 500_000_000L, hour(0), hour(30)));
    return LedgerBook.replay(grants, calls, hour(0), now);
  }

  @Test
  void entries_areCreditsDebitsAndExpiry_oldestFirst() {
    CreditLedgerPage page = book().page(LedgerQuery.all());

    assertThat(page.total()).isEqualTo(28); // 2 credits, 25 debits, 1 expiry
    assertThat(page.entries().get(0).entryType()).isEqualTo("credit");
    assertThat(page.entries().get(1).entryType()).isEqualTo("credit");
    CreditLedgerEntry last = page.entries().get(27);
    assertThat(last.entryType()).isEqualTo("expire");
    assertThat(last.ledgerId()).isEqualTo("g1:expired");
    // The promo bucket paid for all 25 calls first (0.25), so 0.25 of its 0.5 expired at hour 30.
    assertThat(last.delta()).isEqualByComparingTo("-0.25");
    assertThat(last.createdAt()).isEqualTo(hour(30));
    CreditLedgerEntry debit = page.entries().get(2);
    assertThat(debit.delta()).isEqualByComparingTo("-0.01");
    assertThat(debit.metricType()).isEqualTo("chat.completions");
    assertThat(debit.category()).isEqualTo("openai");
  }

  @Test
  void filters_byTypeAndInclusiveTimeBounds() {
    CreditLedgerPage page = book().page(LedgerQuery.all().entryType("debit").from(hour(5)).to(hour(9)));

    assertThat(page.total()).isEqualTo(5);
    assertThat(page.entries()).extracting(CreditLedgerEntry::ledgerId).containsExactly("c5", "c6", "c7", "c8", "c9");
  }

  @Test
  void pages_walkTheWholeLedger_withTotalAndEchoedLimitOffset() {
    LedgerBook book = book();
    List<String> seen = new ArrayList<>();
    for (int offset = 0;; offset += 10) {
      CreditLedgerPage page = book.page(LedgerQuery.all().page(10, offset));
      assertThat(page.total()).isEqualTo(28);
      assertThat(page.limit()).isEqualTo(10);
      assertThat(page.offset()).isEqualTo(offset);
      if (page.entries().isEmpty()) {
        break;
      }
      page.entries().forEach(e -> seen.add(e.ledgerId()));
    }
    assertThat(seen).hasSize(28).doesNotHaveDuplicates();
  }

  @Test
  void outOfRangeLimitOrOffset_isAClearValidationError() {
    assertThatThrownBy(() -> LedgerQuery.all().page(0, 0)).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("limit must be between 1 and 1000, was 0");
    assertThatThrownBy(() -> LedgerQuery.all().page(1001, 0)).hasMessage("limit must be between 1 and 1000, was 1001");
    assertThatThrownBy(() -> LedgerQuery.all().page(10, -1)).hasMessage("offset must be 0 or more, was -1");
  }

  @Test
  void buckets_showWhatIsLiveInSpendOrder() {
    assertThat(book(hour(29)).buckets(hour(29))).extracting(b -> b.sourceType()).containsExactly("promo", "budget");
    assertThat(book(hour(29)).balanceNanos(hour(29))).isEqualTo(1_250_000_000L); // 1.5 granted − 0.25 spent
    LedgerBook book = book();
    assertThat(book.buckets(hour(40))).singleElement().satisfies(b -> assertThat(b.balance()).isEqualByComparingTo("1"));
    assertThat(book.balanceNanos(hour(40))).isEqualTo(1_000_000_000L);
  }
}
