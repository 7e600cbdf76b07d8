package dev.tollgate.agent.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.journal.JournalReader;
import dev.tollgate.agent.journal.Reconciliation;
import dev.tollgate.agent.journal.UsageJournal;
import dev.tollgate.agent.wallet.BalanceSnapshot;
import dev.tollgate.agent.wallet.CreditSource;
import dev.tollgate.api.ReconciliationDrift;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A fake source and a hand-moved clock: no sleeps, no timing. */
class ReconcilerTest {
  private static final long CREDIT = 1_000_000_000L;
  private static final Instant T0 = Instant.parse("2026-01-02T03:00:00Z");

  @TempDir Path dataDir;
  private final FakeClock clock = new FakeClock();
  private final FakeSource source = new FakeSource();
  private final List<BalanceSnapshot> corrected = new ArrayList<>();
  private final List<ReconciliationDrift> drifts = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final List<IOException> unreadable = new ArrayList<>();
  private UsageJournal journal;
  private Reconciler reconciler;

  @BeforeEach
  void open() throws IOException {
    journal = UsageJournal.open(dataDir);
    reconciler = new Reconciler(source, corrected::add, unreadable::add, journal::append, new DriftThreshold(new BigDecimal("5"), true),
        drifts::add, clock, warnings::add);
  }

  @AfterEach
  void close() {
    journal.close();
  }

  /** A usage-counter source (like OpenRouter): remote spend is the rise of the counter. */
  private void read(long usageCredits, long localSpentCredits) {
    source.next.add(new BalanceSnapshot(100 * CREDIT - usageCredits * CREDIT, localSpentCredits * CREDIT, List.of(), clock.instant(),
        usageCredits * CREDIT));
  }

  private List<Reconciliation> journaled() throws IOException {
    List<Reconciliation> all = new ArrayList<>();
    JournalReader.read(dataDir, r -> { }, all::add);
    return all;
  }

  @Test
  void reconcile_firstRead_isOnlyTheBaselineAndCorrectsTheBalance() throws IOException {
    read(10, 0);

    assertThat(reconciler.reconcile()).isNull();

    assertThat(corrected).hasSize(1);
    assertThat(journaled()).isEmpty();
  }

  @Test
  void reconcile_noDrift_recordsTheWindowWithoutWarning() throws IOException {
    read(10, 3);
    reconciler.reconcile();
    clock.now = T0.plusSeconds(300);
    read(14, 7);

    Reconciliation r = reconciler.reconcile();

    assertThat(r.remote).isEqualByComparingTo("4");
    assertThat(r.local).isEqualByComparingTo("4");
    assertThat(r.drift).isEqualByComparingTo("0");
    assertThat(r.windowStart).isEqualTo(T0);
    assertThat(r.windowEnd).isEqualTo(T0.plusSeconds(300));
    assertThat(r.source).isEqualTo("fake");
    assertThat(journaled()).singleElement().satisfies(j -> {
      assertThat(j.remote).isEqualByComparingTo("4");
      assertThat(j.drift).isEqualByComparingTo("0");
      assertThat(j.windowEnd).isEqualTo(T0.plusSeconds(300));
    });
    assertThat(warnings).isEmpty();
    assertThat(drifts).isEmpty();
    assertThat(corrected).hasSize(2);
    assertThat(corrected.get(1).balanceNanos).isEqualTo(86 * CREDIT); // the remote truth is what is enforced next
  }

  @Test
  void reconcile_remoteMoreThanLocal_warnsOnceNamingAnotherProcessAndTellsListeners() throws IOException {
    read(10, 0);
    reconciler.reconcile();
    clock.now = T0.plusSeconds(60);
    read(20, 2); // 10 billed, 2 metered: a second client on the same key

    reconciler.reconcile();

    assertThat(drifts).singleElement().satisfies(d -> {
      assertThat(d.remote()).isEqualByComparingTo("10");
      assertThat(d.local()).isEqualByComparingTo("2");
      assertThat(d.drift()).isEqualByComparingTo("8");
      assertThat(d.source()).isEqualTo("fake");
      assertThat(d.windowStart()).isEqualTo(T0);
      assertThat(d.windowEnd()).isEqualTo(T0.plusSeconds(60));
    });
    assertThat(warnings).singleElement().asString()
        .contains("billed more", "remote 10", "local 2", "drift 8", "another process spending on the same key", "unmetered traffic", "5%");
    assertThat(journaled()).singleElement().satisfies(j -> assertThat(j.drift).isEqualByComparingTo("8"));
  }

