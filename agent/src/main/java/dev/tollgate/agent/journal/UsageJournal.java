package dev.tollgate.agent.journal;

import dev.tollgate.agent.log.Log;
import dev.tollgate.api.UsageRecord;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;

/**
 * The append-only journal: {@code <data-dir>/journal/usage-YYYY-MM-DD.jsonl}, one file per UTC day,
 * one JSON line per metered call.
 *
 * <p>Durability: {@link #append} hands the whole line to the operating system in one {@code
 * write(2)} on an {@code O_APPEND} file before it returns, so the record survives the JVM being
 * killed at any later moment. {@link #sync} forces it to the disk; the agent calls it every {@code
 * tollgate.journal-sync-interval} (100 ms by default) when something was written, and at exit.
 * Several JVMs may append to the same files: each line is one atomic append.
 */
public final class UsageJournal implements Closeable {
  private final Path dir;
  private FileChannel channel;
  private long day = Long.MIN_VALUE;
  private volatile boolean dirty;
  private boolean closed;

  private UsageJournal(Path dir) {
    this.dir = dir;
  }

  /** Opens (creating if needed) the journal under {@code dataDir}. */
  public static UsageJournal open(Path dataDir) throws IOException {
    return new UsageJournal(PrivateFiles.privateDirectory(journalDir(dataDir)));
  }

  public static Path journalDir(Path dataDir) {
    return dataDir.resolve("journal");
  }

  /** Appends {@code record}; it is in the operating system's hands when this returns. */
  public void append(UsageRecord record) throws IOException {
    append(JournalCodec.encode(record), record.time());
  }

  /** Appends a reconciliation line; readers of spend pass over it. */
  public void append(Reconciliation reconciliation) throws IOException {
    append(JournalCodec.encode(reconciliation), reconciliation.time);
  }

  private void append(byte[] encoded, java.time.Instant time) throws IOException {
    ByteBuffer line = ByteBuffer.wrap(encoded);
    long recordDay = time.atOffset(ZoneOffset.UTC).toLocalDate().toEpochDay();
    synchronized (this) {
      if (closed) {
        throw new IOException("journal is closed");
      }
      FileChannel ch = channelFor(Math.max(recordDay, day));
      while (line.hasRemaining()) {
        ch.write(line);
      }
      dirty = true;
    }
  }

  private FileChannel channelFor(long epochDay) throws IOException {
    if (epochDay != day || channel == null) {
      if (channel != null) {
        channel.force(false);
        channel.close();
      }
      Path file = dir.resolve("usage-" + LocalDate.ofEpochDay(epochDay) + ".jsonl");
      // Created owner-only, never readable by others even for a moment.
      channel = FileChannel.open(file, Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE),
          PrivateFiles.ownerOnly());
      day = epochDay;
      terminateTornLine(file);
    }
    return channel;
  }

  /** A crash mid-write can leave a last line without its newline: end it, so the next record starts clean. */
  private void terminateTornLine(Path file) throws IOException {
    long size = Files.size(file);
    if (size == 0) {
      return;
    }
    try (FileChannel reader = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer last = ByteBuffer.allocate(1);
      reader.read(last, size - 1);
      if (last.get(0) != '\n') {
        channel.write(ByteBuffer.wrap(new byte[] {'\n'}));
        Log.warn("journal " + file.getFileName() + " ended in a torn record (the JVM was stopped mid-write); it is skipped on read");
      }
    }
  }

  /** Forces appended records to the disk if any were written since the last sync. */
  public void sync() {
    if (!dirty) {
      return;
    }
    synchronized (this) {
      try {
        if (channel != null && !closed) {
          dirty = false;
          channel.force(false);
        }
      } catch (IOException e) {
        Log.once("journal-sync", Log.Level.WARN, "journal sync to disk failed; records are written but may not survive a power loss", e);
      }
    }
  }

  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    sync();
    closed = true;
    try {
      if (channel != null) {
        channel.close();
      }
    } catch (IOException e) {
      Log.once("journal-close", Log.Level.WARN, "journal close failed", e);
    }
  }
}
