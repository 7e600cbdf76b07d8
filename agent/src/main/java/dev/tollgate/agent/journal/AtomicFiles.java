package dev.tollgate.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

/**
 * Writes a small file whole or not at all: a private temporary file beside it, forced to the disk,
 * then renamed over it in one atomic step (and the directory forced where the system allows). A
 * crash at any moment leaves the old file or the new one, never a part.
 */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Replaces {@code target} with {@code bytes}, readable and writable by the owner only; a crash leaves the old file or the new. */
  public static void write(Path target, byte[] bytes) throws IOException {
    // The absolute path's parent: a bare file name would otherwise get its temporary file in java.io.tmpdir,
    // another file system, where the atomic move fails.
    Path dir = Objects.requireNonNull(target.toAbsolutePath().getParent(), "a file has a directory");
    Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".tmp"); // 0600 where there are POSIX permissions
    try {
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        ByteBuffer b = ByteBuffer.wrap(bytes);
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(tmp);
    }
    forceDirectory(dir);
  }

  /** Makes the rename durable; not every system can open a directory, and then the rename is as durable as it gets. */
  private static void forceDirectory(Path dir) {
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException | RuntimeException e) {
      // best effort, as the journal's own rotation
    }
  }
}
