package dev.tollgate.agent.wallet;

import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.CreditBucket;
import dev.tollgate.api.CreditLedgerEntry;
import dev.tollgate.api.CreditLedgerPage;
import dev.tollgate.api.LedgerQuery;
import dev.tollgate.api.UsageRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

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
  public static LedgerBook replay(List<Grant> grants, List<UsageRecord> records, /* @Nullable */ Instant budgetSince, Instant now) {
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
    for (LocalLedger.Bucket b : book.ledger.all()) {
      Grant g = b.grant;
      Instant at = g.id.equals(Grant.BUDGET_ID) ? (budgetSince != null && budgetSince.isBefore(firstSpend) ? budgetSince : firstSpend) : g.grantedAt;
      book.entries.add(new CreditLedgerEntry(g.id, "credit", Money.fromNanos(g.amountNanos), null, g.sourceType, at));
      if (b.isExpired() && b.expiredNanos() > 0) {
        book.entries.add(new CreditLedgerEntry(g.id + ":expired", "expire", Money.fromNanos(-b.expiredNanos()), null, g.sourceType, g.expiresAt));
      }
    }
    // Oldest first; at the same instant credits come before what they pay for.
    book.entries.sort(Comparator.comparing(CreditLedgerEntry::createdAt)
        .thenComparing(e -> e.entryType().equals("credit") ? 0 : 1)
        .thenComparing(CreditLedgerEntry::ledgerId));
    return book;
  }

  /**
   * The book of a data dir: its budget (null for none, as {@code tollgate.budget}), its grants and
   * its journal, replayed up to {@code now}.
   */
  public static LedgerBook read(java.nio.file.Path dataDir, /* @Nullable */ java.math.BigDecimal budget, Instant now)
      throws java.io.IOException {
    List<Grant> grants = new ArrayList<>();
    if (budget != null) {
      grants.add(Grant.budget(Money.toNanos(budget)));
    }
    grants.addAll(Grants.read(dataDir));
    return replay(grants, dev.tollgate.agent.journal.JournalReader.readAll(dataDir), null, now);
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
