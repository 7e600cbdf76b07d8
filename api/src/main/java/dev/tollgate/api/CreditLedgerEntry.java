package dev.tollgate.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * One credit movement, in the shape of the Synap {@code credits.get_ledger} entry: a grant
 * ({@code credit}), the cost of a metered call ({@code debit}) or credits that ran out unspent
 * ({@code expire}).
 */
public final class CreditLedgerEntry {
  private final String ledgerId;
  private final String entryType;
  private final BigDecimal delta;
  private final @Nullable String metricType;
  private final @Nullable String category;
  private final Instant createdAt;
  private final Map<String, String> attributes;

  /**
   * @param ledgerId stable identifier: the grant's id, the usage record's id, or {@code <grant>:expired}
   * @param entryType {@code credit}, {@code debit} or {@code expire}
   * @param delta signed change: positive for credits added, negative for usage and expiry
   * @param metricType what produced the entry: the operation for a debit (e.g. {@code chat.completions}); may be null
   * @param category coarse grouping: the bucket's source type for a credit, the provider for a debit; may be null
   * @param createdAt when the movement happened
   */
  public CreditLedgerEntry(String ledgerId, String entryType, BigDecimal delta, @Nullable String metricType,
      @Nullable String category, Instant createdAt) {
    this(ledgerId, entryType, delta, metricType, category, createdAt, Map.of());
  }

  /**
   * As {@link #CreditLedgerEntry(String, String, BigDecimal, String, String, Instant)}, for a debit
   * that carries its call's attribution attributes (tenant, feature…).
   *
   * @param attributes the usage record's attributes; empty for credits and expiries
   */
  public CreditLedgerEntry(String ledgerId, String entryType, BigDecimal delta, @Nullable String metricType,
      @Nullable String category, Instant createdAt, Map<String, String> attributes) {
    this.attributes = Map.copyOf(Objects.requireNonNull(attributes, "attributes"));
    this.ledgerId = Objects.requireNonNull(ledgerId, "ledgerId");
    this.entryType = Objects.requireNonNull(entryType, "entryType");
    this.delta = Objects.requireNonNull(delta, "delta");
    this.metricType = metricType;
    this.category = category;
    this.createdAt = Objects.requireNonNull(createdAt, "createdAt");
  }

  public String ledgerId() {
    return ledgerId;
  }

  public String entryType() {
    return entryType;
  }

  public BigDecimal delta() {
    return delta;
  }

  public @Nullable String metricType() {
    return metricType;
  }

  public @Nullable String category() {
    return category;
  }

  public Instant createdAt() {
    return createdAt;
  }

  /** For a debit, the attribution attributes of the call it paid for; otherwise empty. */
  public Map<String, String> attributes() {
    return attributes;
  }

  @Override
  public String toString() {
    return "CreditLedgerEntry{" + ledgerId + ", " + entryType + ", " + delta.toPlainString() + ", " + createdAt + '}';
  }
}
