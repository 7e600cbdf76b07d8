package dev.tollgate.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.config.ConfigSource;
import dev.tollgate.agent.journal.UsageJournal;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A data dir that exists but cannot be read is a failure that names the path and the reason, never an
 * empty report. The tests run as root, which may read anything: a file where a directory is expected is
 * the real failure they use; "permission denied" (a data dir of another user) takes the same path,
 * through the {@link java.nio.file.AccessDeniedException} that listing it throws.
 */
class DataDirProblemsTest {
  @TempDir
  Path tmp;
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @ParameterizedTest
  @ValueSource(strings = {"report", "report --json", "report --by hour", "balance", "balance --json", "ledger"})
  void readingCommand_journalDirIsAFile_failsNamingItAndWhy(String command) throws IOException {
    // Regression: report read an unreadable journal directory as "no journal yet" and printed TOTAL 0, exit 0.
    Path dir = Files.createDirectory(tmp.resolve("data"));
    Files.writeString(dir.resolve("journal"), "not a directory");

    int code = run(command, dir);

    assertThat(code).isEqualTo(1);
    assertThat(text(out)).isEmpty();
    // balance and ledger first look for the journal's checkpoint in it
    assertThat(text(err)).matches("tollgate: cannot read " + dir + ": " + dir.resolve("journal")
        + "(: is a file, not a directory|/checkpoint.json: not a directory)\n");
  }

  @ParameterizedTest
  @ValueSource(strings = {"report", "balance", "ledger", "budgets"})
  void readingCommand_dataDirIsAFile_saysItIsAFile_notThatNothingIsThere(String command) throws IOException {
    Path file = Files.writeString(tmp.resolve("afile"), "x");

    int code = run(command, file);

    assertThat(code).isEqualTo(1);
    assertThat(text(err)).isEqualTo("tollgate: cannot read " + file + ": is a file, not a directory\n");
  }

  @Test
  void grant_dataDirIsAFile_saysItIsAFile() throws IOException {
    // Regression: "tollgate: cannot use /tmp/w/afile: /tmp/w/afile", the path twice and no reason.
    Path file = Files.writeString(tmp.resolve("afile"), "x");

    int code = run("grant --credits 1", file);

    assertThat(code).isEqualTo(1);
    assertThat(text(err)).isEqualTo("tollgate: cannot write to " + file + ": is a file, not a directory\n");
  }

  @Test
  void readingCommand_underAFile_saysNotADirectory() throws IOException {
    Path file = Files.writeString(tmp.resolve("afile"), "x");

    int code = run("report", file.resolve("data"));

    assertThat(code).isEqualTo(1);
    assertThat(text(err)).isEqualTo("tollgate: cannot read " + file.resolve("data") + ": not a directory\n");
  }

  @Test
  void reportHtml_intoAMissingDirectory_blamesTheOutputFile_notTheDataDir() throws IOException {
    // Regression: "cannot read <data dir>: cannot write …: /nonexistent/dir/x.html"
    Path dir = Files.createDirectory(tmp.resolve("data"));
    Path page = tmp.resolve("nonexistent/x.html");

    int code = run("report --html " + page, dir);

    assertThat(code).isEqualTo(1);
    assertThat(text(err)).isEqualTo("tollgate: cannot write " + page + ": no directory " + page.getParent() + "\n");
    Path notADir = Files.writeString(tmp.resolve("afile"), "x");
    err.reset();
    run("report --html " + notADir.resolve("x.html"), dir);
    assertThat(text(err)).isEqualTo("tollgate: cannot write " + notADir.resolve("x.html") + ": not a directory\n");
  }

  @Test
  void problem_permissionDenied_namesThePathAndTheReason() {
    Path dir = Path.of("/srv/tollgate");

    assertThat(Cli.problem("cannot read", dir, new AccessDeniedException(dir.toString())))
        .isEqualTo("tollgate: cannot read /srv/tollgate: permission denied");
    assertThat(Cli.problem("cannot read", dir, new AccessDeniedException(dir + "/journal/checkpoint.json")))
        .isEqualTo("tollgate: cannot read /srv/tollgate: /srv/tollgate/journal/checkpoint.json: permission denied");
  }

  @Test
  void doctor_journalDirIsAFile_failsTheJournalCheck_notNoJournalYet() throws IOException {
    // Regression: doctor said "no journal file: no metered call recorded here yet".
    Path dir = Files.createDirectory(tmp.resolve("data"));
    Files.writeString(dir.resolve("journal"), "not a directory");

    int code = doctor(dir);

    assertThat(code).isEqualTo(1);
    assertThat(text(out)).containsPattern(
        "FAIL +journal +cannot read the journal in " + dir + ": " + dir.resolve("journal") + ": is a file, not a directory\n");
  }

  @Test
  void doctor_dataDirIsAFile_saysSo() throws IOException {
    Path file = Files.writeString(tmp.resolve("afile"), "x");

    int code = doctor(file);

    assertThat(code).isEqualTo(1);
    assertThat(text(out)).containsPattern("FAIL +data dir +cannot read " + file + ": is a file, not a directory\n");
  }

  @Test
  void report_emptyDataDir_isStillAnEmptyReport() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("data"));
    UsageJournal.open(dir).close();

    assertThat(run("report --json", dir)).as(text(err)).isZero();
  }

  private int doctor(Path dataDir) {
    return Doctor.run(new String[] {"doctor", "--data-dir", dataDir.toString()}, () -> ConfigSource.of(Map.of(), Map.of(), Map.of()),
        Clock.systemUTC(), print(out), print(err));
  }

  private int run(String command, Path dataDir) {
    String[] words = command.split(" ");
    String[] args = new String[words.length + 2];
    System.arraycopy(words, 0, args, 0, words.length);
    args[words.length] = "--data-dir";
    args[words.length + 1] = dataDir.toString();
    return Cli.run(args, print(out), print(err));
  }

  private static PrintStream print(ByteArrayOutputStream bytes) {
    return new PrintStream(bytes, true, StandardCharsets.UTF_8);
  }

  private static String text(ByteArrayOutputStream bytes) {
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
