package dev.tollgate.agent.metrics;

import dev.tollgate.api.UsageRecord;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * What an exporter keeps per {@link CallKind}, at most {@link #MAX_SERIES} kinds: past that, further
 * kinds share the overflow value, as OpenTelemetry's cardinality limit does. A lookup of a kind seen
 * before allocates nothing (one probe key per thread).
 */
public final class CallKinds<V> {
  /** Series per instrument before new kinds of call share one overflow series. */
  public static final int MAX_SERIES = 2000;
  private static final ThreadLocal<CallKind> PROBE = ThreadLocal.withInitial(CallKind::new);
  private final Map<CallKind, V> values = new ConcurrentHashMap<>();
  private final Function<CallKind, V> create;
  private final V overflow;

  public CallKinds(Function<CallKind, V> create, V overflow) {
    this.create = create;
    this.overflow = overflow;
  }

  /** The value of the record's kind, made on its first call. */
  public V get(UsageRecord r, @Nullable String requestedModel) {
    CallKind probe = PROBE.get().set(r, requestedModel);
    V v = values.get(probe);
    if (v != null) {
      return v;
    }
    if (values.size() >= MAX_SERIES) {
      return overflow;
    }
    return values.computeIfAbsent(probe.copy(), create);
  }

  public void forEach(BiConsumer<CallKind, V> out) {
    values.forEach(out);
  }
}
