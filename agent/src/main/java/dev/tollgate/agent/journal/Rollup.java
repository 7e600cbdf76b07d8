package dev.tollgate.agent.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * One daily file summed up: {@code <data-dir>/journal/usage-YYYY-MM-DD.rollup.json}. Calls, tokens
 * and cost per model, provider, operation, status, attributes and UTC day; spend per hour; and how
 * far into the daily file it has read ({@link FileMark}). {@code report} reads a past day from it;
 * once retention has deleted the daily file, it is that day's record.
 */
public final class Rollup {
  static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final LocalDate day;
  FileMark source = new FileMark(0, 0);
  long records;
  /** Unreadable lines the rollup has read past (in the middle of the file). */
  long skipped;
  /** Whether the daily file ends, past the mark, in a torn record (read again next time; never saved). */
  private boolean torn;
  @Nullable
  Instant first;
  @Nullable
  Instant last;
  final TreeMap<Long, Long> hourly = new TreeMap<>();
  private final Map<List<Object>, Group> groups = new LinkedHashMap<>();

  Rollup(LocalDate day) {
    this.day = day;
  }

  /** Calls with the same model, provider, operation, status, attributes and UTC day, summed. */
  public static final class Group {
    public final String day;
    public final String provider;
    public final String model;
    public final String operation;
    public final UsageRecord.Status status;
    public final Map<String, String> attributes;
    public long calls;
    public long inputTokens;
    public long outputTokens;
    public long cacheReadTokens;
    public long cacheWriteTokens;
    public long reasoningTokens;
    public long costNanos;

    Group(String day, String provider, String model, String operation, UsageRecord.Status status, Map<String, String> attributes) {
      this.day = day;
      this.provider = provider;
      this.model = model;
      this.operation = operation;
      this.status = status;
      this.attributes = attributes;
    }

    /** A group of one record: what a report reads from a day that has no rollup yet. */
    public static Group of(UsageRecord r) {
      Group g = new Group(dayOf(r.time()), r.provider(), r.model(), r.operation(), r.status(), new TreeMap<>(r.attributes()));
      g.add(r);
      return g;
    }

    void add(UsageRecord r) {
      calls++;
      inputTokens += r.inputTokens();
      outputTokens += r.outputTokens();
      cacheReadTokens += r.cacheReadTokens();
      cacheWriteTokens += r.cacheWriteTokens();
      reasoningTokens += r.reasoningTokens();
      costNanos += Money.toNanos(r.cost());
    }
  }

  /** Every group, in the order first seen. */
  public Collection<Group> groups() {
    return groups.values();
  }

  public LocalDate day() {
    return day;
  }

  /** Unreadable lines of the day's daily file, in its middle and a torn last line, as last read. */
  public long unreadable() {
    return skipped + (torn ? 1 : 0);
  }

  /** The time of the day's first record; null when it has none. */
  public @Nullable Instant first() {
    return first;
  }

  /** The time of the day's last record; null when it has none. */
  public @Nullable Instant last() {
    return last;
  }

  void add(UsageRecord r) {
    records++;
    first = first == null || r.time().isBefore(first) ? r.time() : first;
    last = last == null || r.time().isAfter(last) ? r.time() : last;
    String recordDay = dayOf(r.time());
    Map<String, String> attributes = new TreeMap<>(r.attributes());
    groups.computeIfAbsent(Arrays.asList(recordDay, r.provider(), r.model(), r.operation(), r.status(), attributes),
        k -> new Group(recordDay, r.provider(), r.model(), r.operation(), r.status(), attributes)).add(r);
    long nanos = Money.toNanos(r.cost());
    if (nanos != 0) {
      hourly.merge(Math.floorDiv(r.time().getEpochSecond(), 3600), nanos, Long::sum);
    }
  }

  private static String dayOf(Instant t) {
    return t.atOffset(ZoneOffset.UTC).toLocalDate().toString();
  }

  static Path file(Path dataDir, LocalDate day) {
    return UsageJournal.journalDir(dataDir).resolve("usage-" + day + ".rollup.json");
  }

  /** Every day with a daily file or a rollup, oldest first. */
  public static List<LocalDate> days(Path dataDir) throws IOException {
    TreeSet<LocalDate> days = new TreeSet<>();
    for (Path f : JournalReader.files(dataDir)) {
      days.add(JournalReader.dayOf(f));
    }
    Path dir = UsageJournal.journalDir(dataDir);
    if (Files.isDirectory(dir)) {
      try (Stream<Path> s = Files.list(dir)) {
        s.map(p -> p.getFileName().toString()).filter(n -> n.matches("usage-\\d{4}-\\d{2}-\\d{2}\\.rollup\\.json"))
            .forEach(n -> days.add(LocalDate.parse(n.substring(6, 16))));
      }
    }
    return new ArrayList<>(days);
  }

