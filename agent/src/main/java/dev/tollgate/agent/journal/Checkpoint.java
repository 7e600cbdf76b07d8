package dev.tollgate.agent.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * {@code <data-dir>/journal/checkpoint.json}: a {@link Tally} of the journal up to a {@link
 * FileMark} in each daily file, and the {@link SpendKeys} it was summed with. Written whole or not
 * at all ({@link AtomicFiles}); one that does not parse, was summed with other keys, or no longer
 * matches the files it marks is never used.
 */
final class Checkpoint {
  static final int VERSION = 1;
  private static final ObjectMapper MAPPER = new ObjectMapper();

  final String keys;
  final Tally tally;
  /** Per day: how far its daily file was read (or, for a day only a rollup holds, the rollup's mark). */
  final TreeMap<LocalDate, FileMark> marks = new TreeMap<>();
  /**
   * Days whose daily file, at its mark, holds an unreadable last line (a torn record) already reported:
   * said once, not again at each start while it stays there, nor when a later write completes its line.
   */
  final TreeSet<LocalDate> torn = new TreeSet<>();

  Checkpoint(String keys, Tally tally) {
    this.keys = keys;
    this.tally = tally;
  }

  static Path file(Path dataDir) {
    return UsageJournal.journalDir(dataDir).resolve("checkpoint.json");
  }

  /**
   * Why this checkpoint cannot be used for {@code dataDir} with {@code keys}, or null when it can: a
   * file it read was rewritten or truncated, or a day it read is gone without the rollup retention
   * leaves.
   */
  @Nullable
  String mismatch(Path dataDir, SpendKeys keys) throws IOException {
    if (!this.keys.equals(keys.id())) {
      return "it was made with other budget keys";
    }
    for (Map.Entry<LocalDate, FileMark> m : marks.entrySet()) {
      Path raw = JournalReader.fileOf(dataDir, m.getKey());
      if (Files.exists(raw)) {
        if (!m.getValue().matches(raw)) {
          return raw.getFileName() + " was rewritten or truncated since";
        }
      } else {
        Rollup saved = Rollup.read(dataDir, m.getKey());
        if (saved == null || !saved.source.equals(m.getValue())) {
          return raw.getFileName() + " is gone and no rollup holds what it held";
        }
      }
    }
    return null;
  }

  void write(Path dataDir) throws IOException {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("version", VERSION).put("keys", keys);
    tally.writeTo(n);
    ObjectNode files = n.putObject("files");
    marks.forEach((day, mark) -> files.putObject(day.toString()).put("bytes", mark.bytes).put("crc", mark.crc));
    if (!torn.isEmpty()) {
      com.fasterxml.jackson.databind.node.ArrayNode days = n.putArray("torn");
      torn.forEach(day -> days.add(day.toString()));
    }
    PrivateFiles.privateDirectory(UsageJournal.journalDir(dataDir));
    AtomicFiles.write(file(dataDir), MAPPER.writeValueAsBytes(n));
  }

  /** The saved checkpoint; null when there is none, or it is torn or damaged. */
  static @Nullable Checkpoint read(Path dataDir) throws IOException {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file(dataDir));
    } catch (NoSuchFileException e) {
      return null;
    }
    try {
      return parse(MAPPER.readTree(bytes));
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static Checkpoint parse(JsonNode n) {
    if (Tally.required(n, "version").asInt() != VERSION) {
      throw new IllegalArgumentException("another version");
    }
    Checkpoint c = new Checkpoint(Tally.required(n, "keys").asText(), Tally.readFrom(n));
    for (Iterator<Map.Entry<String, JsonNode>> it = Tally.required(n, "files").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      c.marks.put(LocalDate.parse(e.getKey()),
          new FileMark(Tally.required(e.getValue(), "bytes").longValue(), Tally.required(e.getValue(), "crc").longValue()));
    }
    n.path("torn").forEach(day -> c.torn.add(LocalDate.parse(day.asText())));
    return c;
  }
}
