package dev.tollgate.agent.metrics;

import dev.tollgate.agent.log.Log;
import dev.tollgate.api.UsageRecord;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The sink of an exporter that starts after the meter is ready: the calls before it are kept (at
 * most {@link #MAX_KEPT}) and handed to it when it starts, so its counts match the journal's.
 */
final class DeferredSink implements MetricsSink {
  static final int MAX_KEPT = 10_000;
  private volatile @Nullable MetricsSink target;
  private final List<Call> kept = new ArrayList<>();
  private long dropped;

  @Override
  public void onCall(UsageRecord record, @Nullable String requestedModel, long costNanos, long firstChunkNanos) {
    MetricsSink t = target;
    if (t == null) {
      synchronized (this) {
        t = target;
        if (t == null) {
          keep(new Call(record, requestedModel, costNanos, firstChunkNanos));
          return;
        }
      }
    }
    t.onCall(record, requestedModel, costNanos, firstChunkNanos);
  }

  private void keep(Call c) {
    if (kept.size() < MAX_KEPT) {
      kept.add(c);
    } else {
      dropped++;
    }
  }

  /** Hands the calls kept so far to {@code sink}, which gets every later one. */
  synchronized void started(MetricsSink sink) {
    for (Call c : kept) {
      sink.onCall(c.record, c.requestedModel, c.costNanos, c.firstChunkNanos);
    }
    kept.clear();
    target = sink;
    if (dropped > 0) {
      Log.warn("metrics: " + dropped + " calls made before the exporters started are not in their counts (the journal has them)");
    }
  }

  private static final class Call {
    final UsageRecord record;
    final @Nullable String requestedModel;
    final long costNanos;
    final long firstChunkNanos;

    Call(UsageRecord record, @Nullable String requestedModel, long costNanos, long firstChunkNanos) {
      this.record = record;
      this.requestedModel = requestedModel;
      this.costNanos = costNanos;
      this.firstChunkNanos = firstChunkNanos;
    }
  }
}
