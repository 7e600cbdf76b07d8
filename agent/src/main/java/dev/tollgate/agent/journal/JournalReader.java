package dev.tollgate.agent.journal;

import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads journal files, a record at a time (never all of them at once), whole or from a byte offset.
 * A line that is not a complete record (a torn last write, a stray edit) is counted and skipped,
 * never fatal.
 */
public final class JournalReader {
  private static final Pattern DAY_FILE = Pattern.compile("usage-\\d{4}-\\d{2}-\\d{2}\\.jsonl");

  /** What a read found. */
  public static final class Result {
    /** Journal files read. */
    public int files;
    public long records;
    /** Reconciliation lines: read, never counted as records or spend. */
    public long reconciliations;
    /** Unreadable lines, {@link #torn} included. */
    public long skipped;
    /**
     * Of {@link #skipped}, last lines without a newline (a torn record, or a write still under way in
     * another JVM): not consumed, so read again next time. The others are in the middle of a file.
     */
    public long torn;
  }

  private JournalReader() {}

  /**
   * Feeds every usage record to {@code consumer}; reconciliation lines are passed over (counted in
   * {@link Result#reconciliations}, never as spend). A missing journal directory reads as empty.
   */
  public static Result read(Path dataDir, Consumer<UsageRecord> consumer) throws IOException {
    return read(dataDir, consumer, r -> {});
  }

  /** Like {@link #read(Path, Consumer)}, and feeds every reconciliation to {@code reconciliations}. */
  public static Result read(Path dataDir, Consumer<UsageRecord> consumer, Consumer<Reconciliation> reconciliations) throws IOException {
    Result result = new Result();
    for (Path file : files(dataDir)) {
      readFrom(file, 0, result, consumer, reconciliations);
    }
    return result;
  }

  /** Every record, in journal order. For tests and small journals: it holds them all. */
  public static List<UsageRecord> readAll(Path dataDir) throws IOException {
    List<UsageRecord> all = new ArrayList<>();
    read(dataDir, all::add);
    return all;
  }

  /**
   * Reads {@code file} from byte {@code from} on and returns the offset up to which it was consumed:
   * past every line that ends in a newline, and past a last line without one only if it is a
   * complete record (a last line that does not parse may be a write still under way in another JVM;
   * it is counted as skipped and read again next time). A missing file reads as empty.
   */
  public static long readFrom(Path file, long from, Result result, Consumer<UsageRecord> consumer,
      Consumer<Reconciliation> reconciliations) throws IOException {
    result.files++;
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      return from;
    }
    try (InputStream in = Channels.newInputStream(channel.position(from))) {
      return readLines(in, from, result, consumer, reconciliations);
    }
  }

  private static long readLines(InputStream in, long from, Result result, Consumer<UsageRecord> consumer,
      Consumer<Reconciliation> reconciliations) throws IOException {
    long consumed = from;
    byte[] chunk = new byte[64 * 1024];
    byte[] line = new byte[1024];
    int length = 0;
    for (int n; (n = in.read(chunk)) != -1;) {
      int start = 0;
      for (int i = 0; i < n; i++) {
        if (chunk[i] != '\n') {
          continue;
        }
        line = append(line, length, chunk, start, i - start);
        length += i - start;
        consumed += length + 1;
        accept(line, length, result, consumer, reconciliations);
        length = 0;
        start = i + 1;
      }
      line = append(line, length, chunk, start, n - start);
      length += n - start;
    }
    long skippedBefore = result.skipped;
    if (length > 0 && accept(line, length, result, consumer, reconciliations)) {
      consumed += length;
    } else if (result.skipped > skippedBefore) {
      result.torn++;
    }
    return consumed;
  }

  private static byte[] append(byte[] line, int length, byte[] chunk, int from, int count) {
    byte[] to = length + count <= line.length ? line : Arrays.copyOf(line, Math.max(line.length * 2, length + count));
    System.arraycopy(chunk, from, to, length, count);
    return to;
  }

  /** Decodes one line; returns whether it was a complete record or reconciliation (false for blank and skipped lines). */
  private static boolean accept(byte[] bytes, int length, Result result, Consumer<UsageRecord> consumer,
      Consumer<Reconciliation> reconciliations) {
    // Decoded replacing malformed bytes, not throwing on them: a torn multi-byte character in the
    // last line must cost that line only (it then fails to parse and is skipped).
    String line = new String(bytes, 0, length, StandardCharsets.UTF_8);
    if (line.isBlank()) {
      return false;
    }
    Object r;
    try {
      r = JournalCodec.decodeAny(line);
    } catch (RuntimeException e) {
      result.skipped++;
      return false;
    }
    if (r instanceof Reconciliation) {
      result.reconciliations++;
      reconciliations.accept((Reconciliation) r);
    } else {
      result.records++;
      consumer.accept((UsageRecord) r);
    }
    return true;
  }

  /** The journal's daily files, oldest first. */
  public static List<Path> files(Path dataDir) throws IOException {
    Path dir = UsageJournal.journalDir(dataDir);
    if (!FileProblems.isDirectory(dir)) { // none yet; one this user cannot read throws, never reads as no spend
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> DAY_FILE.matcher(p.getFileName().toString()).matches()).sorted().collect(Collectors.toList());
    }
  }

  /** The UTC day a daily file is named after. */
  public static LocalDate dayOf(Path file) {
    String name = file.getFileName().toString();
    return LocalDate.parse(name.substring("usage-".length(), "usage-".length() + 10));
  }

  /** The daily file of {@code day}. */
  public static Path fileOf(Path dataDir, LocalDate day) {
    return UsageJournal.journalDir(dataDir).resolve("usage-" + day + ".jsonl");
  }
}
