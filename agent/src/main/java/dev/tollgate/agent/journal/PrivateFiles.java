package dev.tollgate.agent.journal;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Private files: directories 0700, files 0600, where the file system has POSIX permissions. */
public final class PrivateFiles {
  private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private PrivateFiles() {}

  /** Creates {@code dir} (and parents) readable only by the owner. */
  public static Path privateDirectory(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      if (POSIX) {
        Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else {
        Files.createDirectories(dir);
      }
    }
    return dir;
  }

  /**
   * The attributes that create a file readable and writable only by the owner from its first byte
   * (none where the file system has no POSIX permissions), for {@code Files.newByteChannel} and
   * {@code FileChannel.open}.
   */
  public static FileAttribute<?>[] ownerOnly() {
    return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
        : new FileAttribute<?>[0];
  }

  /** Makes an existing file readable and writable only by the owner. */
  public static void makePrivate(Path file) throws IOException {
    if (POSIX) {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    }
  }

  /**
   * A data dir others can write to would let them rewrite the spend record: the agent refuses it.
   * Nothing to check where the file system has no POSIX permissions.
   *
   * @throws IOException naming the directory and the fix when group or others can write to it
   */
  public static void refuseShared(Path dataDir) throws IOException {
    if (!POSIX) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dataDir);
    if (perms.contains(PosixFilePermission.GROUP_WRITE) || perms.contains(PosixFilePermission.OTHERS_WRITE)) {
      throw new IOException(
          "data dir " + dataDir + " is writable by other users; make it private (chmod 700) or choose another tollgate.data-dir");
    }
  }

  /** The directory's permissions as {@code rwx------}, or null where the file system has none. */
  public static @Nullable String permissions(Path dir) throws IOException {
    return POSIX ? PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)) : null;
  }
}
