package dev.tollgate.agent.wallet;

import dev.tollgate.agent.journal.PrivateFiles;
import java.io.Closeable;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The files through which the JVMs on one data dir share its wallet, under {@code
 * <data-dir>/host-wallet/}:
 *
 * <ul>
 *   <li>{@code state}: the {@link HostLeaseBook}, replaced whole (temporary file, then an atomic
 *       rename), so a JVM killed while writing it leaves the previous state;
 *   <li>{@code lock}: locked exclusively ({@link FileChannel#lock}) while one JVM reads, changes and
 *       writes the state;
 *   <li>{@code <jvm>.jvm}: one per live JVM, locked by it for its whole life. The operating system
 *       drops the lock when the process dies however it dies, so a lock another JVM can take marks a
 *       dead holder. The file is also mapped into memory, and the JVM stores its spend total there
 *       at every settle (a memory write: no system call), so the lease of a JVM killed between two
 *       reports is reclaimed less exactly what it spent.
 * </ul>
 */
final class HostLeaseFile implements Closeable {
  /** File locks belong to the process: threads of one JVM (and tests holding several "JVMs") take turns here first. */
  private static final Object IN_PROCESS = new Object();
  private static final long MAGIC = 0x746f6c6c67617465L; // "tollgate"

  final String jvm;
  private final Path dir;
  private final FileChannel own;
  private final MappedByteBuffer spend;
  private final long lockTimeoutNanos;

  private HostLeaseFile(Path dir, String jvm, FileChannel own, MappedByteBuffer spend, Duration lockTimeout) {
    this.dir = dir;
    this.jvm = jvm;
    this.own = own;
    this.spend = spend;
    this.lockTimeoutNanos = lockTimeout.toNanos();
  }

  static Path dir(Path dataDir) {
    return dataDir.resolve("host-wallet");
  }

  /**
   * Registers {@code jvm} as alive: creates and locks its file, with {@code spentTotal} published.
   *
   * @param lockTimeout how long a state change waits for another JVM's
   */
  static HostLeaseFile open(Path dataDir, String jvm, long spentTotal, Duration lockTimeout) throws IOException {
    Path dir = PrivateFiles.privateDirectory(dir(dataDir));
    // Made under another name and renamed once locked: a file named *.jvm is locked from its first moment.
    Path starting = dir.resolve(jvm + ".starting");
    FileChannel ch = FileChannel.open(starting,
        Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE), PrivateFiles.ownerOnly());
    try {
      if (ch.tryLock() == null) {
        throw new IOException("cannot lock " + starting);
      }
      MappedByteBuffer m = ch.map(FileChannel.MapMode.READ_WRITE, 0, 16);
      m.putLong(0, MAGIC);
      m.putLong(8, spentTotal);
      Files.move(starting, dir.resolve(jvm + ".jvm"), StandardCopyOption.ATOMIC_MOVE);
      return new HostLeaseFile(dir, jvm, ch, m, lockTimeout);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /** Publishes this JVM's spend total: one store into the mapped file, called under the wallet's lock. */
  void publish(long spentTotal) {
    spend.putLong(8, spentTotal);
  }

  /** Reads, changes and writes the state under the exclusive file lock. */
  interface Change<T> {
    /** @param state the state file's lines, or null when there is none */
    T apply(@Nullable List<String> state, List<String> out) throws IOException;
  }

  /** Applies {@code change} under the lock; what it leaves in {@code out} becomes the new state. */
  <T> T update(Change<T> change) throws IOException {
    synchronized (IN_PROCESS) {
      try (FileChannel ch = FileChannel.open(dir.resolve("lock"),
          Set.of(StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE), PrivateFiles.ownerOnly())) {
        FileLock lock = acquire(ch);
        try {
          Path state = dir.resolve("state");
          List<String> lines = Files.exists(state) ? Files.readAllLines(state, StandardCharsets.UTF_8) : null;
          List<String> out = new java.util.ArrayList<>();
          T result = change.apply(lines, out);
          Path tmp = Files.createTempFile(dir, "state", ".tmp", PrivateFiles.ownerOnly());
          Files.write(tmp, out, StandardCharsets.UTF_8);
          Files.move(tmp, state, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
          return result;
        } finally {
          lock.release();
        }
      }
    }
  }

  private FileLock acquire(FileChannel ch) throws IOException {
    long deadline = System.nanoTime() + lockTimeoutNanos;
    for (FileLock l;;) {
      if ((l = ch.tryLock()) != null) {
        return l;
      }
      if (System.nanoTime() - deadline > 0) {
        throw new IOException("host wallet: " + dir.resolve("lock") + " held by another JVM for longer than "
            + TimeUnit.NANOSECONDS.toMillis(lockTimeoutNanos) + " ms");
      }
      try {
        Thread.sleep(1);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException("host wallet: interrupted while waiting for " + dir.resolve("lock"));
      }
    }
  }

  /**
   * Whether JVM {@code other} is alive: its file exists and is locked. Call under {@link #update}.
   * (A lock held elsewhere in this process reads as alive; closing the probe then drops that lock
   * at the OS level, which only tests holding several "JVMs" in one process can meet.)
   */
  boolean isAlive(String other) throws IOException {
    return other.equals(jvm) || isAlive(dir, other);
  }

  private static boolean isAlive(Path dir, String other) throws IOException {
    Path f = dir.resolve(other + ".jvm");
    if (!Files.exists(f)) {
      return false;
    }
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      FileLock l = ch.tryLock();
      if (l == null) {
        return true;
      }
      l.release();
      return false;
    } catch (OverlappingFileLockException e) {
      return true;
    }
  }

  /**
   * The JVMs the state names as holders that are dead now (none when there is no state). Read
   * without the lock: the state is replaced whole, never written in place.
   */
  static java.util.Set<String> deadHolders(Path dataDir) throws IOException {
    Path dir = dir(dataDir);
    Path state = dir.resolve("state");
    java.util.Set<String> dead = new java.util.HashSet<>();
    if (!Files.exists(state)) {
      return dead;
    }
    dead = new java.util.HashSet<>();
    for (String line : Files.readAllLines(state, StandardCharsets.UTF_8)) {
      String[] f = line.split(" ");
      if (f.length > 1 && f[0].equals("holder") && !isAlive(dir, f[1])) {
        dead.add(f[1]);
      }
    }
    return dead;
  }

  /** The spend total a dead JVM last published, or -1 when its file is gone or unreadable. */
  long publishedTotal(String other) {
    try {
      byte[] b = Files.readAllBytes(dir.resolve(other + ".jvm"));
      ByteBuffer buf = ByteBuffer.wrap(b);
      return b.length >= 16 && buf.getLong(0) == MAGIC ? buf.getLong(8) : -1;
    } catch (IOException e) {
      return -1;
    }
  }

  /** Deletes a dead JVM's file. */
  void forget(String other) throws IOException {
    Files.deleteIfExists(dir.resolve(other + ".jvm"));
  }

  /** The JVM files of dead JVMs that never took a lease (died while starting): safe to delete. */
  List<String> deadStrangers(List<String> holders) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      List<String> names = files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jvm"))
          .map(n -> n.substring(0, n.length() - 4)).filter(n -> !holders.contains(n)).collect(Collectors.toList());
      List<String> dead = new java.util.ArrayList<>();
      for (String n : names) {
        if (!isAlive(n)) {
          dead.add(n);
        }
      }
      return dead;
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Drops this JVM's lock (as its death would); its file stays for whoever reclaims its lease. */
  @Override
  public void close() throws IOException {
    own.close();
  }
}
