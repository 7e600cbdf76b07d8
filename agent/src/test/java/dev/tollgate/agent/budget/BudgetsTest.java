package dev.tollgate.agent.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.BudgetStatus;
import dev.tollgate.api.UsageRecord;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Matching a call to budgets, reserving on all of them at once, and a period's spend from the journal. */
class BudgetsTest {
  private static final long CREDIT = 1_000_000_000L;
  private static final Instant NOW = Instant.parse("2026-12-07T10:00:00Z");
  private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
  private final List<String> alerts = new CopyOnWriteArrayList<>();

  private Budgets budgets(BudgetSpec... specs) {
    return new Budgets(List.of(specs), ZoneOffset.UTC, clock, PeriodSpendSource.NONE, (s, t) -> alerts.add(s.scope() + " " + t));
  }

  private static BudgetSpec spec(Map<String, String> scope, String limit) {
    return BudgetSpec.of(scope, limit, List.of("80%", "100%"), "test");
  }

  private static Dimensions tenant(String tenant) {
    return new Dimensions(Map.of("tenant", tenant), "gpt-4o-mini", "openai", "chat");
  }

  @Test
  void reserve_onAScopeAFullTableHasNoRoomFor_goesAheadUnbudgeted_whileHeldScopesKeepTheirBudgets() {
    Budgets b = new Budgets(List.of(spec(Map.of("tenant", "*"), "1/day")), ZoneOffset.UTC, clock, PeriodSpendSource.NONE,
        (s, t) -> {}, 1024);
    assertThat(b.reserve(tenant("acme"), CREDIT, true).refused()).isFalse();
    int tenants = 1;
    BudgetHold hold;
    do {
      hold = b.reserve(tenant("t" + tenants++), 1, true);
    } while (hold != BudgetHold.NONE && tenants < 5000);

    assertThat(hold).as("the table filled before 5,000 tenants").isSameAs(BudgetHold.NONE); // not refused: unbudgeted
    assertThat(b.reserve(tenant("acme"), 1, true).refused()).isTrue(); // acme's spent day still holds it
    assertThat(b.reserve(tenant("t1"), CREDIT - 1, true).refused()).isFalse();
  }

  @Test
  void reserve_exactValue_overridesWildcard() {
    Budgets b = budgets(spec(Map.of("tenant", "*"), "1/day"), spec(Map.of("tenant", "acme"), "5/day"));
    assertThat(b.reserve(tenant("acme"), 3 * CREDIT, true).refused()).isFalse(); // 5 for acme, not 1
    assertThat(b.reserve(tenant("globex"), 3 * CREDIT, true).refusedBy().scope()).isEqualTo(Map.of("tenant", "globex"));
  }

  @Test
  void reserve_wildcard_givesEachValueItsOwnBudget() {
    Budgets b = budgets(spec(Map.of("tenant", "*"), "1/day"));
    assertThat(b.reserve(tenant("a"), CREDIT, true).refused()).isFalse();
    assertThat(b.reserve(tenant("b"), CREDIT, true).refused()).isFalse();
    assertThat(b.reserve(tenant("a"), 1, true).refused()).isTrue();
  }

  @Test
  void reserve_callWithoutTheDimension_matchesNoScopedBudget() {
    Budgets b = budgets(spec(Map.of("tenant", "*"), "0/day"));
    assertThat(b.reserve(new Dimensions(Map.of(), "gpt-4o-mini", "openai", "chat"), CREDIT, true)).isSameAs(BudgetHold.NONE);
  }

