package dev.tollgate.agent.metrics.otel;

import dev.tollgate.agent.metrics.CallKind;
import dev.tollgate.agent.metrics.CallKinds;
import dev.tollgate.agent.metrics.Labels;
import dev.tollgate.agent.metrics.Gauges;
import dev.tollgate.agent.metrics.MetricsSink;
import dev.tollgate.agent.metrics.Tally;
import dev.tollgate.agent.metrics.UnmeteredConnections;
import dev.tollgate.api.UsageRecord;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.AttributesBuilder;
import io.opentelemetry.api.metrics.DoubleHistogram;
import io.opentelemetry.api.metrics.LongHistogram;
import io.opentelemetry.api.metrics.Meter;
import io.opentelemetry.context.Context;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * The instruments: the GenAI client metrics of the OpenTelemetry semantic conventions (v1.41.1)
 * and Tollgate's own. Histograms go through the SDK; cost and calls are counted exactly in
 * {@link Tally tallies} the SDK reads at each collection, so a credit sum is a {@code long} sum.
 * The number of series is bounded: past {@link #MAX_SERIES} kinds of call, further ones share one
 * overflow series, as the SDK's own cardinality limit does.
 */
public final class OtelMetrics implements MetricsSink {
  static final int MAX_SERIES = CallKinds.MAX_SERIES;
  private static final List<Double> SECONDS = List.of(0.01, 0.02, 0.04, 0.08, 0.16, 0.32, 0.64, 1.28, 2.56, 5.12, 10.24, 20.48, 40.96,
      81.92);
  private static final List<Long> TOKENS = List.of(1L, 4L, 16L, 64L, 256L, 1024L, 4096L, 16384L, 65536L, 262144L, 1048576L, 4194304L,
      16777216L, 67108864L);
  private static final AttributeKey<String> STATUS = AttributeKey.stringKey("tollgate.status");
  private static final AttributeKey<String> BUDGET = AttributeKey.stringKey("tollgate.budget");
  static final AttributeKey<String> CLIENT_CLASS = AttributeKey.stringKey("tollgate.client.class");
  static final AttributeKey<String> ACTION = AttributeKey.stringKey("tollgate.action");
  private static final Attributes OVERFLOW = Attributes.of(AttributeKey.booleanKey("otel.metric.overflow"), true);
  private static final UsageRecord.Status[] STATUSES = UsageRecord.Status.values();
  /** Recordings carry no context (exemplars are off): spares each a thread-local look-up. */
  private static final Context NO_CONTEXT = Context.root();

  private final LongHistogram tokens;
  private final DoubleHistogram duration;
  private final DoubleHistogram firstChunk;
  private final List<String> labels;
  private final boolean labelsFromRecord;
  private final CallKinds<Series> series;
  private final Map<Attributes, Tally> tallies = new ConcurrentHashMap<>();
  private final Tally overflowTally = new Tally();

  OtelMetrics(Meter meter, List<String> labels, Gauges gauges) {
    this.labels = labels;
    this.labelsFromRecord = Labels.fromAttributes(labels);
    tokens = meter.histogramBuilder("gen_ai.client.token.usage").ofLongs().setUnit("{token}")
        .setDescription("Number of input and output tokens used.").setExplicitBucketBoundariesAdvice(TOKENS).build();
    duration = meter.histogramBuilder("gen_ai.client.operation.duration").setUnit("s")
        .setDescription("GenAI operation duration.").setExplicitBucketBoundariesAdvice(SECONDS).build();
    firstChunk = meter.histogramBuilder("gen_ai.client.operation.time_to_first_chunk").setUnit("s")
        .setDescription("Time to receive the first chunk in a streaming operation.").setExplicitBucketBoundariesAdvice(SECONDS).build();
    series = new CallKinds<>(k -> new Series(k, labelsFromRecord ? null : tally(k)), new Series(CallKind.OVERFLOW, overflowTally));
    meter.counterBuilder("tollgate.cost").ofDoubles().setUnit("{credit}").setDescription("Credits spent by metered calls.")
        .buildWithCallback(m -> {
          tallies.forEach((attrs, t) -> m.record(Tally.credits(t.costNanos()), attrs));
          recordIfUsed(overflowTally, t -> m.record(Tally.credits(t.costNanos()), OVERFLOW));
        });
    meter.counterBuilder("tollgate.calls").setUnit("{call}").setDescription("Metered calls by how they ended.")
        .buildWithCallback(m -> {
          tallies.forEach((attrs, t) -> recordCalls(t, attrs, (a, n) -> m.record(n, a)));
          recordIfUsed(overflowTally, t -> recordCalls(t, OVERFLOW, (a, n) -> m.record(n, a)));
        });
    meter.gaugeBuilder("tollgate.balance").setUnit("{credit}").setDescription("Credits the application can still spend.")
        .buildWithCallback(m -> {
          if (gauges.hasBalance()) {
            m.record(Tally.credits(gauges.balanceNanos()));
          }
        });
    meter.gaugeBuilder("tollgate.budget.remaining").setUnit("{credit}").setDescription("Credits left in each budget.")
        .buildWithCallback(m -> gauges.forEachBudget((name, nanos) -> m.record(Tally.credits(nanos), Attributes.of(BUDGET, name))));
    meter.gaugeBuilder("tollgate.reservations.open").ofLongs().setUnit("{reservation}")
        .setDescription("Calls reserved and not yet settled.").buildWithCallback(m -> m.record(gauges.openReservations()));
    meter.counterBuilder("tollgate.unmetered.connections").setUnit("{connection}")
        .setDescription("Connections to metered endpoints that no hooked client opened (tollgate.unmetered-traffic).")
        .buildWithCallback(m -> gauges.unmetered().forEach(e -> m.record(e.count(), attributes(e))));
  }

  /** The attributes of an unmetered connection's series: built at collection, never on a connection's path. */
  static Attributes attributes(UnmeteredConnections.Entry e) {
    if (e.overflow) {
      return OVERFLOW.toBuilder().put(ACTION, e.action).build();
    }
    return Attributes.builder().put(Series.SERVER_ADDRESS, e.host).put(Series.SERVER_PORT, (long) e.port).put(CLIENT_CLASS, e.client)
        .put(ACTION, e.action).build();
  }

  @Override
  public void onCall(UsageRecord r, @Nullable String requestedModel, long costNanos, long firstChunkNanos) {
    Series s = series.get(r, requestedModel);
    Tally t = s.tally != null ? s.tally : tally(r);
    t.add(r.status(), costNanos);
    if (r.status() == UsageRecord.Status.BLOCKED) {
      return; // never left the machine: no client operation to time, no tokens used
    }
    duration.record(r.latencyMillis() / 1e3, s.call, NO_CONTEXT);
    if (r.status() != UsageRecord.Status.ERROR || r.inputTokens() + r.outputTokens() > 0) {
      tokens.record(r.inputTokens(), s.input, NO_CONTEXT);
      tokens.record(r.outputTokens(), s.output, NO_CONTEXT);
    }
    if (firstChunkNanos > 0) {
      firstChunk.record(firstChunkNanos / 1e9, s.call, NO_CONTEXT);
    }
  }

  /** The tally of the record's labels (the listed attributes). */
  private Tally tally(UsageRecord r) {
    AttributesBuilder b = Attributes.builder();
    for (String name : labels) {
      String value = Labels.value(r, name);
      if (value != null) {
        b.put(name, value);
      }
    }
    return tally(b.build());
  }

  /** The tally of a kind of call, when the labels are all built-ins. */
  private Tally tally(CallKind k) {
    AttributesBuilder b = Attributes.builder();
    for (String name : labels) {
      b.put(name, name.equals("provider") ? k.provider() : name.equals("model") ? k.model() : k.operation());
    }
    return tally(b.build());
  }

  private Tally tally(Attributes labelled) {
    Tally t = tallies.get(labelled);
    if (t != null) {
      return t;
    }
    return tallies.size() >= MAX_SERIES ? overflowTally : tallies.computeIfAbsent(labelled, a -> new Tally());
  }

  private static void recordCalls(Tally t, Attributes attrs, java.util.function.ObjLongConsumer<Attributes> out) {
    for (UsageRecord.Status status : STATUSES) {
      long n = t.calls(status);
      if (n > 0) {
        out.accept(attrs.toBuilder().put(STATUS, status.wireName()).build(), n);
      }
    }
  }

  private static void recordIfUsed(Tally t, java.util.function.Consumer<Tally> out) {
    for (UsageRecord.Status status : STATUSES) {
      if (t.calls(status) > 0) {
        out.accept(t);
        return;
      }
    }
  }
}