  @Test
  void reconcile_localMoreThanRemote_warnsNamingThePriceCatalog() {
    read(10, 0);
    reconciler.reconcile();
    read(12, 5);

    reconciler.reconcile();

    assertThat(drifts).singleElement().satisfies(d -> assertThat(d.drift()).isEqualByComparingTo("-3"));
    assertThat(warnings).singleElement().asString().contains("billed less", "price catalog out of date", "did not bill")
        .doesNotContain("credits added");
  }

  @Test
  void reconcile_localMoreThanRemote_onABalanceOnlySource_namesATopUp() {
    source.balanceOnly = true;
    read(10, 0);
    reconciler.reconcile();
    read(12, 5);

    reconciler.reconcile();

    assertThat(warnings).singleElement().asString().contains("billed less", "credits added to the account during the window");
  }

  @Test
  void reconcile_driftWithinThreshold_isRecordedButNotRaised() throws IOException {
    read(0, 0);
    reconciler.reconcile();
    source.next.add(new BalanceSnapshot(0, 96 * CREDIT, List.of(), clock.instant(), 100 * CREDIT)); // 4% of 100

    reconciler.reconcile();

    assertThat(journaled()).singleElement().satisfies(j -> assertThat(j.drift).isEqualByComparingTo("4"));
    assertThat(drifts).isEmpty();
    assertThat(warnings).isEmpty();
  }

  @Test
  void reconcile_sourceDown_skipsWithNoRecord_leavesTheLogLineToTheSourcesHealth_thenCoversTheGap() throws IOException {
    read(10, 0);
    reconciler.reconcile();
    source.next.add(new IOException("fake credit API answered HTTP 500"));
    source.next.add(new IOException("fake credit API answered HTTP 500"));

    assertThat(reconciler.reconcile()).isNull();
    assertThat(reconciler.reconcile()).isNull();

    // The balance cache's health logs the outage once; a second line from here would repeat it.
    assertThat(warnings).isEmpty();
    assertThat(unreadable).extracting(Throwable::getMessage).containsExactly("fake credit API answered HTTP 500", "fake credit API answered HTTP 500");
    assertThat(journaled()).isEmpty();
    assertThat(corrected).hasSize(1);
    clock.now = T0.plusSeconds(900);
    read(13, 3);
    Reconciliation r = reconciler.reconcile();
    assertThat(r.windowStart).isEqualTo(T0);
    assertThat(r.remote).isEqualByComparingTo("3");
  }

  @Test
  void reconcile_idleWindow_isNotRecorded() throws IOException {
    read(10, 4);
    reconciler.reconcile();
    read(10, 4);

    assertThat(reconciler.reconcile()).isNull();
    assertThat(journaled()).isEmpty();
  }

  @Test
  void threshold_absoluteCredits_comparesTheDriftWithThatAmount() {
    DriftThreshold oneCredit = new DriftThreshold(BigDecimal.ONE, false);

    assertThat(oneCredit.exceeded(100 * CREDIT, CREDIT)).isFalse();
    assertThat(oneCredit.exceeded(100 * CREDIT, -CREDIT - 1)).isTrue();
    assertThat(new DriftThreshold(new BigDecimal("5"), true).exceeded(0, 1)).isTrue();
  }

  private static final class FakeSource implements CreditSource {
    final Deque<Object> next = new ArrayDeque<>();
    boolean balanceOnly;

    @Override
    public boolean balanceOnly() {
      return balanceOnly;
    }

    @Override
    public BalanceSnapshot fetch() throws IOException {
      Object o = next.removeFirst();
      if (o instanceof IOException) {
        throw (IOException) o;
      }
      return (BalanceSnapshot) o;
    }

    @Override
    public long spentBetween(BalanceSnapshot from, BalanceSnapshot to) {
      return to.remoteUsageNanos - from.remoteUsageNanos;
    }

    @Override
    public String name() {
      return "fake";
    }
  }

  private static final class FakeClock extends Clock {
    Instant now = T0;

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
