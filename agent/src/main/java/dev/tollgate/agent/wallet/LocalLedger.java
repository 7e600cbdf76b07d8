package dev.tollgate.agent.wallet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The local wallet's buckets, spent in time order. A debit draws on the buckets that exist and have
 * not expired at its time, soonest-expiring first, then free/promo → referral/redeem → paid, then
 * oldest; a bucket that expires keeps its leftover out of the balance from that instant. Spend
 * beyond every bucket goes on an {@code overdraft} bucket, so the balance never lies.
 *
 * <p>All amounts in nano-credits. Not thread-safe: its owner serialises calls.
 */
public final class LocalLedger {
  /** Spend order: expiry (never last), then source type priority, then grant time, then id. */
  static final Comparator<Grant> SPEND_ORDER = Comparator
      .comparing((Grant g) -> g.expiresAt, Comparator.nullsLast(Comparator.naturalOrder()))
      .thenComparingInt(Grant::priority)
      .thenComparing(g -> g.grantedAt)
      .thenComparing(g -> g.id);

  /** One bucket's state. */
  public static final class Bucket {
    public final Grant grant;
    long remaining;
    /** Credits that expired unspent; 0 while the bucket is live. */
    long expired;
    boolean isExpired;

    Bucket(Grant grant) {
      this.grant = grant;
      this.remaining = grant.amountNanos;
    }

    public long remainingNanos() {
      return remaining;
    }

    public long expiredNanos() {
      return expired;
    }

    public boolean isExpired() {
      return isExpired;
    }
  }

  private final List<Bucket> buckets = new ArrayList<>();
  private @Nullable Bucket overdraft;

  public LocalLedger(List<Grant> grants) {
    List<Grant> sorted = new ArrayList<>(grants);
    sorted.sort(SPEND_ORDER);
    for (Grant g : sorted) {
      buckets.add(new Bucket(g));
    }
  }

  /** Adds a grant made while running (a {@code tollgate grant} the agent picked up). */
  public void add(Grant grant) {
    for (Bucket b : buckets) {
      if (b.grant.id.equals(grant.id)) {
        return;
      }
    }
    buckets.add(new Bucket(grant));
    buckets.sort(Comparator.comparing(b -> b.grant, SPEND_ORDER));
  }

  /** Expires every bucket whose expiry is at or before {@code now}. */
  public void advanceTo(Instant now) {
    for (Bucket b : buckets) {
      if (!b.isExpired && b.grant.expiresAt != null && !now.isBefore(b.grant.expiresAt)) {
        b.isExpired = true;
        b.expired = Math.max(0, b.remaining);
        b.remaining = 0;
      }
    }
  }

  /** Spends {@code nanos} at {@code at}. */
  public void debit(Instant at, long nanos) {
    advanceTo(at);
    long left = nanos;
    for (Bucket b : buckets) {
      if (left == 0) {
        return;
      }
      if (b.isExpired || b.grant.grantedAt.isAfter(at) || b.remaining <= 0) {
        continue;
      }
      long take = Math.min(left, b.remaining);
      b.remaining -= take;
      left -= take;
    }
    if (left > 0) {
      if (overdraft == null) {
        overdraft = new Bucket(new Grant("overdraft", "overdraft", 0, Instant.EPOCH, null));
      }
      overdraft.remaining -= left;
    }
  }

  /** Spendable credits now: every live bucket granted by {@code now}, less any overdraft. */
  public long balanceNanos(Instant now) {
    advanceTo(now);
    long sum = 0;
    for (Bucket b : live(now)) {
      sum += b.remaining;
    }
    return sum;
  }

  /** The live buckets at {@code now}, in spend order (an overdraft last). */
  public List<Bucket> live(Instant now) {
    advanceTo(now);
    List<Bucket> result = new ArrayList<>();
    for (Bucket b : buckets) {
      if (!b.isExpired && !b.grant.grantedAt.isAfter(now)) {
        result.add(b);
      }
    }
    if (overdraft != null) {
      result.add(overdraft);
    }
    return result;
  }

  /** Spend beyond every bucket (a negative amount), or 0. */
  long overdraftNanos() {
    return overdraft == null ? 0 : overdraft.remaining;
  }

  /**
   * Sets a bucket to a state saved earlier (the shared wallet's state file): what remains, and what
   * expired unspent if it expired. A grant this ledger does not hold is passed over.
   */
  void restore(String grantId, long remaining, boolean expired, long expiredNanos) {
    for (Bucket b : buckets) {
      if (b.grant.id.equals(grantId)) {
        b.remaining = remaining;
        b.isExpired = expired;
        b.expired = expiredNanos;
      }
    }
  }

  /** Sets the spend beyond every bucket saved earlier (a negative amount, or 0). */
  void restoreOverdraft(long nanos) {
    overdraft = nanos == 0 ? null : new Bucket(new Grant("overdraft", "overdraft", 0, Instant.EPOCH, null));
    if (overdraft != null) {
      overdraft.remaining = nanos;
    }
  }

  /** Every bucket, expired ones included, in spend order. */
  public List<Bucket> all() {
    return List.copyOf(buckets);
  }
}
