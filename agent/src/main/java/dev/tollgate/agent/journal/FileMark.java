package dev.tollgate.agent.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * How far into a daily file a checkpoint or rollup has read: a byte count, and a CRC of the first
 * and last few kilobytes of those bytes, so a file that was rewritten, truncated or replaced since
 * (the same name, other contents) is told from one that only grew.
 */
final class FileMark {
  private static final int SAMPLE = 4096;

  final long bytes;
  final long crc;

  FileMark(long bytes, long crc) {
    this.bytes = bytes;
    this.crc = crc;
  }

  /** The mark of the first {@code bytes} bytes of {@code file}. */
  static FileMark of(Path file, long bytes) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return new FileMark(bytes, crc(ch, bytes));
    }
  }

  /** Whether {@code file} still starts with the bytes this mark was taken of. */
  boolean matches(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      return ch.size() >= bytes && crc(ch, bytes) == crc;
    } catch (NoSuchFileException e) {
      return false;
    }
  }

  private static long crc(FileChannel ch, long bytes) throws IOException {
    CRC32 crc = new CRC32();
    update(crc, ch, 0, Math.min(SAMPLE, bytes));
    long tail = Math.max(Math.min(SAMPLE, bytes), bytes - SAMPLE);
    update(crc, ch, tail, bytes - tail);
    crc.update((int) (bytes ^ (bytes >>> 32)));
    return crc.getValue();
  }

  private static void update(CRC32 crc, FileChannel ch, long position, long length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate((int) length);
    while (buffer.hasRemaining()) {
      if (ch.read(buffer, position + buffer.position()) < 0) {
        throw new IOException("file shrank while it was read");
      }
    }
    buffer.flip();
    crc.update(buffer);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof FileMark && ((FileMark) o).bytes == bytes && ((FileMark) o).crc == crc;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(bytes * 31 + crc);
  }
}