  /**
   * The day as its daily file holds it now: the saved rollup when it still matches the file, plus the
   * records appended since; else summed from the file. Saved again when {@code save}, the day is
   * before {@code today} and it changed. The saved rollup alone when the file is gone; null when
   * neither exists.
   */
  public static @Nullable Rollup current(Path dataDir, LocalDate day, LocalDate today, boolean save) throws IOException {
    Path raw = JournalReader.fileOf(dataDir, day);
    Rollup saved = read(dataDir, day);
    if (!Files.exists(raw)) {
      return saved;
    }
    Rollup r = saved != null && saved.source.matches(raw) ? saved : new Rollup(day);
    JournalReader.Result result = new JournalReader.Result();
    long end = JournalReader.readFrom(raw, r.source.bytes, result, r::add, x -> {});
    r.skipped += result.skipped - result.torn; // a torn last line is not past the mark: it is read again
    r.torn = result.torn > 0;
    if (end != r.source.bytes || r != saved) {
      r.source = FileMark.of(raw, end);
      if (save && day.isBefore(today)) {
        r.write(dataDir);
      }
    }
    return r;
  }

  void write(Path dataDir) throws IOException {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("version", VERSION).put("day", day.toString());
    n.putObject("source").put("bytes", source.bytes).put("crc", source.crc);
    n.put("records", records).put("skipped", skipped);
    n.put("first", first == null ? null : first.toString()).put("last", last == null ? null : last.toString());
    ObjectNode hours = n.putObject("hourly");
    hourly.forEach((hour, nanos) -> hours.put(Long.toString(hour), nanos));
    ArrayNode array = n.putArray("groups");
    for (Group g : groups.values()) {
      ObjectNode o = array.addObject();
      o.put("day", g.day).put("provider", g.provider).put("model", g.model).put("operation", g.operation)
          .put("status", g.status.name().toLowerCase(java.util.Locale.ROOT));
      ObjectNode attributes = o.putObject("attributes");
      g.attributes.forEach(attributes::put);
      o.put("calls", g.calls).put("input_tokens", g.inputTokens).put("output_tokens", g.outputTokens)
          .put("cache_read_tokens", g.cacheReadTokens).put("cache_write_tokens", g.cacheWriteTokens)
          .put("reasoning_tokens", g.reasoningTokens).put("cost_nanos", g.costNanos);
    }
    AtomicFiles.write(file(dataDir, day), MAPPER.writeValueAsBytes(n));
  }

  /** The saved rollup of {@code day}; null when there is none or it is damaged (it is then rebuilt from the file, if any). */
  static @Nullable Rollup read(Path dataDir, LocalDate day) throws IOException {
    JsonNode n;
    try {
      n = MAPPER.readTree(Files.readAllBytes(file(dataDir, day)));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      return null; // torn or not JSON
    }
    try {
      return parse(n, day);
    } catch (RuntimeException e) {
      return null;
    }
  }

  private static Rollup parse(JsonNode n, LocalDate day) {
    if (Tally.required(n, "version").asInt() != VERSION || !day.toString().equals(Tally.required(n, "day").asText())) {
      throw new IllegalArgumentException("another version or day");
    }
    Rollup r = new Rollup(day);
    JsonNode source = Tally.required(n, "source");
    r.source = new FileMark(Tally.required(source, "bytes").longValue(), Tally.required(source, "crc").longValue());
    r.records = Tally.required(n, "records").longValue();
    r.skipped = n.path("skipped").asLong();
    r.first = n.hasNonNull("first") ? Instant.parse(n.get("first").asText()) : null;
    r.last = n.hasNonNull("last") ? Instant.parse(n.get("last").asText()) : null;
    for (Iterator<Map.Entry<String, JsonNode>> it = Tally.required(n, "hourly").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      r.hourly.put(Long.parseLong(e.getKey()), e.getValue().longValue());
    }
    for (JsonNode o : Tally.required(n, "groups")) {
      r.addGroup(o);
    }
    return r;
  }

  private void addGroup(JsonNode o) {
    Map<String, String> attributes = new TreeMap<>();
    o.path("attributes").fields().forEachRemaining(e -> attributes.put(e.getKey(), e.getValue().asText()));
    UsageRecord.Status status = UsageRecord.Status.valueOf(Tally.required(o, "status").asText().toUpperCase(java.util.Locale.ROOT));
    Group g = new Group(Tally.required(o, "day").asText(), o.path("provider").asText(), o.path("model").asText(),
        o.path("operation").asText(), status, attributes);
    g.calls = Tally.required(o, "calls").longValue();
    g.inputTokens = o.path("input_tokens").asLong();
    g.outputTokens = o.path("output_tokens").asLong();
    g.cacheReadTokens = o.path("cache_read_tokens").asLong();
    g.cacheWriteTokens = o.path("cache_write_tokens").asLong();
    g.reasoningTokens = o.path("reasoning_tokens").asLong();
    g.costNanos = Tally.required(o, "cost_nanos").longValue();
    groups.put(Arrays.asList(g.day, g.provider, g.model, g.operation, g.status, attributes), g);
  }
}
