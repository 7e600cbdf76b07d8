package dev.tollgate.agent.journal;

import dev.tollgate.agent.log.Log;
import dev.tollgate.api.UsageRecord;
import java.io.Closeable;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * The append-only journal: {@code <data-dir>/journal/usage-YYYY-MM-DD.jsonl}, one file per UTC day,
 * one JSON line per metered call.
 *
 * <p>Durability: {@link #append} hands its line to the operating system in a {@code write(2)} on
 * an {@code O_APPEND} file before it returns, so the record survives the JVM being killed at any
 * later moment. {@link #sync} forces it to the disk; the agent calls it every {@code
 * tollgate.journal-sync-interval} (100 ms by default) when something was written, and at exit.
 *
 * <p>Group commit: a thread that finds no write under way encodes and writes its record at once,
 * with any queued behind the last write. Records appended while another thread is writing are
 * queued, and the next writer encodes all of them into one buffer (one reused encoder, no garbage
 * per record) and hands them to the operating system in one {@code write(2)}; each of those appends
 * returns once that write is done. One thread alone pays one write per record; many pay far fewer.
 * Several JVMs may append to the same files: a write holds whole lines only, and each is one atomic
 * append.
 *
 * <p>Interrupts: appends run on the application's threads, and a thread may carry its interrupt
 * flag into one (a task cancelled with {@code Future.cancel(true)} as its call returns). An
 * interruptible {@code FileChannel} would close itself on such a write, failing that record and
 * every later one. The journal writes through a {@link FileOutputStream} and syncs through its
 * {@link java.io.FileDescriptor}, neither of which reads the flag, and leaves the flag as it found it.
 */
public final class UsageJournal implements Closeable {
  /** A batch larger than this is written in several writes, each of whole lines. */
  private static final int MAX_WRITE = 1 << 20;
  private static final long SECONDS_PER_DAY = 86_400;
  private static final byte[] NEWLINE = {'\n'};

  private final Path dir;
  /** Guards {@link #queued}; never held while writing. */
  private final Object queue = new Object();
  private List<Line> queued = new ArrayList<>();
  /** Set with a line queued, cleared when the writer takes the queue: a lone writer need not lock it. */
  private volatile boolean anyQueued;
  /** Set holding both the queue's monitor and {@link #writeLock}, so either tells. */
  private volatile boolean closed;
  /** Held while encoding and writing; the rest is guarded by it. */
  private final ReentrantLock writeLock = new ReentrantLock();
  private List<Line> writing = new ArrayList<>();
  /** The record of the thread that found no write under way: a lone append allocates no {@link Line}. */
  private final Line own = new Line(null, 0);
  private final LineEncoder encoder = new LineEncoder();
  private byte[] batch = new byte[64 * 1024];
  private int batched;
  private @Nullable FileOutputStream out;
  private long day = Long.MIN_VALUE;
  private volatile boolean dirty;
  /** A failed write left part of a line in the file (a full disk): the next write starts a new line. */
  private boolean torn;
  private final Writer writer;

  /** How bytes reach the file; tests swap in one that fails part-way, as a full disk does. */
  interface Writer {
    /** Writes all of {@code b[off, off + len)} or throws, perhaps after writing part of it. */
    void write(FileOutputStream out, byte[] b, int off, int len) throws IOException;
  }

  private UsageJournal(Path dir, Writer writer) {
    this.dir = dir;
    this.writer = writer;
  }

  /** Opens (creating if needed) the journal under {@code dataDir}. */
  public static UsageJournal open(Path dataDir) throws IOException {
    return open(dataDir, FileOutputStream::write);
  }

  static UsageJournal open(Path dataDir, Writer writer) throws IOException {
    return new UsageJournal(PrivateFiles.privateDirectory(journalDir(dataDir)), writer);
  }

  public static Path journalDir(Path dataDir) {
    return dataDir.resolve("journal");
  }

  /** Appends {@code record}; it is in the operating system's hands when this returns. */
  public void append(UsageRecord record) throws IOException {
    append(record, record.time());
  }

  /** Appends a reconciliation line; readers of spend pass over it. */
  public void append(Reconciliation reconciliation) throws IOException {
    append(reconciliation, reconciliation.time);
  }

  private void append(Object record, Instant time) throws IOException {
    long epochDay = Math.floorDiv(time.getEpochSecond(), SECONDS_PER_DAY);
    if (writeLock.tryLock()) {
      appendNow(record, epochDay);
    } else {
      appendQueued(new Line(record, epochDay));
    }
  }

  /** No write under way: this thread writes its record at once. Holds the write lock, and releases it. */
  private void appendNow(Object record, long epochDay) throws IOException {
    try {
      if (closed) {
        throw new IOException("journal is closed");
      }
      own.record = record;
      own.day = epochDay;
      writeQueued(own);
      own.throwIfFailed();
    } finally {
      own.clear();
      writeLock.unlock();
    }
  }

  private void appendQueued(Line line) throws IOException {
    synchronized (queue) {
      if (closed) {
        throw new IOException("journal is closed");
      }
      queued.add(line);
      anyQueued = true;
    }
    writeLock.lock();
    try {
      if (!line.done) {
        writeQueued(null); // this thread's line and every line queued behind the last write
      }
    } finally {
      writeLock.unlock();
    }
    line.throwIfFailed();
  }

  /**
   * Writes every queued line, then {@code last} if given, each to the file of its day (never an
   * earlier day's than the last). Holds the write lock.
   */
  private void writeQueued(@Nullable Line last) {
    takeQueued();
    if (last != null) {
      writing.add(last);
    }
    int from = 0;
    try {
      for (int i = 0; i < writing.size(); i++) {
        Line line = writing.get(i);
        if (!encode(line)) {
          continue;
        }
        int length = encoder.length();
        long lineDay = Math.max(line.day, day);
        if (out == null || lineDay != day || batched + length > MAX_WRITE) {
          flushBatch();
          from = i;
          streamFor(lineDay);
        }
        if (batch.length - batched < length) {
          batch = Arrays.copyOf(batch, Math.max(batch.length * 2, batched + length));
        }
        System.arraycopy(encoder.bytes(), 0, batch, batched, length);
        batched += length;
      }
      flushBatch();
      from = writing.size();
    } catch (IOException | RuntimeException e) {
      batched = 0;
      for (int i = from; i < writing.size(); i++) {
        writing.get(i).failure = e;
      }
    } finally {
      for (Line line : writing) {
        line.done = true;
      }
      writing.clear();
    }
  }

  private void takeQueued() {
    if (!anyQueued) {
      return;
    }
    synchronized (queue) {
      List<Line> taken = queued;
      queued = writing;
      writing = taken;
      anyQueued = false;
    }
  }

  /** Encodes {@code line} into the encoder; a record that cannot be encoded fails its own append only. */
  private boolean encode(Line line) {
    try {
      encoder.encode(Objects.requireNonNull(line.record, "line.record"));
      return true;
    } catch (RuntimeException e) {
      line.unencodable = e;
      return false;
    }
  }

  private void flushBatch() throws IOException {
    if (batched == 0) {
      return;
    }
    FileOutputStream out = Objects.requireNonNull(this.out, "a batch is only filled after streamFor");
    try {
      if (torn) {
        writer.write(out, NEWLINE, 0, 1);
        torn = false;
      }
      writer.write(out, batch, 0, batched);
    } catch (IOException | RuntimeException e) {
      // Part of the batch may be in the file: without a newline first, the next record would be
      // glued to the fragment and both lines lost. (An empty line, if nothing was written, is skipped on read.)
      torn = true;
      throw e;
    } finally {
      dirty = true;
      batched = 0;
    }
  }

  private void streamFor(long epochDay) throws IOException {
    if (epochDay != day || out == null) {
      closeStream();
      Path file = dir.resolve("usage-" + LocalDate.ofEpochDay(epochDay) + ".jsonl");
      try {
        // Created owner-only, never readable by others even for a moment.
        Files.createFile(file, PrivateFiles.ownerOnly());
      } catch (FileAlreadyExistsException e) {
        // another JVM on this data dir, or an earlier run of this one, made it
      }
      FileOutputStream opened = new FileOutputStream(file.toFile(), true);
      try {
        // Had the file been deleted since, the open made it anew with the umask's permissions: no record is in it yet.
        PrivateFiles.makePrivate(file);
      } catch (IOException | RuntimeException e) {
        opened.close();
        throw e;
      }
      out = opened;
      day = epochDay;
      torn = endsTorn(file);
    }
  }

  /**
   * A crash mid-write can leave a last line without its newline: the next write then starts with
   * one (as after a write that failed part-way), so the next record starts clean.
   */
  private static boolean endsTorn(Path file) throws IOException {
    try (RandomAccessFile reader = new RandomAccessFile(file.toFile(), "r")) {
      long size = reader.length();
      if (size == 0) {
        return false;
      }
      reader.seek(size - 1);
      if (reader.read() == '\n') {
        return false;
      }
      // History's read (at start, or the upkeep's) reports the damage, once.
      Log.debug("journal " + file.getFileName() + " ended in a torn record: a newline first, so the next record starts clean");
      return true;
    }
  }

  /** Forces the open day's file to the disk and closes it. Holds the write lock. */
  private void closeStream() throws IOException {
    FileOutputStream o = out;
    if (o != null) {
      out = null;
      try {
        o.getFD().sync();
      } finally {
        o.close();
      }
    }
  }

  /**
   * Forces appended records to the disk if any were written since the last sync. Appends go on
   * meanwhile: only taking the stream holds the write lock, not the sync.
   */
  public void sync() {
    if (!dirty) {
      return;
    }
    FileOutputStream o;
    writeLock.lock();
    try {
      o = out;
      dirty = false;
    } finally {
      writeLock.unlock();
    }
    try {
      if (o != null) {
        o.getFD().sync();
      }
    } catch (IOException e) {
      if (o == null || rotatedOrClosed(o)) {
        return; // a day's rotation or close() closed it meanwhile, and synced it first
      }
      Log.once("journal-sync", Log.Level.WARN, "journal sync to disk failed; records are written but may not survive a power loss", e);
    }
  }

  private boolean rotatedOrClosed(FileOutputStream o) {
    writeLock.lock();
    try {
      return o != out;
    } finally {
      writeLock.unlock();
    }
  }

  @Override
  public void close() {
    writeLock.lock();
    try {
      synchronized (queue) {
        if (closed) {
          return;
        }
        closed = true;
      }
      writeQueued(null); // lines queued before the close: their appends are waiting for the write lock
      closeFile();
      batch = new byte[0];
    } finally {
      writeLock.unlock();
    }
  }

  private void closeFile() {
    try {
      closeStream();
    } catch (IOException e) {
      Log.once("journal-close", Log.Level.WARN, "journal close failed", e);
    }
  }

  /** One appended record and what became of it; written by the writer, read by its appender under the write lock. */
  private static final class Line {
    @Nullable
    Object record;
    long day;
    boolean done;
    @Nullable
    Exception failure;
    /** Set when the record could not be encoded: nothing of it was written. */
    @Nullable
    RuntimeException unencodable;

    Line(@Nullable Object record, long day) {
      this.record = record;
      this.day = day;
    }

    void throwIfFailed() throws IOException {
      if (unencodable != null) {
        throw unencodable; // as the encoder threw it, as before the encoding moved to the writer
      }
      if (failure != null) {
        throw failure instanceof IOException ? new IOException(failure.getMessage(), failure)
            : new IOException("journal write failed: " + failure, failure);
      }
    }

    void clear() {
      record = null;
      failure = null;
      unencodable = null;
      done = false;
    }
  }
}
