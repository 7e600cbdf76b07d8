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
  private static final byte[] NEWLINE = {'\n'};
  private final Path dir;
  private final Writer writer;
  private FileChannel channel;
  private long day = Long.MIN_VALUE;
  private volatile boolean dirty;
  private boolean closed;
  /** A failed append left part of its line in the file (a full disk): the next append starts a new line. */
  private boolean torn;

  /** How bytes reach the file; tests swap in one that fails part-way, as a full disk does. */
  interface Writer {
    int write(FileChannel channel, ByteBuffer src) throws IOException;
  }

  private UsageJournal(Path dir, Writer writer) {
    this.dir = dir;
    this.writer = writer;
  }

  /** Opens (creating if needed) the journal under {@code dataDir}. */
  public static UsageJournal open(Path dataDir) throws IOException {
    return open(dataDir, FileChannel::write);
  }

  static UsageJournal open(Path dataDir, Writer writer) throws IOException {
    return new UsageJournal(PrivateFiles.privateDirectory(journalDir(dataDir)), writer);
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
      if (torn) {
        writeFully(ch, ByteBuffer.wrap(NEWLINE));
        torn = false;
      }
      try {
        writeFully(ch, line);
      } finally {
        // Without this, the next record would be glued to the fragment and both lines lost.
        torn = line.position() > 0 && line.hasRemaining();
      }
      dirty = true;
    }
  }

  private void writeFully(FileChannel ch, ByteBuffer bytes) throws IOException {
    while (bytes.hasRemaining()) {
      writer.write(ch, bytes);
    }
  }

  private FileChannel channelFor(long epochDay) throws IOException {
    if (epochDay != day || channel == null) {
      if (channel != null) {
        channel.force(false);
        channel.close();
      }
      Path file = dir.resolve("usage-" + LocalDate.ofEpochDay(epochDay) + ".jsonl");
      boolean existed = Files.exists(file);
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE);
      if (!existed) {
        PrivateFiles.makePrivate(file);
      }
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
