package dev.tollgate.agent.metrics.micrometer;

import dev.tollgate.agent.bootstrap.MicrometerBridge;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.metrics.CallKind;
import dev.tollgate.agent.metrics.CallKinds;
import dev.tollgate.agent.metrics.Gauges;
import dev.tollgate.agent.metrics.GenAi;
import dev.tollgate.agent.metrics.Labels;
import dev.tollgate.agent.metrics.MetricsSink;
import dev.tollgate.agent.metrics.Tally;
import dev.tollgate.agent.metrics.UnmeteredConnections;
import dev.tollgate.api.UsageRecord;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Tollgate's meters in an application's Micrometer registry. Each call adds to Tollgate's own
 * counters ({@link LongAdder}s, as the JMX sink does); Micrometer gets function-based meters that
 * read them when it publishes or is scraped, so nothing is recorded into Micrometer per call. A
 * series is registered with Micrometer on its first call (or when the registry arrives, for the
 * series counted before). The same tag keys on every series of a name, as Prometheus requires:
 * a value a call does not have is the empty string.
 */
public final class MicrometerMetrics implements MetricsSink {
  private static final UsageRecord.Status[] STATUSES = UsageRecord.Status.values();
  private final List<String> labels;
  private final boolean labelsFromRecord;
  private final Gauges gauges;
  private final Map<List<String>, Labelled> tallies = new ConcurrentHashMap<>();
  private final Labelled overflowTally;
  private final CallKinds<Kind> kinds;
  // Kinds of call can share tags (two paths of one host, two operations both "chat"): a meter's state is per tags.
  private final Map<List<String>, Timed> timed = new ConcurrentHashMap<>();
  private final Map<List<String>, Counted> tokens = new ConcurrentHashMap<>();
  private final Budgets budgets;
  /** What Micrometer reads for each unmetered connection entry shown (it holds a function meter's state weakly). */
  private final Map<UnmeteredConnections.Entry, LongAdderView> unmetered = new ConcurrentHashMap<>();
  private volatile @Nullable MicrometerBridge micrometer;

  public MicrometerMetrics(List<String> labels, Gauges gauges) {
    this.labels = labels;
    this.labelsFromRecord = Labels.fromAttributes(labels);
    this.gauges = gauges;
    this.budgets = new Budgets(gauges);
    List<String> other = new ArrayList<>();
    labels.forEach(n -> other.add("_OTHER"));
    overflowTally = new Labelled(other);
    kinds = new CallKinds<>(k -> kind(k, labelsFromRecord ? null : labelled(builtIns(k))), kind(CallKind.OVERFLOW, overflowTally));
    gauges.unmetered().onNewEntry(this::showUnmetered);
  }

  @Override
  public void onCall(UsageRecord r, @Nullable String requestedModel, long costNanos, long firstChunkNanos) {
    Kind k = kinds.get(r, requestedModel);
    Labelled t = k.labelled != null ? k.labelled : labelled(fromRecord(r));
    t.tally.add(r.status(), costNanos);
    boolean registered = micrometer != null;
    if (registered && !t.shown[r.status().ordinal()]) {
      showCalls(t, r.status());
    }
    if (r.status() == UsageRecord.Status.BLOCKED) {
      return; // never left the machine: no client operation, no tokens
    }
    if (registered && !k.shown()) {
      show(k);
    }
    k.call.durations.add(r.latencyMillis() * 1_000_000L);
    if (r.status() != UsageRecord.Status.ERROR || r.inputTokens() + r.outputTokens() > 0) {
      k.input.count.add(r.inputTokens());
      k.output.count.add(r.outputTokens());
    }
    if (firstChunkNanos > 0) {
      k.call.firstChunks.add(firstChunkNanos);
      if (registered && !k.call.firstChunkShown) {
        showFirstChunk(k.call);
      }
    }
  }

  private Kind kind(CallKind k, @Nullable Labelled labelled) {
    String[] base = Kind.base(k);
    String error = k.errorType();
    return new Kind(labelled, timed.computeIfAbsent(Arrays.asList(Kind.concat(base, "error.type", error == null ? "" : error)), Timed::new),
        tokens.computeIfAbsent(Arrays.asList(Kind.concat(base, "gen_ai.token.type", "input")), Counted::new),
        tokens.computeIfAbsent(Arrays.asList(Kind.concat(base, "gen_ai.token.type", "output")), Counted::new));
  }

