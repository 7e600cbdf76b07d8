package dev.tollgate.agent.instrument.net;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.journal.PrivateFiles;
import dev.tollgate.agent.metrics.UnmeteredConnections;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UnmeteredTrafficFileTest {
  private static final long T0 = Instant.parse("2026-12-07T09:00:00Z").toEpochMilli();

  @TempDir
  Path tmp;
  private Path dataDir;
  private final AtomicLong now = new AtomicLong(T0);
  private final UnmeteredConnections seen = new UnmeteredConnections(now::get);
  private UnmeteredTrafficFile file;

  @BeforeEach
  void dataDir() throws IOException {
    dataDir = PrivateFiles.privateDirectory(tmp.resolve("data"));
    file = new UnmeteredTrafficFile(dataDir, seen, 4242, T0);
  }

  private List<String> names() throws IOException {
    try (Stream<Path> files = Files.list(UnmeteredTrafficFile.dir(dataDir))) {
      return files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void saveIfChanged_writesAPrivateFile_thatReadGivesBackWhole() throws IOException {
    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);
    now.set(T0 + 2_000);
    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);
    seen.add("127.0.0.1", 8080, "com.acme.Other", "fake", true);

    file.saveIfChanged();

    assertThat(names()).containsExactly("4242-" + T0 + ".json"); // no temporary file left
    if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.file()))).isEqualTo("rw-------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(UnmeteredTrafficFile.dir(dataDir)))).isEqualTo("rwx------");
    }
    UnmeteredTrafficFile.Contents read = UnmeteredTrafficFile.read(dataDir);
    assertThat(read.skipped).isZero();
    assertThat(read.connections).extracting(c -> c.host + ":" + c.port + " " + c.client + " " + c.provider + " " + c.action + " "
        + c.count + " " + c.firstSeen + " " + c.lastSeen + " " + c.pid).containsExactly(
            "127.0.0.1:8080 com.acme.Other fake refused 1 2026-12-07T09:00:02Z 2026-12-07T09:00:02Z 4242",
            "api.openai.com:443 com.acme.Raw openai warned 2 2026-12-07T09:00:00Z 2026-12-07T09:00:02Z 4242");
  }

  @Test
  void saveIfChanged_nothingCountedSince_writesNothing() throws IOException {
    file.saveIfChanged();
    assertThat(UnmeteredTrafficFile.dir(dataDir)).doesNotExist(); // nothing seen: no directory either

    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);
    file.saveIfChanged();
    Files.delete(file.file());
    file.saveIfChanged();
    assertThat(file.file()).doesNotExist();

    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);
    file.saveIfChanged();
    assertThat(UnmeteredTrafficFile.read(dataDir).connections).singleElement().satisfies(c -> assertThat(c.count).isEqualTo(2));
  }

  @Test
  void read_noDirectory_isEmpty() throws IOException {
    UnmeteredTrafficFile.Contents read = UnmeteredTrafficFile.read(dataDir);

    assertThat(read.connections).isEmpty();
    assertThat(read.skipped).isZero();
  }

  @Test
  void read_tornDamagedOrForeignFiles_areSkipped_theOthersRead() throws IOException {
    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);
    file.save();
    Path dir = UnmeteredTrafficFile.dir(dataDir);
    byte[] whole = Files.readAllBytes(file.file());
    Files.write(dir.resolve("1-1.json"), Arrays.copyOf(whole, whole.length / 2)); // a copy cut short
    Files.write(dir.resolve("2-2.json"), new byte[0]);
    Files.writeString(dir.resolve("3-3.json"), "{\"pid\":3,\"connections\":[{\"host\":\"h\",\"port\":1}]}"); // an entry without its fields
    Files.writeString(dir.resolve("4-4.json"), "[1,2,3]");
    Files.write(dir.resolve("5-5.json"), new byte[(int) UnmeteredTrafficFile.MAX_BYTES + 1]);
    Files.writeString(dir.resolve("notes.txt"), "not ours, not read");

    UnmeteredTrafficFile.Contents read = UnmeteredTrafficFile.read(dataDir);

    assertThat(read.skipped).isEqualTo(5);
    assertThat(read.connections).singleElement().satisfies(c -> assertThat(c.client).isEqualTo("com.acme.Raw"));
  }

  @Test
  void save_keepsTheFilesWrittenLast_ownAlways_andDropsStaleTemporaryFiles() throws IOException {
    Path dir = PrivateFiles.privateDirectory(UnmeteredTrafficFile.dir(dataDir));
    long old = System.currentTimeMillis() - 3_600_000;
    for (int i = 0; i < UnmeteredTrafficFile.MAX_FILES + 5; i++) {
      Path other = Files.writeString(dir.resolve("100" + i + "-1.json"), "{}");
      Files.setLastModifiedTime(other, FileTime.fromMillis(old + i * 1000L)); // 1000-1.json oldest
    }
    Path staleTmp = Files.writeString(dir.resolve(".9-9.json123.tmp"), "{");
    Files.setLastModifiedTime(staleTmp, FileTime.fromMillis(old));
    Path freshTmp = Files.writeString(dir.resolve(".8-8.json456.tmp"), "{"); // another JVM writing now
    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);

    file.save();

    List<String> names = names();
    assertThat(names).filteredOn(n -> n.endsWith(".json")).hasSize(UnmeteredTrafficFile.MAX_FILES)
        .contains(file.file().getFileName().toString(), "1006-1.json", "10024-1.json").doesNotContain("1000-1.json", "1005-1.json");
    assertThat(names).contains(freshTmp.getFileName().toString()).doesNotContain(staleTmp.getFileName().toString());
  }

  @Test
  void save_holdsHostPortClassAndCounts_only() throws IOException {
    seen.add("api.openai.com", 443, "com.acme.Raw", "openai", false);

    file.save();

    String text = Files.readString(file.file());
    assertThat(text).startsWith(
        "{\"version\":1,\"pid\":4242,\"started\":\"2026-12-07T09:00:00Z\",\"connections\":[{\"host\":\"api.openai.com\","
            + "\"port\":443,\"client\":\"com.acme.Raw\",\"provider\":\"openai\",\"action\":\"warned\",\"count\":1,\"overflow\":false,"
            + "\"first_seen\":\"2026-12-07T09:00:00Z\",\"last_seen\":\"2026-12-07T09:00:00Z\"}]}");
  }
}
