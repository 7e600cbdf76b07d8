package dev.tollgate.agent.journal;

import dev.tollgate.agent.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The journal's history as recovery needs it, read in time that does not grow with it: the saved
 * {@link Checkpoint} plus what the daily files gained past its marks. A checkpoint that is missing,
 * torn or no longer matches the files is set aside and the whole journal read once instead (a
 * record at a time), so spend is never under-counted. Past days are kept summed up in {@link
 * Rollup}s, and days older than the retention are then deleted.
 */
public final class History {
  private final Path dataDir;
  private final SpendKeys keys;
  /** At start, a checkpoint is saved at once only after reading at least this much; a shorter tail is saved by the upkeep. */
  private static final long SAVE_AT_START_BYTES = 1 << 20;

  private @Nullable Checkpoint current;
  private long skipped;
  /** Damage the last update found and no earlier one reported: per daily file name, "N unreadable line(s)…". */
  private final Map<String, String> damage = new TreeMap<>();
  /** Bytes of daily files the last update read. */
  private long read;
  /** Whether {@link #current} holds more than the saved checkpoint. */
  private boolean unsaved;

  private History(Path dataDir, SpendKeys keys) {
    this.dataDir = dataDir;
    this.keys = keys;
  }

  public static History of(Path dataDir, SpendKeys keys) {
    return new History(dataDir, keys);
  }

  /** Unreadable lines the last {@link #update} read, in the middle of a file or a torn last line. */
  public synchronized long skipped() {
    return skipped;
  }

  /**
   * What the last {@link #update} found unreadable that no update before it reported (kept in the
   * checkpoint: a damaged line is reported once, not at every start), as one line; null for nothing.
   */
  public synchronized @Nullable String damage() {
    if (damage.isEmpty()) {
      return null;
    }
    StringJoiner s = new StringJoiner("; ", "journal: ", "");
    damage.forEach((file, what) -> s.add(file + " " + what));
    return s.toString();
  }

  /**
   * The tally of every record the journal holds now; saves the checkpoint when {@code save} and
   * something was read (a failed save is logged once: the next start reads a longer tail).
   */
  public synchronized Tally update(boolean save) throws IOException {
    return update(save ? 0 : Long.MAX_VALUE);
  }

  /**
   * {@link #update} for a start: saves the checkpoint at once only when it read a long tail or the
   * whole journal, where the write is small beside the read; otherwise the first call does not wait
   * for a file to be forced to the disk, and the next {@link #maintain} saves it.
   */
  public synchronized Tally recover() throws IOException {
    return update(SAVE_AT_START_BYTES);
  }

  private Tally update(long saveFromBytes) throws IOException {
    Checkpoint base = current != null ? current : Checkpoint.read(dataDir);
    String mismatch = base == null ? null : base.mismatch(dataDir, keys);
    if (mismatch != null) {
      Log.info("journal checkpoint not used (" + mismatch + "): reading the whole journal once");
    } else if (base == null && saveFromBytes != Long.MAX_VALUE && !Rollup.days(dataDir).isEmpty()) {
      Log.debug("no journal checkpoint yet: reading the whole journal once");
    }
    JournalReader.Result result = new JournalReader.Result();
    read = 0;
    damage.clear();
    Checkpoint next = base != null && mismatch == null ? copy(base) : new Checkpoint(keys.id(), new Tally());
    boolean changed = readPast(next, result) || base == null;
    skipped = result.skipped;
    next.tally.skipped += result.skipped - result.torn; // a torn last line is read again next time
    current = next;
    unsaved |= changed || mismatch != null || !damage.isEmpty();
    String found = damage();
    if (found != null && saveFromBytes != Long.MAX_VALUE) {
      Log.warn(found); // the agent's own reads (a start, the upkeep), not a command's
    }
    // Damage found is saved at once (where this update may save), so the next start does not report it again.
    if (unsaved && (read >= saveFromBytes || !damage.isEmpty() && saveFromBytes != Long.MAX_VALUE)) {
      try {
        next.write(dataDir);
        unsaved = false;
      } catch (IOException e) {
        Log.once("checkpoint-write", Log.Level.WARN, "cannot save the journal checkpoint; the next start reads more of the journal", e);
      }
    }
    return next.tally;
  }