  @Test
  void reserve_builtInDimensionsAndCombinedScopes_match() {
    Budgets b = budgets(spec(Map.of("model", "gpt-4o-mini"), "1/day"), spec(Map.of("provider", "anthropic"), "1/day"),
        spec(Map.of("tenant", "*", "feature", "chat"), "2/day"));
    Dimensions chat = new Dimensions(Map.of("tenant", "acme", "feature", "chat"), "gpt-4o-mini", "openai", "chat");
    BudgetHold hold = b.reserve(chat, CREDIT, true);
    assertThat(hold.tallies).hasSize(2); // the model's and the tenant×feature one; not anthropic's
    assertThat(b.statuses()).extracting(BudgetStatus::scope).contains(Map.of("feature", "chat", "tenant", "acme"),
        Map.of("model", "gpt-4o-mini"));
  }

  @Test
  void reserve_whenOneBudgetRefuses_releasesWhatTheOthersTook_andNamesIt() {
    Budgets b = budgets(spec(Map.of(), "10/day"), spec(Map.of("tenant", "*"), "10/day"), spec(Map.of("model", "gpt-4o-mini"), "2/day"));
    BudgetHold refused = b.reserve(tenant("acme"), 3 * CREDIT, true);
    assertThat(refused.refused()).isTrue();
    BudgetStatus by = refused.refusedBy();
    assertThat(by.scope()).isEqualTo(Map.of("model", "gpt-4o-mini"));
    assertThat(by.period()).isEqualTo("day");
    assertThat(by.remaining()).isEqualByComparingTo("2");
    assertThat(by.resetsAt()).isEqualTo("2026-12-08T00:00:00Z");
    // nothing stays held on the wallet and tenant budgets
    assertThat(b.statuses()).allSatisfy(s -> assertThat(s.reserved()).isEqualByComparingTo(BigDecimal.ZERO));
  }

  @Test
  void settle_replacesTheReservationWithTheCost_onEveryBudget_andAlertsOncePerThreshold() {
    Budgets b = budgets(spec(Map.of(), "10/day"), spec(Map.of("tenant", "*"), "1/day"));
    BudgetHold hold = b.reserve(tenant("acme"), CREDIT / 2, true);
    b.settle(hold, CREDIT * 85 / 100);
    assertThat(b.statuses()).extracting(s -> s.scope() + " " + s.spent().toPlainString() + " " + s.reserved().toPlainString())
        .containsExactly("{} 0.85 0", "{tenant=acme} 0.85 0");
    assertThat(alerts).containsExactly("{tenant=acme} 80%");
    b.settle(b.reserve(tenant("acme"), 0, true), 0);
    assertThat(alerts).containsExactly("{tenant=acme} 80%"); // once per threshold and period
  }

  @Test
  void reserve_withoutMustFit_neverRefuses_butNamesTheBudgetItExceeds() {
    BudgetSpec tenants = spec(Map.of("tenant", "*"), "0/day");
    Budgets b = budgets(spec(Map.of(), "100/day"), tenants);
    BudgetHold hold = b.reserve(tenant("a"), CREDIT, false);
    assertThat(hold.refused()).isFalse();
    assertThat(hold.exceeded()).isSameAs(tenants);
  }

  @Test
  void reserve_withoutMustFit_thatFits_exceedsNothing() {
    Budgets b = budgets(spec(Map.of("tenant", "*"), "5/day"));
    assertThat(b.reserve(tenant("a"), CREDIT, false).exceeded()).isNull();
  }

  @Test
  void periodSpend_fromTheJournal_countsThisPeriodOnly() {
    List<BudgetSpec> specs = List.of(spec(Map.of("tenant", "*"), "1/day"), spec(Map.of("tenant", "*"), "3/month"));
    JournalPeriodSpend spend = Budgets.journalSpend(specs, ZoneOffset.UTC, NOW);
    spend.accept(record("acme", "2026-12-06T23:59:59Z", "0.7")); // yesterday: this month only
    spend.accept(record("acme", "2026-12-07T00:00:00Z", "0.4")); // today
    spend.accept(record("acme", "2026-11-30T12:00:00Z", "2")); // last month: nothing
    spend.accept(record("globex", "2026-12-07T09:00:00Z", "0.1"));
    Budgets b = new Budgets(specs, ZoneOffset.UTC, clock, spend, (s, t) -> {});
    assertThat(b.reserve(tenant("acme"), CREDIT * 6 / 10, true).refused()).isFalse(); // 0.4 + 0.6 = 1
    BudgetHold refused = b.reserve(tenant("acme"), 1, true);
    assertThat(refused.refusedBy().period()).isEqualTo("day");
    assertThat(b.statuses()).extracting(s -> s.scope().get("tenant") + " " + s.period() + " " + s.spent().toPlainString())
        .contains("acme day 0.4", "acme month 1.1");
  }

