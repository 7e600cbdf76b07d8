package dev.tollgate.agent.budget;

import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.BudgetStatus;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One concrete scope's spend and reservations in one period, as a call sees them: a small handle on
 * the scope's slot in the {@link SpendTable}, made per call and per budget, which holds no number
 * itself. Reserve and settle are one short critical section each under the slot's stripe lock, so
 * calls on other scopes never contend with it, and a settle lands on the scope's slot whatever
 * other handles were made or dropped meanwhile.
 */
final class Tally {
  private final SpendTable table;
  final String[] dimensions;
  final String[] values;
  final BudgetPeriod period;
  final Instant start;
  final long startSecond;
  final @Nullable Instant resetsAt;
  final long hash;
  /** The budget's alert thresholds (null when not a live budget's): marks those reached before this JVM counted as reported. */
  final long @Nullable [] alertNanos;
  /** What the scope had spent before this JVM counted it, asked once when its slot is made. */
  private final PeriodSpendSource source;
  /** The table size {@link #off} was found in (the slot moves when the table grows); guarded by the stripe lock. */
  @Nullable
  Object gen;
  int off;

  Tally(SpendTable table, String[] dimensions, String[] values, BudgetPeriod period, Instant start, @Nullable Instant resetsAt,
      long @Nullable [] alertNanos, PeriodSpendSource source) {
    this.table = table;
    this.dimensions = dimensions;
    this.values = values;
    this.period = period;
    this.start = start;
    this.startSecond = start.getEpochSecond();
    this.resetsAt = resetsAt;
    this.alertNanos = alertNanos;
    this.source = source;
    this.hash = SpendTable.hash(period, startSecond, dimensions, values);
  }

  Map<String, String> scope() {
    return Budgets.scopeOf(dimensions, values);
  }

  long initialSpent() {
    return source.spentNanos(scope(), period, start);
  }

  /** Holds {@code amount} when it fits {@code limit} (or when it need not); returns whether it was held. */
  boolean reserve(long amount, long limit, boolean mustFit) {
    ByteBuffer s = table.lock(this);
    try {
      long reserved = s.getLong(off + SpendTable.RESERVED);
      if (mustFit && amount > limit - s.getLong(off + SpendTable.SPENT) - reserved) {
        return false;
      }
      s.putLong(off + SpendTable.RESERVED, reserved + amount);
      return true;
    } finally {
      table.unlock(this);
    }
  }

  void release(long amount) {
    add(SpendTable.RESERVED, -amount);
  }

  void settle(long heldAmount, long cost) {
    add(SpendTable.RESERVED, -heldAmount, SpendTable.SPENT, cost);
  }

  /** Adds spend read back from the journal: it counts, and it seeds a shared store that has none. */
  void recovered(long nanos) {
    add(SpendTable.SPENT, nanos, SpendTable.SEED, nanos);
  }

  long remaining(long limit) {
    ByteBuffer s = table.lock(this);
    try {
      return limit - s.getLong(off + SpendTable.SPENT) - s.getLong(off + SpendTable.RESERVED);
    } finally {
      table.unlock(this);
    }
  }

  /** What this JVM's journal held for the period when it began counting: seeds a shared store that has nothing. */
  long seed() {
    return get(SpendTable.SEED);
  }

  String sharedKey(SharedBudgets shared) {
    return shared.keyFor(scope(), period, start);
  }

  /** Takes the spend counted here that the store has not been told of yet, to report it (given back if that fails). */
  long takeLate() {
    ByteBuffer s = table.lock(this);
    try {
      long taken = s.getLong(off + SpendTable.LATE);
      s.putLong(off + SpendTable.LATE, 0);
      return taken;
    } finally {
      table.unlock(this);
    }
  }

  /** Adds spend the store could not be told of; the next round trip that reaches it reports it. */
  void addLate(long cost) {
    add(SpendTable.LATE, cost);
  }

  /** Takes the store's view after a round trip: the fleet's spend (never below what this JVM counted) and what other JVMs hold. */
  void sync(long fleetSpent, long fleetHeld) {
    ByteBuffer s = table.lock(this);
    try {
      s.putLong(off + SpendTable.SPENT, Math.max(s.getLong(off + SpendTable.SPENT), fleetSpent + s.getLong(off + SpendTable.LATE)));
      s.putLong(off + SpendTable.OTHERS, Math.max(0, fleetHeld - s.getLong(off + SpendTable.RESERVED)));
    } finally {
      table.unlock(this);
    }
  }

  /** Marks thresholds at or below the spend as reported; returns those newly reached (bit i = alert i). */
  long newlyReached(long[] thresholds) {
    ByteBuffer s = table.lock(this);
    try {
      long alerted = s.getLong(off + SpendTable.ALERTED);
      long fresh = reached(s.getLong(off + SpendTable.SPENT), thresholds) & ~alerted;
      s.putLong(off + SpendTable.ALERTED, alerted | fresh);
      return fresh;
    } finally {
      table.unlock(this);
    }
  }

  /** The thresholds {@code spent} reached, bit i for threshold i (the first 63). */
  static long reached(long spent, long[] thresholds) {
    long reached = 0;
    for (int i = 0; i < thresholds.length && i < 63; i++) {
      if (spent >= thresholds[i]) {
        reached |= 1L << i;
      }
    }
    return reached;
  }

  BudgetStatus status(long limit) {
    long spent;
    long held;
    ByteBuffer s = table.lock(this);
    try {
      spent = s.getLong(off + SpendTable.SPENT);
      held = s.getLong(off + SpendTable.RESERVED) + s.getLong(off + SpendTable.OTHERS);
    } finally {
      table.unlock(this);
    }
    return status(scope(), period, limit, spent, held, resetsAt);
  }

  static BudgetStatus status(Map<String, String> scope, BudgetPeriod period, long limit, long spent, long held,
      @Nullable Instant resetsAt) {
    return new BudgetStatus(scope, period.label(), Money.fromNanos(limit), Money.fromNanos(spent), Money.fromNanos(held), resetsAt);
  }

  private long get(int field) {
    ByteBuffer s = table.lock(this);
    try {
      return s.getLong(off + field);
    } finally {
      table.unlock(this);
    }
  }

  private void add(int field, long delta) {
    add(field, delta, field, 0);
  }

  /** Adds to two fields at once (one critical section). */
  private void add(int field, long delta, int other, long otherDelta) {
    ByteBuffer s = table.lock(this);
    try {
      s.putLong(off + field, s.getLong(off + field) + delta);
      s.putLong(off + other, s.getLong(off + other) + otherDelta);
    } finally {
      table.unlock(this);
    }
  }
}
