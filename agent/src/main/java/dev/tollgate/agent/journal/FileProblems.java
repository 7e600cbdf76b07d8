package dev.tollgate.agent.journal;

import dev.tollgate.agent.log.Log;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import org.jspecify.annotations.Nullable;

/**
 * File-system failures told in words. {@code java.nio} reports most of them with the path alone ({@code
 * AccessDeniedException: /data/journal}), which reads as if the path were the problem's whole story;
 * {@link #describe} adds the reason ("permission denied"). {@link #isDirectory} tells a directory that
 * does not exist (read as empty) from one this user cannot reach, which {@link Files#isDirectory}
 * reports the same way, so that spend the user cannot read is never shown as none.
 */
public final class FileProblems {
  private FileProblems() {}

  /** {@code PATH: reason} for a file-system failure (the reason spelled out); any other exception's own message. */
  public static String describe(Throwable e) {
    Throwable cause = e.getCause();
    if (cause != null && (e instanceof UncheckedIOException || String.valueOf(e.getMessage()).equals(cause.toString()))) {
      return describe(cause); // a wrapper that says nothing of its own
    }
    if (!(e instanceof FileSystemException)) {
      return String.valueOf(e.getMessage());
    }
    FileSystemException f = (FileSystemException) e;
    String reason = reason(f);
    String file = f.getFile();
    return file == null ? reason : file + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile()) + ": " + reason;
  }

  /** {@link #describe}, the path left out where it is {@code subject}'s: for a message that has named it already. */
  public static String describe(Throwable e, Path subject) {
    String text = describe(e);
    String prefix = subject + ": ";
    return text.startsWith(prefix) ? text.substring(prefix.length()) : text;
  }

  /** The reason alone: {@code permission denied}, {@code does not exist}, … */
  public static String reason(FileSystemException f) {
    String given = f.getReason();
    if (given != null && !given.isEmpty()) {
      return Log.clause(given); // "Read-only file system"
    }
    if (f instanceof AccessDeniedException) {
      return "permission denied";
    }
    if (f instanceof NoSuchFileException) {
      return "does not exist";
    }
    if (f instanceof NotDirectoryException) {
      return "not a directory";
    }
    if (f instanceof FileAlreadyExistsException) {
      return "already exists";
    }
    if (f instanceof DirectoryNotEmptyException) {
      return "directory not empty";
    }
    return f.getClass().getSimpleName();
  }

  /**
   * Whether {@code dir} is a directory: false when nothing is there.
   *
   * @throws IOException when it cannot be looked at (permission denied) or is a file, not a directory
   */
  public static boolean isDirectory(Path dir) throws IOException {
    BasicFileAttributes a = attributes(dir);
    if (a == null) {
      return false;
    }
    if (!a.isDirectory()) {
      throw notADirectory(dir);
    }
    return true;
  }

  /**
   * Whether something is at {@code file}: false only when nothing is.
   *
   * @throws IOException when it cannot be looked at (permission denied)
   */
  public static boolean exists(Path file) throws IOException {
    return attributes(file) != null;
  }

  private static @Nullable BasicFileAttributes attributes(Path p) throws IOException {
    try {
      return Files.readAttributes(p, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      underAFile(p, e);
      return null;
    }
  }

  /**
   * Throws when {@code p} is missing because one of its parents is a file: the JDK reports that as
   * "Not a directory" up to 21 and as a plain {@link NoSuchFileException} since 22; the message is the
   * same on both.
   */
  private static void underAFile(Path p, NoSuchFileException missing) throws IOException {
    for (Path a = p.toAbsolutePath().getParent(); a != null; a = a.getParent()) {
      try {
        if (!Files.readAttributes(a, BasicFileAttributes.class).isDirectory()) {
          FileSystemException e = new FileSystemException(p.toString(), null, "Not a directory");
          e.addSuppressed(missing);
          throw e;
        }
        return; // the nearest parent there is a directory: p is simply missing
      } catch (NoSuchFileException further) {
        // keep going up
      }
    }
  }

  /** A file (or other non-directory) where a directory was expected. */
  public static FileSystemException notADirectory(Path path) {
    return new FileSystemException(path.toString(), null, "is a file, not a directory");
  }
}