  /** Registers every meter counted so far in {@code registry}, and every later one as it comes. */
  public synchronized void register(MicrometerBridge registry) {
    micrometer = registry;
    show(() -> {
      registry.gauge("tollgate.reservations.open", "Calls reserved and not yet settled.", null, new String[0], () -> gauges
          .openReservations());
      if (gauges.hasBalance()) {
        registry.gauge("tollgate.balance", "Credits the application can still spend.", null, new String[0],
            () -> Tally.credits(gauges.balanceNanos()));
      }
    });
    budgets.showNew(registry);
    gauges.unmetered().forEach(this::showUnmetered);
    kinds.forEach((kind, k) -> show(k));
    tallies.values().forEach(this::show);
    show(overflowTally);
  }

  private Labelled labelled(List<String> values) {
    Labelled t = tallies.get(values);
    if (t != null) {
      return t;
    }
    return tallies.size() >= CallKinds.MAX_SERIES ? overflowTally : tallies.computeIfAbsent(values, Labelled::new);
  }

  private List<String> builtIns(CallKind k) {
    String[] values = new String[labels.size()];
    for (int i = 0; i < values.length; i++) {
      String name = labels.get(i);
      values[i] = name.equals("provider") ? k.provider() : name.equals("model") ? k.model() : k.operation();
    }
    return Arrays.asList(values);
  }

  private List<String> fromRecord(UsageRecord r) {
    String[] values = new String[labels.size()];
    for (int i = 0; i < values.length; i++) {
      String v = Labels.value(r, labels.get(i));
      values[i] = v == null ? "" : v;
    }
    return Arrays.asList(values);
  }

  private synchronized void showCalls(Labelled t, UsageRecord.Status status) {
    MicrometerBridge registry = micrometer;
    if (registry == null || t.shown[status.ordinal()]) {
      return;
    }
    t.shown[status.ordinal()] = true;
    if (!t.costShown) {
      t.costShown = true;
      show(() -> registry.counter("tollgate.cost", "Credits spent by metered calls.", null, t.tags(), t.cost));
    }
    LongAdderView calls = () -> t.tally.calls(status);
    t.callViews[status.ordinal()] = calls;
    show(() -> registry.counter("tollgate.calls", "Metered calls by how they ended.", null, t.tags("tollgate.status", status.wireName()),
        calls));
    budgets.showNew(registry);
  }

  private void show(Labelled t) {
    for (UsageRecord.Status status : STATUSES) {
      if (t.tally.calls(status) > 0) {
        showCalls(t, status);
      }
    }
  }

  /** {@code tollgate.unmetered.connections} of one entry, once there is a registry: for a new entry, on the thread that connected. */
  private synchronized void showUnmetered(UnmeteredConnections.Entry e) {
    MicrometerBridge registry = micrometer;
    if (registry == null || unmetered.containsKey(e)) {
      return;
    }
    LongAdderView count = e::count;
    unmetered.put(e, count);
    String port = e.overflow ? UnmeteredConnections.OTHER : Integer.toString(e.port);
    show(() -> registry.counter("tollgate.unmetered.connections", "Connections to metered endpoints that no hooked client opened.", null,
        new String[] {"server.address", e.host, "server.port", port, "tollgate.client.class", e.client, "tollgate.action", e.action},
        count));
  }

  private synchronized void show(Kind k) {
    MicrometerBridge registry = micrometer;
    if (registry == null) {
      return;
    }
    Timed t = k.call;
    if (!t.shown) {
      t.shown = true;
      show(() -> registry.timer("gen_ai.client.operation.duration", "GenAI operation duration.", t.tags, t.durationCount,
          t.durations::seconds));
    }
    for (Counted c : new Counted[] {k.input, k.output}) {
      if (!c.shown) {
        c.shown = true;
        show(() -> registry.counter("gen_ai.client.token.usage", "Number of input and output tokens used.", null, c.tags, c.view));
      }
    }
    if (t.firstChunks.count() > 0) {
      showFirstChunk(t);
    }
  }

