package dev.tollgate.agent.journal;

import java.io.IOException;
import java.nio.file.FileSystemException;
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
    if (!FileProblems.isDirectory(dir)) { // a file there throws "is a file, not a directory"
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
   * The data dir as the agent needs it: created if missing (0700, with its parents), a directory, not
   * writable by group or others ({@link #refuseShared}), writable by this user.
   *
   * @throws IOException whose message names the data dir and says what is wrong with it
   */
  public static Path usableDataDir(Path dataDir) throws IOException {
    try {
      privateDirectory(dataDir);
    } catch (IOException e) {
      String reason = FileProblems.describe(e, dataDir);
      throw new IOException(reason.startsWith("is ") ? "data dir " + dataDir + " " + reason
          : "cannot create data dir " + dataDir + ": " + reason, e);
    }
    refuseShared(dataDir);
    // A file made and removed, not access(2): that also tells a read-only mount from a permission, and names which.
    Path probe;
    try {
      // Not createTempFile: its random name's SecureRandom, set up in premain, costs start-up and changes
      // what the JDK has loaded before the application's first line.
      probe = Files.createFile(dataDir.resolve(".writable-" + ProcessHandle.current().pid() + "-" + System.nanoTime() + ".tmp"));
    } catch (IOException e) {
      String why = e instanceof FileSystemException ? FileProblems.reason((FileSystemException) e) : String.valueOf(e.getMessage());
      throw new IOException("data dir " + dataDir + " cannot be written: " + why
          + "; make it writable by the application's user or choose another tollgate.data-dir", e);
    }
    Files.deleteIfExists(probe);
    return dataDir;
  }

  /**
   * A data dir others can write to would let them rewrite the spend record: the agent refuses it.
   * Nothing to check where the file system has no POSIX permissions.
   *
   * @throws IOException naming the directory, who can write to it and the fix when group or others can write to it
   */
  public static void refuseShared(Path dataDir) throws IOException {
    if (!POSIX) {
      return;
    }
    Set<PosixFilePermission> perms = Files.getPosixFilePermissions(dataDir);
    boolean group = perms.contains(PosixFilePermission.GROUP_WRITE);
    boolean others = perms.contains(PosixFilePermission.OTHERS_WRITE);
    if (group || others) {
      String who = group && others ? "its group and other users" : group ? "its group" : "other users";
      throw new IOException(
          "data dir " + dataDir + " is writable by " + who + "; make it private (chmod 700) or choose another tollgate.data-dir");
    }
  }

  /** The directory's permissions as {@code rwx------}, or null where the file system has none. */
  public static @Nullable String permissions(Path dir) throws IOException {
    return POSIX ? PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)) : null;
  }
}
