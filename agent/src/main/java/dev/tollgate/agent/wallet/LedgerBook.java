package dev.tollgate.agent.wallet;

import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.CreditBucket;
import dev.tollgate.api.CreditLedgerEntry;
import dev.tollgate.api.CreditLedgerPage;
import dev.tollgate.api.LedgerQuery;
import dev.tollgate.api.UsageRecord;
import dev.tollgate.agent.journal.History;
import dev.tollgate.agent.journal.JournalReader;
import dev.tollgate.agent.journal.Rollup;
import dev.tollgate.agent.journal.SpendKeys;
import dev.tollgate.agent.journal.Tally;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The local wallet's history: its grants, the journal's spend replayed onto them, and what
 * expired. Answers the ledger and the bucket breakdown for the CLI and the API.
 */
public final class LedgerBook {
  private final LocalLedger ledger;
  private final List<CreditLedgerEntry> entries = new ArrayList<>();

  private LedgerBook(LocalLedger ledger) {
    this.ledger = ledger;
  }

  /**
   * Replays {@code records} (any order) onto {@code grants} up to {@code now}.
   *
   * @param budgetSince when the budget was set, shown as its credit entry's time; null for the
   *     first record's time
   */
  public static LedgerBook replay(List<Grant> grants, List<UsageRecord> records, @Nullable Instant budgetSince, Instant now) {
    List<UsageRecord> spend = new ArrayList<>();
    for (UsageRecord r : records) {
      if (r.cost().signum() != 0) {
        spend.add(r);
      }
    }
    spend.sort(Comparator.comparing(UsageRecord::time));
    LedgerBook book = new LedgerBook(new LocalLedger(grants));
    for (UsageRecord r : spend) {
      book.ledger.debit(r.time(), Money.toNanos(r.cost()));
      book.entries.add(new CreditLedgerEntry(r.id(), "debit", r.cost().negate(), r.operation(), r.provider(), r.time(),
          r.attributes()));
    }
    book.ledger.advanceTo(now);
    Instant firstSpend = spend.isEmpty() ? now : spend.get(0).time();
    book.addGrantEntries(budgetSince, firstSpend);
    book.entries.sort(LedgerPager.ORDER);
    return book;
  }

  /** The buckets of {@code grants} after the journal's hourly spend ({@link Tally#forEachHour}), at {@code now}; no ledger entries. */
  public static LedgerBook replay(List<Grant> grants, Tally tally, Instant now) {
    LedgerBook book = new LedgerBook(new LocalLedger(grants));
    tally.forEachHour(book.ledger::debit);
    book.ledger.advanceTo(now);
    return book;
  }

  /**
   * One page of the ledger of a data dir: its budget (null for none, as {@code tollgate.budget}), its
   * grants and its journal at {@code now}. Streams the journal: holds the page (offset + limit
   * entries) and the buckets, never the history. Buckets come from the journal's hourly spend ({@link
   * Tally}); a day whose daily file retention deleted shows one debit per group of its rollup.
   */
  public static CreditLedgerPage page(Path dataDir, @Nullable BigDecimal budget, Instant now, LedgerQuery q) throws IOException {
    List<Grant> grants = new ArrayList<>();
    if (budget != null) {
      grants.add(Grant.budget(Money.toNanos(budget)));
    }
    grants.addAll(Grants.read(dataDir));
    LedgerPager pager = new LedgerPager(q);
    Instant[] firstSpend = {null};
    LocalDate today = LocalDate.now(ZoneOffset.UTC);
    for (LocalDate day : Rollup.days(dataDir)) {
      Path raw = JournalReader.fileOf(dataDir, day);
      if (Files.exists(raw)) {
        JournalReader.readFrom(raw, 0, new JournalReader.Result(), r -> {
          if (r.cost().signum() != 0) {
            firstSpend[0] = firstSpend[0] == null || r.time().isBefore(firstSpend[0]) ? r.time() : firstSpend[0];
            pager.offer(new CreditLedgerEntry(r.id(), "debit", r.cost().negate(), r.operation(), r.provider(), r.time(),
                r.attributes()));
          }
        }, r -> {});
      } else {
        offerRolledUp(Rollup.current(dataDir, day, today, false), pager, firstSpend);
      }
    }
    LedgerBook book = replay(grants, History.of(dataDir, SpendKeys.NONE).update(false), now);
    book.addGrantEntries(null, firstSpend[0] == null ? now : firstSpend[0]);
    book.entries.forEach(pager::offer);
    return pager.page();
  }

  private static void offerRolledUp(@Nullable Rollup day, LedgerPager pager, Instant[] firstSpend) {
    if (day == null) {
      return;
    }
    for (Rollup.Group g : day.groups()) {
      if (g.costNanos != 0) {
        Instant at = LocalDate.parse(g.day).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant().minusNanos(1);
        firstSpend[0] = firstSpend[0] == null || at.isBefore(firstSpend[0]) ? at : firstSpend[0];
        pager.offer(new CreditLedgerEntry("rollup:" + g.day + ":" + g.provider + ":" + g.model + ":" + g.operation + ":" + g.status
            + ":" + g.attributes, "debit", Money.fromNanos(-g.costNanos), g.operation, g.provider, at, g.attributes));
      }
    }
  }

  /** A credit entry per grant, and an expire entry per bucket that expired with credits left. */
  private void addGrantEntries(@Nullable Instant budgetSince, Instant firstSpend) {
    for (LocalLedger.Bucket b : ledger.all()) {
      Grant g = b.grant;
      Instant at = g.id.equals(Grant.BUDGET_ID) ? (budgetSince != null && budgetSince.isBefore(firstSpend) ? budgetSince : firstSpend)
          : g.grantedAt;
      entries.add(new CreditLedgerEntry(g.id, "credit", Money.fromNanos(g.amountNanos), null, g.sourceType, at));
      if (b.isExpired() && b.expiredNanos() > 0) {
        Instant expiredAt = Objects.requireNonNull(g.expiresAt, "an expired grant has an expiry");
        entries.add(new CreditLedgerEntry(g.id + ":expired", "expire", Money.fromNanos(-b.expiredNanos()), null, g.sourceType, expiredAt));
      }
    }
  }

  /** One page of the entries that match {@code q}, with the total that match. */
  public CreditLedgerPage page(LedgerQuery q) {
    List<CreditLedgerEntry> matching = new ArrayList<>();
    for (CreditLedgerEntry e : entries) {
      if ((q.entryType() == null || q.entryType().equals(e.entryType()))
          && (q.from() == null || !e.createdAt().isBefore(q.from()))
          && (q.to() == null || !e.createdAt().isAfter(q.to()))) {
        matching.add(e);
      }
    }
    int from = Math.min(q.offset(), matching.size());
    int to = Math.min(from + q.limit(), matching.size());
    return new CreditLedgerPage(matching.subList(from, to), matching.size(), q.limit(), q.offset());
  }

  /** The live buckets at {@code now}, in the order they are spent. */
  public List<CreditBucket> buckets(Instant now) {
    List<CreditBucket> result = new ArrayList<>();
    for (LocalLedger.Bucket b : ledger.live(now)) {
      result.add(new CreditBucket(b.grant.sourceType, Money.fromNanos(b.remainingNanos()), b.grant.expiresAt));
    }
    return result;
  }

  /** Spendable credits at {@code now}. */
  public long balanceNanos(Instant now) {
    return ledger.balanceNanos(now);
  }
}
