package dev.tollgate.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The reason java.nio leaves out of its messages, and "nothing there" told from "cannot look". */
class FileProblemsTest {
  @TempDir
  Path tmp;

  @Test
  void describe_spellsOutTheReason() {
    assertThat(FileProblems.describe(new AccessDeniedException("/d/journal"))).isEqualTo("/d/journal: permission denied");
    assertThat(FileProblems.describe(new NoSuchFileException("/d/x"))).isEqualTo("/d/x: does not exist");
    assertThat(FileProblems.describe(new FileSystemException("/d/x", null, "Read-only file system")))
        .isEqualTo("/d/x: read-only file system");
    assertThat(FileProblems.describe(new UncheckedIOException(new AccessDeniedException("/d/w.tmp")))).isEqualTo(
        "/d/w.tmp: permission denied");
    assertThat(FileProblems.describe(new IOException("budget file broken"))).isEqualTo("budget file broken");
    // Regression: "cannot start metering: java.io.IOException: budgets file …"
    assertThat(FileProblems.describe(new UncheckedIOException(new IOException("budgets file b.json does not exist"))))
        .isEqualTo("budgets file b.json does not exist");
    assertThat(FileProblems.describe(new IllegalStateException(new IOException("inner")))).isEqualTo("inner");
  }

  @Test
  void describe_aboutASubject_leavesOutItsPath() {
    assertThat(FileProblems.describe(new AccessDeniedException("/d"), Path.of("/d"))).isEqualTo("permission denied");
    assertThat(FileProblems.describe(new AccessDeniedException("/d/j"), Path.of("/d"))).isEqualTo("/d/j: permission denied");
  }

  @Test
  void isDirectory_missingIsFalse_aFileThrows() throws IOException {
    Path file = Files.writeString(tmp.resolve("f"), "x");

    assertThat(FileProblems.isDirectory(tmp)).isTrue();
    assertThat(FileProblems.isDirectory(tmp.resolve("none"))).isFalse();
    assertThatThrownBy(() -> FileProblems.isDirectory(file)).hasMessage(file + ": is a file, not a directory");
    assertThatThrownBy(() -> FileProblems.exists(file.resolve("x"))).isInstanceOf(FileSystemException.class);
  }
}
