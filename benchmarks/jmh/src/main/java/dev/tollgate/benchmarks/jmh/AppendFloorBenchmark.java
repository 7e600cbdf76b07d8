package dev.tollgate.benchmarks.jmh;

import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The floor under the journal's append, as a design choice rather than as code: handing one record's
 * line (the bytes {@link JournalBenchmark}'s record encodes to) to the operating system in a {@code
 * write(2)}, as the journal does, against copying it into a memory-mapped file, the one design that
 * would keep the kill -9 guarantee without a system call per record. The mapped copy pays the page
 * faults of the fresh pages it fills (a new 64 MiB file whenever one is full), as such a journal
 * would. Neither encodes: {@link JournalBenchmark#append} is the whole append.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class AppendFloorBenchmark {
  private static final int MAPPED = 64 << 20;

  private Path dir;
  private byte[] line;
  private FileOutputStream out;
  private FileChannel mappedFile;
  private MappedByteBuffer mapped;
  private int files;

  @Setup
  public void setUp() throws IOException {
    try (Agent agent = Agent.install()) {
      agent.journal.append(JournalBenchmark.SETTLED);
      try (Stream<Path> days = Files.list(agent.dataDir.resolve("journal"))) {
        Path day = days.filter(p -> p.getFileName().toString().startsWith("usage-")).findFirst().orElseThrow();
        line = Files.readAllBytes(day);
      }
    }
    dir = Files.createTempDirectory("tollgate-append-floor");
    out = new FileOutputStream(dir.resolve("written.jsonl").toFile(), true);
    nextMapping();
  }

  @TearDown
  public void tearDown() throws IOException {
    out.close();
    mappedFile.close();
    try (Stream<Path> all = Files.list(dir)) {
      for (Path p : (Iterable<Path>) all::iterator) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  /** One {@code write(2)} of the line to a file opened for appending. */
  @Benchmark
  public void write() throws IOException {
    out.write(line);
  }

  /** The line copied into a mapped file: no system call, a page fault per fresh page. */
  @Benchmark
  public void mappedCopy() throws IOException {
    if (mapped.remaining() < line.length) {
      nextMapping();
    }
    mapped.put(line);
  }

  private void nextMapping() throws IOException {
    if (mappedFile != null) {
      mappedFile.close();
      Files.delete(dir.resolve("mapped-" + (files - 1) + ".jsonl"));
    }
    mappedFile = FileChannel.open(dir.resolve("mapped-" + files++ + ".jsonl"), StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
        StandardOpenOption.WRITE);
    mapped = mappedFile.map(FileChannel.MapMode.READ_WRITE, 0, MAPPED);
  }
}
