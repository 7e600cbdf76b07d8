package dev.tollgate.agent.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.time.Instant;
import java.util.Collections;
import java.util.Iterator;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * What recovery needs of the journal's history, in sums that never grow with the number of records:
 * the wallet's total spend, its spend per UTC hour (which the local wallet's buckets are replayed
 * from, whatever grants and budget the next start has), and keyed sums ({@link SpendKeys}).
 */
public final class Tally {
  private static final long SECONDS_PER_HOUR = 3600;

  long spentNanos;
  long records;
  long skipped;
  @Nullable
  Instant latest;
  final TreeMap<Long, Long> hourly = new TreeMap<>();
  final TreeMap<String, Long> sums = new TreeMap<>();

  /** The total cost of every record, in nano-credits. */
  public long spentNanos() {
    return spentNanos;
  }

  public long records() {
    return records;
  }

  /** The keyed sums, in nano-credits (see {@link SpendKeys}). */
  public SortedMap<String, Long> sums() {
    return Collections.unmodifiableSortedMap(sums);
  }

  /**
   * Each hour's spend, oldest first, as at the last instant of that hour (never after the latest
   * record): replaying it onto buckets can only expire more of a bucket than per-record replay, never
   * less, so the balance it gives is never higher.
   */
  public void forEachHour(BiConsumer<Instant, Long> spend) {
    hourly.forEach((hour, nanos) -> {
      Instant end = Instant.ofEpochSecond((hour + 1) * SECONDS_PER_HOUR).minusNanos(1);
      spend.accept(latest != null && latest.isBefore(end) ? latest : end, nanos);
    });
  }

  void add(UsageRecord r, SpendKeys keys) {
    records++;
    if (latest == null || r.time().isAfter(latest)) {
      latest = r.time();
    }
    long nanos = Money.toNanos(r.cost());
    if (nanos == 0) {
      return;
    }
    spentNanos += nanos;
    hourly.merge(Math.floorDiv(r.time().getEpochSecond(), SECONDS_PER_HOUR), nanos, Long::sum);
    keys.keys(r, key -> sums.merge(key, nanos, Long::sum));
  }

  /** Adds a day known only from its rollup (its file deleted by retention): the wallet's part only. */
  void add(Rollup day) {
    records += day.records;
    skipped += day.skipped;
    if (day.last != null && (latest == null || day.last.isAfter(latest))) {
      latest = day.last;
    }
    day.hourly.forEach((hour, nanos) -> {
      spentNanos += nanos;
      hourly.merge(hour, nanos, Long::sum);
    });
  }

  void writeTo(ObjectNode n) {
    n.put("spent_nanos", spentNanos).put("records", records).put("skipped", skipped);
    n.put("latest", latest == null ? null : latest.toString());
    ObjectNode hours = n.putObject("hourly");
    hourly.forEach((hour, nanos) -> hours.put(Long.toString(hour), nanos));
    ObjectNode keyed = n.putObject("sums");
    sums.forEach(keyed::put);
  }

  static Tally readFrom(JsonNode n) {
    Tally t = new Tally();
    t.spentNanos = required(n, "spent_nanos").longValue();
    t.records = required(n, "records").longValue();
    t.skipped = n.path("skipped").asLong();
    t.latest = n.hasNonNull("latest") ? Instant.parse(n.get("latest").asText()) : null;
    long sum = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = required(n, "hourly").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      t.hourly.put(Long.parseLong(e.getKey()), e.getValue().longValue());
      sum += e.getValue().longValue();
    }
    if (sum != t.spentNanos) {
      throw new IllegalArgumentException("hourly spend does not add up to the total");
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = required(n, "sums").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      t.sums.put(e.getKey(), e.getValue().longValue());
    }
    return t;
  }

  static JsonNode required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      throw new IllegalArgumentException("no " + field);
    }
    return v;
  }
}
