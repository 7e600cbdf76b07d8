package dev.tollgate.agent.metrics;

import dev.tollgate.api.UsageRecord;
import org.jspecify.annotations.Nullable;

/**
 * Where the meter reports each finished call for metrics. The meter holds {@link #NONE} unless a
 * metrics exporter is configured or the application loads Micrometer, so an application without
 * them pays a virtual call and loads no metrics library. Implementations must not throw, block or do I/O: they run on the call's path.
 */
public interface MetricsSink {
  /** Records nothing. */
  MetricsSink NONE = (record, requestedModel, costNanos, firstChunkNanos) -> {};

  /**
   * One call as journaled.
   *
   * @param record the journal record (status, tokens, model the response named, latency, attributes)
   * @param requestedModel the model the request named, or null
   * @param costNanos the call's cost in nano-credits, as settled
   * @param firstChunkNanos nanoseconds from the request to the first chunk of a streamed body; 0 when unknown or not a stream
   */
  void onCall(UsageRecord record, @Nullable String requestedModel, long costNanos, long firstChunkNanos);
}
