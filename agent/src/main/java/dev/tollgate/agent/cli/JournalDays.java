package dev.tollgate.agent.cli;

import dev.tollgate.agent.journal.JournalReader;
import dev.tollgate.agent.journal.Reconciliation;
import dev.tollgate.agent.journal.Rollup;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The one way every report ({@code report} in any grouping and range, {@code report --html}) reads a
 * data dir: a day at a time ({@link Rollup#days}), each day from its daily file or, once retention
 * deleted the file, from its rollup, so what a report counts is what the journal and the rollups
 * hold, never less. Holds one day's groups at most, never the records.
 *
 * <p>A day whose daily file is there is read from its rollup ({@link Rollup#current}: saved, plus the
 * records past its mark) when every record of it lies inside the range and the reader takes groups;
 * else record by record, each record counted if it lies inside the range. A day only its rollup
 * holds has day resolution: it is counted whole when any of its records may lie inside the range
 * ({@link #rolledUpOnly}), and named in {@link #cut} when the range starts or ends inside it.
 */
final class JournalDays {
  /** What a report says of {@link #rolledUpOnly} days where it shows hours. */
  static final String PER_DAY = "only their rollups are left (retention deleted the daily files), which hold no hours: "
      + "each day is counted whole, under its date";
  /** What a report says of {@link #cut} days. */
  static final String WHOLE = "the range starts or ends inside these days, which only their rollups hold (per day): "
      + "each is counted whole";

  /** What a report takes in. */
  interface Sink {
    /** A record inside the range. */
    void record(UsageRecord r);

    /** A whole day's groups: a day inside the range, or a day only its rollup holds. */
    void day(Rollup day);

    /** A reconciliation whose window ends inside the range (only when reading records). */
    default void reconciliation(Reconciliation r) {}
  }

  /** Days counted from a rollup alone (their daily files deleted by retention): counted per day, not per hour. */
  final List<LocalDate> rolledUpOnly = new ArrayList<>();
  /** Of {@link #rolledUpOnly}, the days the range starts or ends inside: counted whole. */
  final List<LocalDate> cut = new ArrayList<>();
  /**
   * Unreadable lines per daily file (its name), in any day, inside the range or not (an unreadable
   * line has no time): skipped, so their calls are in no report.
   */
  final Map<String, Long> unreadable = new TreeMap<>();

  /** No day read: a report made of given records. */
  static final JournalDays NONE = new JournalDays();

  private JournalDays() {}

  /**
   * Feeds {@code sink} every day of {@code dataDir} that may hold a record inside {@code range}.
   *
   * @param byRecord whether days whose daily files are there must be read record by record (the
   *     reader needs each record's time: hours, the first and last record)
   * @param today the UTC day today: its rollup is never saved
   */
  static JournalDays read(Path dataDir, TimeRange range, LocalDate today, boolean byRecord, Sink sink) throws IOException {
    JournalDays days = new JournalDays();
    for (LocalDate day : Rollup.days(dataDir)) {
      Path raw = JournalReader.fileOf(dataDir, day);
      boolean fileThere = Files.exists(raw);
      if (fileThere && byRecord) {
        days.readRecords(raw, range, sink);
        continue;
      }
      Rollup r = current(dataDir, day, today);
      if (r == null) {
        continue;
      }
      if (r.unreadable() > 0) {
        days.unreadable.put(raw.getFileName().toString(), r.unreadable());
      }
      if (r.first() == null || outside(r, range)) {
        continue;
      }
      boolean whole = inside(r, range);
      if (fileThere && !whole) {
        days.unreadable.remove(raw.getFileName().toString()); // counted by the read of its records
        days.readRecords(raw, range, sink); // the range cuts the day: its records say what lies inside
        continue;
      }
      sink.day(r);
      if (!fileThere) {
        days.rolledUpOnly.add(day);
        if (!whole) {
          days.cut.add(day);
        }
      }
    }
    return days;
  }

  /** {@code days} as a report names them: {@code 2026-09-01, 2026-10-01}. */
  static String list(List<LocalDate> days) {
    StringBuilder s = new StringBuilder();
    days.forEach(d -> s.append(s.length() == 0 ? "" : ", ").append(d));
    return s.toString();
  }

  /** One line per file with unreadable lines, for stderr (never stdout, which may be JSON). */
  List<String> unreadableLines() {
    List<String> lines = new ArrayList<>();
    unreadable.forEach((file, n) -> lines.add("tollgate: skipped " + n + " unreadable line(s) in " + file
        + " (damaged, edited, or a record cut short by a crash): their calls are not in this report"));
    return lines;
  }

  private void readRecords(Path raw, TimeRange range, Sink sink) throws IOException {
    JournalReader.Result result = new JournalReader.Result();
    JournalReader.readFrom(raw, 0, result, r -> {
      if (range.contains(r.time())) {
        sink.record(r);
      }
    }, c -> {
      if (range.contains(c.windowEnd)) {
        sink.reconciliation(c);
      }
    });
    if (result.skipped > 0) {
      unreadable.put(raw.getFileName().toString(), result.skipped);
    }
  }

  /** The day now, from its rollup (saved when it changed, where the data dir can be written). */
  private static @Nullable Rollup current(Path dataDir, LocalDate day, LocalDate today) throws IOException {
    try {
      return Rollup.current(dataDir, day, today, true);
    } catch (IOException e) {
      return Rollup.current(dataDir, day, today, false); // a data dir this user may read but not write (or a full disk)
    }
  }

  private static boolean inside(Rollup r, TimeRange range) {
    return range.contains(first(r)) && range.contains(last(r));
  }

  private static boolean outside(Rollup r, TimeRange range) {
    return range.from != null && last(r).isBefore(range.from) || range.until != null && !first(r).isBefore(range.until);
  }

  private static Instant first(Rollup r) {
    return java.util.Objects.requireNonNull(r.first(), "a day with records");
  }

  private static Instant last(Rollup r) {
    return java.util.Objects.requireNonNull(r.last(), "a day with records");
  }
}
