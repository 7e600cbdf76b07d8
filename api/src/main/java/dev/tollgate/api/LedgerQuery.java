package dev.tollgate.api;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A ledger read, with the Synap {@code get_ledger} parameters: an optional entry type, inclusive
 * time bounds, and a page ({@code limit} 1 to {@value #MAX_LIMIT}, default {@value #DEFAULT_LIMIT};
 * {@code offset} 0 or more).
 */
public final class LedgerQuery {
  public static final int DEFAULT_LIMIT = 100;
  public static final int MAX_LIMIT = 1000;

  private final @Nullable String entryType;
  private final @Nullable Instant from;
  private final @Nullable Instant to;
  private final int limit;
  private final int offset;

  private LedgerQuery(@Nullable String entryType, @Nullable Instant from, @Nullable Instant to, int limit, int offset) {
    this.entryType = entryType;
    this.from = from;
    this.to = to;
    this.limit = limit;
    this.offset = offset;
  }

  /** Every entry type, all of history, the first {@value #DEFAULT_LIMIT} entries. */
  public static LedgerQuery all() {
    return new LedgerQuery(null, null, null, DEFAULT_LIMIT, 0);
  }

  /** Only entries of {@code type} ({@code credit}, {@code debit}, {@code expire}); null for all. */
  public LedgerQuery entryType(@Nullable String type) {
    return new LedgerQuery(type, from, to, limit, offset);
  }

  /** Entries created at or after {@code from}; null for no lower bound. */
  public LedgerQuery from(@Nullable Instant from) {
    return new LedgerQuery(entryType, from, to, limit, offset);
  }

  /** Entries created at or before {@code to}; null for no upper bound. */
  public LedgerQuery to(@Nullable Instant to) {
    return new LedgerQuery(entryType, from, to, limit, offset);
  }

  /**
   * @throws IllegalArgumentException if {@code limit} is outside 1..{@value #MAX_LIMIT} or {@code
   *     offset} is negative
   */
  public LedgerQuery page(int limit, int offset) {
    if (limit < 1 || limit > MAX_LIMIT) {
      throw new IllegalArgumentException("limit must be between 1 and " + MAX_LIMIT + ", was " + limit);
    }
    if (offset < 0) {
      throw new IllegalArgumentException("offset must be 0 or more, was " + offset);
    }
    return new LedgerQuery(entryType, from, to, limit, offset);
  }

  public @Nullable String entryType() {
    return entryType;
  }

  public @Nullable Instant from() {
    return from;
  }

  public @Nullable Instant to() {
    return to;
  }

  public int limit() {
    return limit;
  }

  public int offset() {
    return offset;
  }
}
