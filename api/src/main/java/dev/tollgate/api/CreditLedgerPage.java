package dev.tollgate.api;

import java.util.List;

/** One page of the credit ledger, with the Synap {@code get_ledger} pagination fields. */
public final class CreditLedgerPage {
  private final List<CreditLedgerEntry> entries;
  private final int total;
  private final int limit;
  private final int offset;

  public CreditLedgerPage(List<CreditLedgerEntry> entries, int total, int limit, int offset) {
    this.entries = List.copyOf(entries);
    this.total = total;
    this.limit = limit;
    this.offset = offset;
  }

  /** The entries of this page, oldest first. */
  public List<CreditLedgerEntry> entries() {
    return entries;
  }

  /** How many entries match the filters, across all pages. */
  public int total() {
    return total;
  }

  /** The limit this page was read with. */
  public int limit() {
    return limit;
  }

  /** The offset this page was read with. */
  public int offset() {
    return offset;
  }
}