  @Test
  void periodSpend_ofADatedModelSnapshot_countsTowardTheUndatedModelsBudget() {
    List<BudgetSpec> specs = List.of(spec(Map.of("model", "gpt-4o-mini"), "1/day"));
    JournalPeriodSpend spend = Budgets.journalSpend(specs, ZoneOffset.UTC, NOW);
    UsageRecord dated = record("acme", "2026-12-07T01:00:00Z", "0.9").toBuilder().model("gpt-4o-mini-2024-07-18").build();
    spend.accept(dated);
    spend.accept(dated.toBuilder().model("gpt-4o-mini-high").build()); // another model, not a snapshot
    Budgets b = new Budgets(specs, ZoneOffset.UTC, clock, spend, (s, t) -> {});
    assertThat(b.statuses()).extracting(s -> s.spent().toPlainString()).containsExactly("0.9");
  }

  @Test
  void periodSpend_ofADatedModelSnapshot_countsTowardTheWildcardTallyALiveCallOfTheUndatedModelUses() {
    // A live call reserves as the request names the model (gpt-4o-mini); its record, replayed after a
    // restart, names the snapshot the response gave. Both must be the same tenant of a model.* budget.
    List<BudgetSpec> specs = List.of(spec(Map.of("model", "*"), "1/day"));
    JournalPeriodSpend spend = Budgets.journalSpend(specs, ZoneOffset.UTC, NOW);
    spend.accept(record("acme", "2026-12-07T01:00:00Z", "0.9").toBuilder().model("gpt-4o-mini-2024-07-18").build());
    Budgets b = new Budgets(specs, ZoneOffset.UTC, clock, spend, (s, t) -> {});
    assertThat(b.reserve(tenant("acme"), CREDIT * 2 / 10, true).refused()).isTrue(); // 0.9 + 0.2 > 1
    assertThat(b.statuses()).extracting(s -> s.scope().get("model") + " " + s.spent().toPlainString()).containsExactly("gpt-4o-mini 0.9");
  }

  @Test
  void settle_afterThePeriodEnded_isChargedToThePeriodItWasReservedIn() {
    MutableClock time = new MutableClock(Instant.parse("2026-12-07T23:59:59Z"));
    Budgets b = new Budgets(List.of(spec(Map.of("tenant", "*"), "1/day")), ZoneOffset.UTC, time, PeriodSpendSource.NONE, (s, t) -> {});
    BudgetHold hold = b.reserve(tenant("acme"), CREDIT, true);
    time.now = Instant.parse("2026-12-08T00:00:05Z");
    b.settle(hold, CREDIT);
    assertThat(b.reserve(tenant("acme"), CREDIT, true).refused()).isFalse(); // the new day is untouched
    b.sweep();
    assertThat(b.size()).isEqualTo(1); // the ended day's state is gone, the new day's remains
  }

  @Test
  void statuses_listExactScopesBeforeAnyCall() {
    Budgets b = budgets(spec(Map.of("tenant", "acme"), "5/day"), spec(Map.of("tenant", "*"), "1/day"));
    assertThat(b.statuses()).extracting(s -> s.scope() + " " + s.remaining().toPlainString()).containsExactly("{tenant=acme} 5");
  }

