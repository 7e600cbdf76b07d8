package dev.tollgate.agent.wallet;

import dev.tollgate.api.CreditLedgerEntry;
import dev.tollgate.api.CreditLedgerPage;
import dev.tollgate.api.LedgerQuery;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;

/**
 * One page of a ledger offered entry by entry in any order: counts the entries that match, and keeps
 * only the first offset + limit of them in ledger order (a heap whose largest is dropped), so a page
 * of a long history needs memory for the page, not the history.
 */
final class LedgerPager {
  /** Oldest first; at the same instant credits come before what they pay for. */
  static final Comparator<CreditLedgerEntry> ORDER = Comparator.comparing(CreditLedgerEntry::createdAt)
      .thenComparing(e -> e.entryType().equals("credit") ? 0 : 1)
      .thenComparing(CreditLedgerEntry::ledgerId);

  private final LedgerQuery q;
  private final int keep;
  private final PriorityQueue<CreditLedgerEntry> first = new PriorityQueue<>(ORDER.reversed());
  private int total;

  LedgerPager(LedgerQuery q) {
    this.q = q;
    this.keep = (int) Math.min(Integer.MAX_VALUE, (long) q.offset() + q.limit());
  }

  void offer(CreditLedgerEntry e) {
    if ((q.entryType() != null && !q.entryType().equals(e.entryType()))
        || (q.from() != null && e.createdAt().isBefore(q.from()))
        || (q.to() != null && e.createdAt().isAfter(q.to()))) {
      return;
    }
    total++;
    if (first.size() < keep) {
      first.add(e);
    } else if (keep > 0 && ORDER.compare(e, first.peek()) < 0) {
      first.poll();
      first.add(e);
    }
  }

  CreditLedgerPage page() {
    List<CreditLedgerEntry> sorted = new ArrayList<>(first);
    sorted.sort(ORDER);
    int from = Math.min(q.offset(), sorted.size());
    return new CreditLedgerPage(sorted.subList(from, sorted.size()), total, q.limit(), q.offset());
  }
}