  /** Adds to {@code c} what each day holds past its mark; returns whether anything was read. */
  private boolean readPast(Checkpoint c, JournalReader.Result result) throws IOException {
    boolean changed = false;
    for (LocalDate day : Rollup.days(dataDir)) {
      Path raw = JournalReader.fileOf(dataDir, day);
      FileMark mark = c.marks.get(day);
      if (!Files.exists(raw)) {
        c.torn.remove(day);
        changed |= mark == null && addRollup(c, day);
        continue;
      }
      long from = mark == null ? 0 : mark.bytes;
      long skippedBefore = result.skipped;
      long tornBefore = result.torn;
      long end = JournalReader.readFrom(raw, from, result, r -> c.tally.add(r, keys), r -> {});
      read += end - from;
      noteDamage(c, day, raw, result.skipped - skippedBefore - (result.torn - tornBefore), result.torn > tornBefore);
      if (mark == null || end != from) {
        c.marks.put(day, FileMark.of(raw, end));
        changed = true;
      }
    }
    return changed;
  }

  /**
   * Notes what a read of {@code day} past its mark found unreadable: {@code lines} consumed
   * (complete lines in the middle of the file), and whether it ends in a torn record. A torn record
   * already reported at the mark is not new, whether it is still torn or a later write completed
   * its line (which is then one of {@code lines}).
   */
  private void noteDamage(Checkpoint c, LocalDate day, Path raw, long lines, boolean tornTail) {
    boolean known = c.torn.remove(day);
    long newLines = known && lines > 0 ? lines - 1 : lines;
    boolean newTorn = tornTail && !(known && lines == 0);
    if (tornTail) {
      c.torn.add(day);
    }
    String file = raw.getFileName().toString();
    if (newLines > 0) {
      damage.put(file, newLines + " unreadable line(s) in the middle of the file (damaged or edited, or a record cut short by a crash "
          + "before later ones): skipped, their calls not counted" + (newTorn ? "; and it ends in a torn record" : ""));
    } else if (newTorn) {
      damage.put(file,
          "ends in a torn record (the JVM was stopped mid-write, or another JVM is writing it): skipped until its line is whole");
    }
  }

  /** A day only its rollup holds (retention deleted its file): its spend counts, its mark is the rollup's. */
  private boolean addRollup(Checkpoint c, LocalDate day) throws IOException {
    Rollup r = Rollup.read(dataDir, day);
    if (r == null) {
      return false;
    }
    c.tally.add(r);
    c.marks.put(day, r.source);
    return true;
  }

  private static Checkpoint copy(Checkpoint c) {
    Tally t = new Tally();
    t.spentNanos = c.tally.spentNanos;
    t.records = c.tally.records;
    t.skipped = c.tally.skipped;
    t.latest = c.tally.latest;
    t.hourly.putAll(c.tally.hourly);
    t.sums.putAll(c.tally.sums);
    Checkpoint copy = new Checkpoint(c.keys, t);
    copy.torn.addAll(c.torn);
    for (Map.Entry<LocalDate, FileMark> m : c.marks.entrySet()) {
      copy.marks.put(m.getKey(), m.getValue());
    }
    return copy;
  }

  /**
   * The background upkeep: saves the checkpoint, sums up every past day that has no current rollup,
   * and deletes daily files older than {@code retentionDays} (0 keeps every file) once their
   * rollup is saved and matches them.
   */
  public synchronized void maintain(LocalDate today, int retentionDays) throws IOException {
    update(true);
    for (LocalDate day : Rollup.days(dataDir)) {
      if (!day.isBefore(today)) {
        continue;
      }
      Rollup r = Rollup.current(dataDir, day, today, true);
      Path raw = JournalReader.fileOf(dataDir, day);
      if (retentionDays > 0 && r != null && current != null && day.isBefore(today.minusDays(retentionDays))
          && r.source.equals(current.marks.get(day))
          && r.source.matches(raw) && Files.size(raw) == r.source.bytes) {
        Files.delete(raw);
        Log.info("journal retention: deleted " + raw.getFileName() + " (its rollup keeps the day's totals)");
      }
    }
  }
}
