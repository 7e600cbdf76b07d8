package dev.tollgate.agent.instrument.net;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.journal.AtomicFiles;
import dev.tollgate.agent.journal.PrivateFiles;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.metrics.UnmeteredConnections;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code <data-dir>/unmetered-traffic/<pid>-<start>.json}: what this JVM's {@link UnmeteredConnections}
 * counted, for {@code doctor}, which runs in another JVM. One file per JVM, so JVMs sharing a data
 * dir never write the same file; the {@link #MAX_FILES} most recently written are kept. Each file is
 * replaced whole ({@link AtomicFiles}, owner-only) from a background thread when something was
 * counted since the last save ({@link #run}), and at exit; a connection only bumps a counter. It
 * holds hosts, ports, class names and counts: never a path, query or header. Made before {@code
 * main}, so nothing is loaded for it (JSON, the process handle) until the first save.
 */
public final class UnmeteredTrafficFile implements Runnable {
  /** How often a change is saved, at most. */
  public static final long SAVE_SECONDS = 5;
  /** Files kept in the directory: the JVMs that wrote last. */
  static final int MAX_FILES = 20;
  /** A file larger than this is not one of ours ({@link UnmeteredConnections#MAX_SERIES} entries take a few KB): skipped. */
  static final long MAX_BYTES = 1 << 20;
  /** A temporary file a killed JVM left is removed once this old. */
  private static final long STALE_TMP_MILLIS = 10 * 60_000L;

  private final Path dir;
  private final UnmeteredConnections seen;
  private final long startedMillis;
  /** This JVM's process id; -1 until the first save. */
  private long pid;

  UnmeteredTrafficFile(Path dataDir, UnmeteredConnections seen, long pid, long startedMillis) {
    this.dir = dir(dataDir);
    this.seen = seen;
    this.pid = pid;
    this.startedMillis = startedMillis;
  }

  /** This JVM's file in {@code dataDir}, for what {@code seen} counts. */
  public static UnmeteredTrafficFile of(Path dataDir, UnmeteredConnections seen) {
    return new UnmeteredTrafficFile(dataDir, seen, -1, System.currentTimeMillis());
  }

  /** What is saved. */
  public UnmeteredConnections connections() {
    return seen;
  }

  /** Where the JVMs on {@code dataDir} save their files. */
  public static Path dir(Path dataDir) {
    return dataDir.resolve("unmetered-traffic");
  }

  synchronized Path file() {
    if (pid < 0) {
      pid = ProcessHandle.current().pid();
    }
    return dir.resolve(pid + "-" + startedMillis + ".json");
  }

  /** {@link #saveIfChanged}: for the background executor and the shutdown hook. */
  @Override
  public void run() {
    saveIfChanged();
  }

  /** Saves when a connection was counted since the last save; a failure is logged once and retried at the next change. */
  public synchronized void saveIfChanged() {
    if (!seen.takeChanged()) {
      return;
    }
    try {
      save();
    } catch (IOException | RuntimeException e) {
      Log.once("unmetered-traffic-file", Log.Level.WARN, "cannot save the unmetered connections to " + dir + " for doctor ("
          + e.getMessage() + "); they are still counted in the metrics", null);
    }
  }

  synchronized void save() throws IOException {
    Path file = file();
    ObjectNode root = Json.MAPPER.createObjectNode();
    root.put("version", 1).put("pid", pid).put("started", Instant.ofEpochMilli(startedMillis).toString());
    ArrayNode array = root.putArray("connections");
    List<UnmeteredConnections.Entry> entries = new ArrayList<>();
    seen.forEach(entries::add);
    entries.sort(Comparator.comparing((UnmeteredConnections.Entry e) -> e.host).thenComparingInt(e -> e.port)
        .thenComparing(e -> e.client));
    for (UnmeteredConnections.Entry e : entries) {
      array.addObject().put("host", e.host).put("port", e.port).put("client", e.client).put("provider", e.provider)
          .put("action", e.action).put("count", e.count()).put("overflow", e.overflow)
          .put("first_seen", Instant.ofEpochMilli(e.firstSeenMillis).toString())
          .put("last_seen", Instant.ofEpochMilli(e.lastSeenMillis()).toString());
    }
    PrivateFiles.privateDirectory(dir);
    AtomicFiles.write(file, Json.MAPPER.writeValueAsBytes(root));
    prune(file);
  }

  /** Keeps the {@link #MAX_FILES} files written last (this JVM's always) and drops temporary files a killed JVM left. */
  private void prune(Path file) throws IOException {
    List<Path> files = new ArrayList<>();
    long now = System.currentTimeMillis();
    try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
      for (Path p : all) {
        String name = p.getFileName().toString();
        if (name.endsWith(".json") && !p.equals(file)) {
          files.add(p);
        } else if (name.endsWith(".tmp") && now - modified(p) > STALE_TMP_MILLIS) {
          Files.deleteIfExists(p);
        }
      }
    }
    if (files.size() < MAX_FILES) {
      return;
    }
    files.sort(Comparator.comparingLong(UnmeteredTrafficFile::modified).reversed());
    for (Path old : files.subList(MAX_FILES - 1, files.size())) {
      Files.deleteIfExists(old);
    }
  }

  private static long modified(Path p) {
    try {
      return Files.getLastModifiedTime(p).toMillis();
    } catch (IOException e) {
      return Long.MAX_VALUE; // gone or unreadable: not ours to delete now
    }
  }

  /** What the files of a data dir hold: every connection entry, and how many files could not be read. */
  public static final class Contents {
    public final List<Connection> connections = new ArrayList<>();
    /** Files that are torn, damaged, too large or not ours. */
    public int skipped;
  }

  /** One entry of one JVM's file. */
  public static final class Connection {
    public final String host;
    public final int port;
    public final String client;
    public final String provider;
    public final String action;
    public final long count;
    public final boolean overflow;
    public final Instant firstSeen;
    public final Instant lastSeen;
    public final long pid;

    Connection(JsonNode n, long pid) {
      this.host = text(n, "host");
      this.port = n.path("port").asInt(-1);
      this.client = text(n, "client");
      this.provider = text(n, "provider");
      this.action = text(n, "action");
      this.count = n.path("count").asLong(0);
      this.overflow = n.path("overflow").asBoolean(false);
      this.firstSeen = Instant.parse(text(n, "first_seen"));
      this.lastSeen = Instant.parse(text(n, "last_seen"));
      this.pid = pid;
    }

    private static String text(JsonNode n, String field) {
      JsonNode v = n.get(field);
      if (v == null || !v.isTextual()) {
        throw new IllegalArgumentException("no " + field);
      }
      return v.asText();
    }
  }

  /** Reads every file of {@code dataDir} (none when the directory does not exist); a file that cannot be read whole is skipped. */
  public static Contents read(Path dataDir) throws IOException {
    Contents out = new Contents();
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir(dataDir), "*.json")) {
      for (Path f : files) {
        readOne(f, out);
      }
    } catch (NoSuchFileException e) {
      return out;
    }
    return out;
  }

  private static void readOne(Path f, Contents out) {
    try {
      if (Files.size(f) > MAX_BYTES) {
        out.skipped++;
        return;
      }
      JsonNode root = Json.MAPPER.readTree(Files.readAllBytes(f));
      JsonNode array = root.get("connections"); // empty content reads as a missing node: none
      if (array == null || !array.isArray() || !root.path("pid").canConvertToLong()) {
        out.skipped++;
        return;
      }
      List<Connection> read = new ArrayList<>();
      for (JsonNode n : array) {
        read.add(new Connection(n, root.get("pid").asLong()));
      }
      out.connections.addAll(read);
    } catch (IOException | RuntimeException e) {
      out.skipped++; // torn (a copy cut short), damaged, or removed while listed
    }
  }

  /** Loaded at the first save or read, not when the agent starts. */
  private static final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper();
  }
}
