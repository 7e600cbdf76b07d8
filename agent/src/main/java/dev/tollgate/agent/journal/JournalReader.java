package dev.tollgate.agent.journal;

import dev.tollgate.api.UsageRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Reads every journal file under a data dir in order. A line that is not a complete record (a torn
 * last write, a stray edit) is counted and skipped, never fatal.
 */
public final class JournalReader {

  /** What a read found. */
  public static final class Result {
    /** Journal files read. */
    public int files;
    public long records;
    /** Reconciliation lines: read, never counted as records or spend. */
    public long reconciliations;
    public long skipped;
  }

  private JournalReader() {}

  /**
   * Feeds every usage record to {@code consumer}; reconciliation lines are passed over (counted in
   * {@link Result#reconciliations}, never as spend). A missing journal directory reads as empty.
   */
  public static Result read(Path dataDir, Consumer<UsageRecord> consumer) throws IOException {
    return read(dataDir, consumer, r -> { });
  }

  /** Like {@link #read(Path, Consumer)}, and feeds every reconciliation to {@code reconciliations}. */
  public static Result read(Path dataDir, Consumer<UsageRecord> consumer, Consumer<Reconciliation> reconciliations) throws IOException {
    Result result = new Result();
    for (Path file : files(dataDir)) {
      result.files++;
      // A reader that replaces malformed bytes, not one that throws on them: a torn multi-byte
      // character in the last line must cost that line only (it then fails to parse and is skipped).
      try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          if (line.isBlank()) {
            continue;
          }
          Object r;
          try {
            r = JournalCodec.decodeAny(line);
          } catch (RuntimeException e) {
            result.skipped++;
            continue;
          }
          if (r instanceof Reconciliation) {
            result.reconciliations++;
            reconciliations.accept((Reconciliation) r);
          } else {
            result.records++;
            consumer.accept((UsageRecord) r);
          }
        }
      }
    }
    return result;
  }

  /** Every record, in journal order. */
  public static List<UsageRecord> readAll(Path dataDir) throws IOException {
    List<UsageRecord> all = new ArrayList<>();
    read(dataDir, all::add);
    return all;
  }

  static List<Path> files(Path dataDir) throws IOException {
    Path dir = UsageJournal.journalDir(dataDir);
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.filter(p -> p.getFileName().toString().matches("usage-\\d{4}-\\d{2}-\\d{2}\\.jsonl")).sorted().collect(java.util.stream.Collectors.toList());
    }
  }
}