  @Test
  void replace_keepsSpendAlreadyCounted_andAppliesTheNewLimits() {
    Budgets b = budgets(spec(Map.of("tenant", "*"), "1/day"));
    b.settle(b.reserve(tenant("acme"), CREDIT, true), CREDIT);
    b.replace(List.of(spec(Map.of("tenant", "*"), "3/day")), PeriodSpendSource.NONE);
    assertThat(b.reserve(tenant("acme"), 2 * CREDIT, true).refused()).isFalse();
    assertThat(b.reserve(tenant("acme"), 1, true).refused()).isTrue();
  }

  /** 64 threads over 8 tenants: every tenant's budget is used up and none overspent by more than one reservation. */
  @Test
  void concurrentCalls_neverOverspendATenantByMoreThanOneReservation() throws Exception {
    Budgets b = budgets(spec(Map.of("tenant", "*"), "1/day"));
    long reservation = CREDIT / 100;
    long cost = reservation; // every call spends its whole worst case
    AtomicLong[] spent = new AtomicLong[8];
    for (int i = 0; i < spent.length; i++) {
      spent[i] = new AtomicLong();
    }
    ExecutorService pool = Executors.newFixedThreadPool(64);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 64; t++) {
      int tenantNo = t % 8;
      futures.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < 500; i++) {
          BudgetHold h = b.reserve(tenant("t" + tenantNo), reservation, true);
          if (!h.refused()) {
            spent[tenantNo].addAndGet(cost);
            b.settle(h, cost);
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    for (AtomicLong s : spent) {
      assertThat(s.get()).isGreaterThan(CREDIT - reservation).isLessThanOrEqualTo(CREDIT + reservation);
    }
  }

  /**
   * The state of every scope lives in the off-heap table, which moves every slot when it grows: a
   * hold taken before keeps its reservation, and its settle lands on its own scope.
   */
  @Test
  void aHoldTakenBeforeTheStateMoved_settlesOnItsOwnScope_andTheScopesLimitStillHolds() {
    Budgets b = budgets(spec(Map.of("tenant", "*"), "1/day"));
    BudgetHold acme = b.reserve(tenant("acme"), CREDIT / 2, true);
    for (int i = 0; i < 20_000; i++) { // grows the table from 1,024 slots to 32,768
      b.settle(b.reserve(tenant("t" + i), CREDIT / 10, true), CREDIT / 10);
    }
    assertThat(b.statuses()).filteredOn(s -> s.scope().get("tenant").equals("acme"))
        .extracting(s -> s.spent().toPlainString() + " " + s.reserved().toPlainString()).containsExactly("0 0.5");
    b.settle(acme, CREDIT * 3 / 10);
    assertThat(b.statuses()).hasSize(20_001).filteredOn(s -> s.scope().get("tenant").equals("acme"))
        .extracting(s -> s.spent().toPlainString() + " " + s.reserved().toPlainString()).containsExactly("0.3 0");
    assertThat(b.reserve(tenant("acme"), CREDIT * 7 / 10 + 1, true).refused()).isTrue();
    assertThat(b.reserve(tenant("t19999"), CREDIT * 9 / 10, true).refused()).isFalse();
    assertThat(b.reserve(tenant("t19999"), 1, true).refused()).isTrue();
    assertThat(b.size()).isEqualTo(20_001);
  }

  /** 64 threads over 3,000 tenants, the table growing under them: no tenant overspent by more than one reservation. */
  @Test
  void concurrentCalls_whileTheStateGrows_neverOverspendATenantByMoreThanOneReservation() throws Exception {
    Budgets b = budgets(spec(Map.of("tenant", "*"), "1/day"), spec(Map.of(), "1000000/day"));
    int tenants = 3000;
    long reservation = CREDIT / 20;
    AtomicLong[] spent = new AtomicLong[tenants];
    for (int i = 0; i < tenants; i++) {
      spent[i] = new AtomicLong();
    }
    ExecutorService pool = Executors.newFixedThreadPool(64);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    for (int t = 0; t < 64; t++) {
      int offset = t * 47;
      futures.add(pool.submit(() -> {
        go.await();
        for (int i = 0; i < 2 * tenants; i++) {
          int tenantNo = (offset + i) % tenants;
          BudgetHold h = b.reserve(tenant("t" + tenantNo), reservation, true);
          if (!h.refused()) {
            spent[tenantNo].addAndGet(reservation);
            b.settle(h, reservation);
          }
        }
        return null;
      }));
    }
    go.countDown();
    for (Future<?> f : futures) {
      f.get();
    }
    pool.shutdown();
    long total = 0;
    for (AtomicLong s : spent) {
      assertThat(s.get()).isGreaterThan(CREDIT - reservation).isLessThanOrEqualTo(CREDIT + reservation);
      total += s.get();
    }
    assertThat(b.statuses()).hasSize(tenants + 1).filteredOn(s -> s.scope().isEmpty())
        .extracting(s -> Money.toNanos(s.spent()) + " " + s.reserved().toPlainString()).containsExactly(total + " 0");
  }

  @Test
  void aSweepAtThePeriodBoundary_keepsTheEndedScopeACallStillHolds_untilItSettlesThere() {
    MutableClock time = new MutableClock(Instant.parse("2026-12-07T23:59:59Z"));
    Budgets b = new Budgets(List.of(spec(Map.of("tenant", "*"), "1/day")), ZoneOffset.UTC, time, PeriodSpendSource.NONE, (s, t) -> {});
    for (int i = 0; i < 2000; i++) {
      b.settle(b.reserve(tenant("t" + i), CREDIT / 2, true), CREDIT / 2);
    }
    BudgetHold hold = b.reserve(tenant("t0"), CREDIT / 2, true);
    time.now = Instant.parse("2026-12-08T00:00:05Z");
    assertThat(b.sweep()).isEqualTo(1); // the 1,999 idle scopes of the ended day are gone; t0's call holds its own
    assertThat(b.reserve(tenant("t0"), CREDIT, true).refused()).isFalse(); // the new day is untouched
    b.settle(hold, CREDIT / 2);
    assertThat(b.statuses()).extracting(s -> s.scope().get("tenant") + " " + s.spent().toPlainString() + " " + s.reserved().toPlainString())
        .containsExactly("t0 0 1"); // the settle was charged to the ended day, not to today
    assertThat(b.sweep()).isEqualTo(1); // now the ended day's t0 goes too
  }

  @Test
  void replace_withTheJournalsSpend_keepsTheScopesCountedHere_andTakesTheJournalsForTheOthers() {
    List<BudgetSpec> specs = List.of(spec(Map.of("tenant", "*"), "5/day"));
    Budgets b = budgets(specs.get(0));
    b.settle(b.reserve(tenant("acme"), CREDIT, true), CREDIT); // counted here: the journal holds it too
    JournalPeriodSpend journal = Budgets.journalSpend(specs, ZoneOffset.UTC, NOW, null);
    journal.accept(record("acme", "2026-12-07T09:00:00Z", "1"));
    journal.accept(record("globex", "2026-12-07T09:00:00Z", "2"));
    b.replace(specs, journal);
    assertThat(b.statuses()).extracting(s -> s.scope().get("tenant") + " " + s.spent().toPlainString()).containsExactly("acme 1",
        "globex 2");
  }

  private static UsageRecord record(String tenant, String time, String cost) {
    return UsageRecord.builder().id("r").time(Instant.parse(time)).provider("openai").model("gpt-4o-mini").operation("chat")
        .endpoint("https://api.openai.com/v1/chat/completions").status(UsageRecord.Status.OK).cost(new BigDecimal(cost))
        .attributes(Map.of("tenant", tenant)).build();
  }

  private static final class MutableClock extends Clock {
    volatile Instant now;

    MutableClock(Instant now) {
      this.now = now;
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
