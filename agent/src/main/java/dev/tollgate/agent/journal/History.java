package dev.tollgate.agent.journal;

import dev.tollgate.agent.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Map;
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

  /** Unreadable lines the last {@link #update} read (a torn last write is expected after a crash). */
  public synchronized long skipped() {
    return skipped;
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
    Checkpoint next = base != null && mismatch == null ? copy(base) : new Checkpoint(keys.id(), new Tally());
    boolean changed = readPast(next, result) || base == null;
    skipped = result.skipped;
    next.tally.skipped += result.skipped;
    current = next;
    unsaved |= changed || mismatch != null;
    if (unsaved && read >= saveFromBytes) {
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
        changed |= mark == null && addRollup(c, day);
        continue;
      }
      long from = mark == null ? 0 : mark.bytes;
      long end = JournalReader.readFrom(raw, from, result, r -> c.tally.add(r, keys), r -> {});
      read += end - from;
      if (mark == null || end != from) {
        c.marks.put(day, FileMark.of(raw, end));
        changed = true;
      }
    }
    return changed;
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
