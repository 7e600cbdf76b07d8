package dev.tollgate.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Reads the journal a forked JVM wrote, line by line, as the raw JSON a user would see. */
final class Journal {
  private static final ObjectMapper JSON = new ObjectMapper();

  private Journal() {}

  static List<JsonNode> records(Path dataDir) {
    Path dir = dataDir.resolve("journal");
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    List<JsonNode> records = new ArrayList<>();
    try (Stream<Path> files = Files.list(dir)) {
      // The daily files only: the journal directory also holds the checkpoint and the rollups.
      for (Path f : files.filter(p -> p.getFileName().toString().matches("usage-\\d{4}-\\d{2}-\\d{2}\\.jsonl")).sorted()
          .collect(Collectors.toList())) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            records.add(JSON.readTree(line));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return records;
  }

  static JsonNode only(Path dataDir) {
    List<JsonNode> all = records(dataDir);
    if (all.size() != 1) {
      throw new AssertionError("expected exactly one journal record, found " + all.size() + ": " + all);
    }
    return all.get(0);
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
