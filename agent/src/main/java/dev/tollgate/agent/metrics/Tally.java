package dev.tollgate.agent.metrics;

import dev.tollgate.api.UsageRecord;
import java.util.concurrent.atomic.LongAdder;

/**
 * Cost and calls of one series, counted exactly: cost in nano-credits (a {@code long} sum, never a
 * {@code double} one), calls per status. Exporters read it when they collect.
 */
public final class Tally {
  private static final UsageRecord.Status[] STATUSES = UsageRecord.Status.values();
  private final LongAdder costNanos = new LongAdder();
  private final LongAdder[] calls = new LongAdder[STATUSES.length];

  public Tally() {
    for (int i = 0; i < calls.length; i++) {
      calls[i] = new LongAdder();
    }
  }

  public void add(UsageRecord.Status status, long cost) {
    calls[status.ordinal()].increment();
    if (cost != 0) {
      costNanos.add(cost);
    }
  }

  public long costNanos() {
    return costNanos.sum();
  }

  public long calls(UsageRecord.Status status) {
    return calls[status.ordinal()].sum();
  }

  /** Credits as the closest {@code double}: exactly the decimal for sums of up to 15 significant digits. */
  public static double credits(long nanos) {
    return nanos / 1e9;
  }
}