  private synchronized void showFirstChunk(Timed t) {
    MicrometerBridge registry = micrometer;
    if (registry == null || t.firstChunkShown || !t.shown) {
      return;
    }
    t.firstChunkShown = true;
    show(() -> registry.timer("gen_ai.client.operation.time_to_first_chunk", "Time to receive the first chunk in a streaming operation.",
        t.tags, t.firstChunkCount, t.firstChunks::seconds));
  }

  /** A registration the application's registry refuses (a meter filter, a name it already has) costs one log line. */
  private static void show(Runnable registration) {
    try {
      registration.run();
    } catch (RuntimeException | LinkageError e) {
      Log.once("micrometer-register", Log.Level.WARN, "Micrometer refused a Tollgate meter; the others are registered", e);
    }
  }

  /** A long count as Micrometer reads it. */
  interface LongAdderView extends java.util.function.DoubleSupplier {
    long count();

    @Override
    default double getAsDouble() {
      return count();
    }
  }

  /** Count and total nanoseconds of timed events. */
  static final class Timings {
    private final LongAdder count = new LongAdder();
    private final LongAdder nanos = new LongAdder();

    void add(long elapsedNanos) {
      nanos.add(elapsedNanos);
      count.increment();
    }

    long count() {
      return count.sum();
    }

    double seconds() {
      return nanos.sum() / 1e9;
    }
  }

  /** Cost and calls of one set of label values. */
  final class Labelled {
    final List<String> values;
    final Tally tally = new Tally();
    final java.util.function.DoubleSupplier cost = () -> Tally.credits(tally.costNanos());
    final LongAdderView[] callViews = new LongAdderView[STATUSES.length];
    final boolean[] shown = new boolean[STATUSES.length];
    boolean costShown;

    Labelled(List<String> values) {
      this.values = values;
    }

    String[] tags(String... more) {
      String[] tags = new String[labels.size() * 2 + more.length];
      for (int i = 0; i < labels.size(); i++) {
        tags[2 * i] = labels.get(i);
        tags[2 * i + 1] = values.get(i);
      }
      System.arraycopy(more, 0, tags, labels.size() * 2, more.length);
      return tags;
    }
  }

  /** The GenAI series of one kind of call: its labelled tally (null when labels come from each record) and its meters' state. */
  static final class Kind {
    final @Nullable Labelled labelled;
    final Timed call;
    final Counted input;
    final Counted output;

    Kind(@Nullable Labelled labelled, Timed call, Counted input, Counted output) {
      this.labelled = labelled;
      this.call = call;
      this.input = input;
      this.output = output;
    }

    boolean shown() {
      return call.shown && input.shown && output.shown;
    }

    static String[] base(CallKind k) {
      return new String[] {"gen_ai.operation.name", GenAi.operation(k.operation()), "gen_ai.provider.name", GenAi.provider(k.provider()),
          "gen_ai.request.model", k.requestedModel() == null ? "" : k.requestedModel(),
          "gen_ai.response.model", k.model().equals("unknown") ? "" : k.model(),
          "server.address", GenAi.serverAddress(k.endpoint()), "server.port", Integer.toString(GenAi.serverPort(k.endpoint()))};
    }

    static String[] concat(String[] tags, String key, String value) {
      String[] all = Arrays.copyOf(tags, tags.length + 2);
      all[tags.length] = key;
      all[tags.length + 1] = value;
      return all;
    }
  }

  /** Durations and times to first chunk of one set of call tags. */
  static final class Timed {
    final String[] tags;
    final Timings durations = new Timings();
    final Timings firstChunks = new Timings();
    // Micrometer holds a function meter's state object weakly: these are what it holds.
    final java.util.function.LongSupplier durationCount = durations::count;
    final java.util.function.LongSupplier firstChunkCount = firstChunks::count;
    volatile boolean shown;
    volatile boolean firstChunkShown;

    Timed(List<String> tags) {
      this.tags = tags.toArray(new String[0]);
    }
  }

  /** Tokens of one set of tags. */
  static final class Counted {
    final String[] tags;
    final LongAdder count = new LongAdder();
    final LongAdderView view = count::sum;
    volatile boolean shown;

    Counted(List<String> tags) {
      this.tags = tags.toArray(new String[0]);
    }
  }
}
