package dev.tollgate.agent.metrics.micrometer;

import dev.tollgate.agent.bootstrap.MicrometerBridge;
import dev.tollgate.agent.metrics.Gauges;
import dev.tollgate.agent.metrics.Tally;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code tollgate.budget.remaining}, one gauge per budget. Micrometer reads gauges one at a time, so
 * the budgets are read once into a snapshot that serves every gauge of one scrape (at most once a
 * second). Budgets that appear later (a new tenant's) are registered when calls show new series.
 */
final class Budgets {
  private static final long REFRESH_NANOS = 1_000_000_000L;
  private final Gauges gauges;
  private final Set<String> shown = new HashSet<>();
  private Map<String, Long> snapshot = Map.of();
  private long readAt;

  Budgets(Gauges gauges) {
    this.gauges = gauges;
  }

  /** Registers a gauge for each budget not yet registered. */
  synchronized void showNew(MicrometerBridge registry) {
    for (String name : read(true).keySet()) {
      if (shown.add(name)) {
        registry.gauge("tollgate.budget.remaining", "Credits left in each budget.", null, new String[] {"tollgate.budget", name},
            () -> remaining(name));
      }
    }
  }

  private synchronized double remaining(String name) {
    Long nanos = read(false).get(name);
    return nanos == null ? Double.NaN : Tally.credits(nanos);
  }

  private Map<String, Long> read(boolean now) {
    long t = System.nanoTime();
    if (now || t - readAt > REFRESH_NANOS || snapshot.isEmpty()) {
      Map<String, Long> m = new LinkedHashMap<>();
      gauges.forEachBudget(m::put);
      snapshot = m;
      readAt = t;
    }
    return snapshot;
  }
}
