package dev.tollgate.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UsageJournalTest {
  private static final Instant DAY_ONE = Instant.parse("2025-03-01T12:00:00Z");

  @TempDir
  Path dataDir;

  private static UsageRecord record(String id, Instant time) {
    return JournalCodecTest.fullRecord().toBuilder().id(id).time(time).build();
  }

  @Test
  void append_thenRead_roundTripsEveryRecordInOrder() throws IOException {
    List<UsageRecord> written = new ArrayList<>();
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      for (int i = 0; i < 5; i++) {
        UsageRecord r = record("r" + i, DAY_ONE.plusSeconds(i)).toBuilder().inputTokens(i * 1000L).build();
        journal.append(r);
        written.add(r);
      }
    }

    assertThat(JournalReader.readAll(dataDir)).containsExactlyElementsOf(written);
  }

  @Test
  void read_missingJournal_isEmpty() throws IOException {
    JournalReader.Result result = JournalReader.read(dataDir.resolve("nothing-here"), r -> {});

    assertThat(result.records).isZero();
    assertThat(result.skipped).isZero();
  }

  @Test
  void append_recordsOfDifferentUtcDays_goToOneFilePerDay() throws IOException {
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      journal.append(record("a", Instant.parse("2025-03-01T23:59:59.999Z")));
      journal.append(record("b", Instant.parse("2025-03-02T00:00:00Z")));
      journal.append(record("c", Instant.parse("2025-03-04T08:00:00Z")));
    }

    assertThat(fileNames()).containsExactly("usage-2025-03-01.jsonl", "usage-2025-03-02.jsonl", "usage-2025-03-04.jsonl");
    assertThat(JournalReader.readAll(dataDir)).extracting(UsageRecord::id).containsExactly("a", "b", "c");
  }

  @Test
  void append_recordOlderThanCurrentDay_staysInCurrentDayFile() throws IOException {
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      journal.append(record("late", Instant.parse("2025-03-02T00:00:01Z")));
      journal.append(record("early", Instant.parse("2025-03-01T23:59:59Z")));
    }

    assertThat(fileNames()).containsExactly("usage-2025-03-02.jsonl");
    assertThat(JournalReader.readAll(dataDir)).extracting(UsageRecord::id).containsExactly("late", "early");
  }

  @Test
  void read_tornLastLine_isSkippedAndCounted() throws IOException {
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      journal.append(record("a", DAY_ONE));
      journal.append(record("b", DAY_ONE));
    }
    appendRaw(tornLine());

    List<UsageRecord> read = new ArrayList<>();
    JournalReader.Result result = JournalReader.read(dataDir, read::add);

    assertThat(read).extracting(UsageRecord::id).containsExactly("a", "b");
    assertThat(result.records).isEqualTo(2);
    assertThat(result.skipped).isEqualTo(1);
  }

  @Test
  void append_afterReopeningJournalWithTornLastLine_startsOnACleanLine() throws IOException {
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      journal.append(record("a", DAY_ONE));
    }
    appendRaw(tornLine());

    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      journal.append(record("c", DAY_ONE));
    }

    List<UsageRecord> read = new ArrayList<>();
    JournalReader.Result result = JournalReader.read(dataDir, read::add);
    assertThat(read).extracting(UsageRecord::id).containsExactly("a", "c");
    assertThat(result.skipped).isEqualTo(1);
  }

  @Test
  void append_afterReopeningJournalWithTornLastLine_onAFullDisk_stillEndsTheTornLineBeforeTheNextRecord() throws IOException {
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      journal.append(record("a", DAY_ONE));
    }
    appendRaw(tornLine());
    int[] writes = {0};
    UsageJournal.Writer fullOnce = (out, b, off, len) -> {
      if (++writes[0] == 1) {
        throw new IOException("No space left on device");
      }
      out.write(b, off, len);
    };

    try (UsageJournal journal = UsageJournal.open(dataDir, fullOnce)) {
      assertThatThrownBy(() -> journal.append(record("lost", DAY_ONE))).hasMessageContaining("No space left");
      journal.append(record("c", DAY_ONE));
    }

    assertThat(JournalReader.readAll(dataDir)).extracting(UsageRecord::id).containsExactly("a", "c");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(onlyFile()))).isEqualTo("rw-------");
  }

  @Test
  void read_blankAndForeignLines_areSkippedNotFatal() throws IOException {
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      journal.append(record("a", DAY_ONE));
    }
    appendRaw("\n\nsomeone edited this file\n{\"v\":1}\n");

    List<UsageRecord> read = new ArrayList<>();
    JournalReader.Result result = JournalReader.read(dataDir, read::add);

    assertThat(read).extracting(UsageRecord::id).containsExactly("a");
    assertThat(result.skipped).isEqualTo(2);
  }

  @Test
  void files_otherFilesInJournalDir_areIgnored() throws IOException {
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      journal.append(record("a", DAY_ONE));
    }
    Path dir = UsageJournal.journalDir(dataDir);
    Files.writeString(dir.resolve("usage-2025-03-01.jsonl.bak"), "garbage\n");
    Files.writeString(dir.resolve("notes.txt"), "garbage\n");

    assertThat(JournalReader.files(dataDir)).extracting(p -> p.getFileName().toString()).containsExactly("usage-2025-03-01.jsonl");
  }

  @Test
  void append_fromManyThreads_givesExactlyOneReadableLineEach() throws Exception {
    int threads = 8;
    int each = 250;
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      runConcurrently(threads, t -> {
        for (int i = 0; i < each; i++) {
          journal.append(record(t + "-" + i, DAY_ONE));
        }
      });
    }

    List<UsageRecord> read = new ArrayList<>();
    JournalReader.Result result = JournalReader.read(dataDir, read::add);

    assertThat(result.skipped).isZero();
    assertThat(read).hasSize(threads * each);
    Set<String> ids = read.stream().map(UsageRecord::id).collect(Collectors.toSet());
    assertThat(ids).hasSize(threads * each);
    assertThat(Files.readAllLines(onlyFile())).hasSize(threads * each);
  }

  @Test
  void append_fromTwoJournalsOnTheSameDir_interleavesWholeLines() throws Exception {
    // Two JVMs sharing a data dir: each line is one O_APPEND write.
    try (UsageJournal first = UsageJournal.open(dataDir); UsageJournal second = UsageJournal.open(dataDir)) {
      runConcurrently(4, t -> {
        UsageJournal journal = t % 2 == 0 ? first : second;
        for (int i = 0; i < 200; i++) {
          journal.append(record(t + "-" + i, DAY_ONE));
        }
      });
    }

    JournalReader.Result result = JournalReader.read(dataDir, r -> {});

    assertThat(result.skipped).isZero();
    assertThat(result.records).isEqualTo(800);
  }

  @Test
  void append_fromAnInterruptedThread_isWritten_keepsTheFlag_andLeavesTheJournalWorkingForOthers() throws Exception {
    try (UsageJournal journal = UsageJournal.open(dataDir)) {
      journal.append(record("before", DAY_ONE));
      Thread.currentThread().interrupt();
      try {
        journal.append(record("interrupted", DAY_ONE));
        assertThat(Thread.currentThread().isInterrupted()).as("the application's interrupt is left for it").isTrue();
      } finally {
        Thread.interrupted();
      }
      journal.append(record("after", DAY_ONE));
      journal.sync();
    }

    assertThat(JournalReader.readAll(dataDir)).extracting(UsageRecord::id).containsExactly("before", "interrupted", "after");
  }

  @Test
  void append_afterClose_throws() throws IOException {
    UsageJournal journal = UsageJournal.open(dataDir);
    journal.close();

    assertThatThrownBy(() -> journal.append(record("a", DAY_ONE))).isInstanceOf(IOException.class);
  }

  @Test
  void syncAndClose_repeated_areHarmless() throws IOException {
    UsageJournal journal = UsageJournal.open(dataDir);
    journal.sync();
    journal.append(record("a", DAY_ONE));
    journal.sync();
    journal.sync();
    journal.close();
    journal.close();
    journal.sync();

    assertThat(JournalReader.readAll(dataDir)).hasSize(1);
  }

  @Test
  void open_createsOwnerOnlyDirectoryAndFiles() throws IOException {
    Path nested = dataDir.resolve("fresh");
    try (UsageJournal journal = UsageJournal.open(nested)) {
      journal.append(record("a", DAY_ONE));
    }

    if (Files.getFileStore(dataDir).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(UsageJournal.journalDir(nested)))).isEqualTo("rwx------");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(nested))).isEqualTo("rwx------");
      Path file = UsageJournal.journalDir(nested).resolve("usage-2025-03-01.jsonl");
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
  }

  @Test
  void append_afterAWriteThatFailedPartWay_startsOnANewLine_soNoOtherRecordIsLost() throws IOException {
    // A full disk: the second record's write stops after 40 bytes with ENOSPC; then space is freed.
    int[] appends = {0};
    UsageJournal.Writer diskFullOnce = (out, b, off, len) -> {
      if (++appends[0] == 2) {
        out.write(b, off, 40);
        throw new IOException("No space left on device");
      }
      out.write(b, off, len);
    };
    try (UsageJournal journal = UsageJournal.open(dataDir, diskFullOnce)) {
      journal.append(record("before", DAY_ONE));
      assertThatThrownBy(() -> journal.append(record("torn", DAY_ONE))).hasMessageContaining("No space left");
      journal.append(record("after", DAY_ONE));
    }

    JournalReader.Result result = JournalReader.read(dataDir, r -> {});
    assertThat(JournalReader.readAll(dataDir)).extracting(UsageRecord::id).containsExactly("before", "after");
    assertThat(result.skipped).isEqualTo(1);
  }

  private static String tornLine() {
    String full = new String(JournalCodec.encode(record("torn", DAY_ONE)), StandardCharsets.UTF_8);
    return full.substring(0, full.length() / 2);
  }

  private void appendRaw(String text) throws IOException {
    Files.write(onlyFile(), text.getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
  }

  private Path onlyFile() throws IOException {
    List<Path> files = JournalReader.files(dataDir);
    assertThat(files).hasSize(1);
    return files.get(0);
  }

  private List<String> fileNames() throws IOException {
    return JournalReader.files(dataDir).stream().map(p -> p.getFileName().toString()).collect(Collectors.toList());
  }

  private static void runConcurrently(int threads, ThreadTask task) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> futures = new ArrayList<>();
    try {
      for (int t = 0; t < threads; t++) {
        int id = t;
        futures.add(pool.submit(() -> {
          start.await();
          task.run(id);
          return null;
        }));
      }
      start.countDown();
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
      pool.awaitTermination(10, TimeUnit.SECONDS);
    }
  }

  /** Work for one of several threads. */
  interface ThreadTask {
    void run(int thread) throws Exception;
  }

}
