package dev.tollgate.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.tollgate.agent.wallet.Grants;
import dev.tollgate.agent.wallet.WalletState;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything the agent writes under a data dir is its owner's alone: directories 0700, files 0600. */
class PrivateFilesTest {
  @TempDir
  Path tmp;

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void privateDirectory_createsTheDirAndItsMissingParentsOwnerOnly() throws IOException {
    Path dir = PrivateFiles.privateDirectory(tmp.resolve("a/b/data"));

    assertThat(mode(dir)).isEqualTo("rwx------");
    assertThat(mode(tmp.resolve("a"))).isEqualTo("rwx------");
  }

  @Test
  void privateDirectory_existingDir_isLeftAsItIs() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-x---"));

    PrivateFiles.privateDirectory(dir);

    assertThat(mode(dir)).isEqualTo("rwxr-x---"); // the start-up check refuses group/other write, not read
  }

  @Test
  void refuseShared_groupOrOthersWrite_isRefused_readIsNot() throws IOException {
    Path dir = Files.createDirectory(tmp.resolve("dir"));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    PrivateFiles.refuseShared(dir);

    // Regression: a group-writable (0770) data dir was refused as "writable by other users".
    for (String[] mode : new String[][] {{"rwxrwx---", "its group"}, {"rwx---rwx", "other users"},
        {"rwxrwxrwx", "its group and other users"}}) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode[0]));
      assertThatThrownBy(() -> PrivateFiles.refuseShared(dir)).isInstanceOf(IOException.class)
          .hasMessage("data dir " + dir + " is writable by " + mode[1]
              + "; make it private (chmod 700) or choose another tollgate.data-dir");
    }
    assertThat(PrivateFiles.permissions(dir)).isEqualTo("rwxrwxrwx");
  }

  @Test
  void usableDataDir_aFile_saysItIsAFile() throws IOException {
    // Regression: the agent logged "cannot start metering: /tmp/w/afile", the path with no reason.
    Path file = Files.writeString(tmp.resolve("afile"), "x");

    assertThatThrownBy(() -> PrivateFiles.usableDataDir(file)).hasMessage("data dir " + file + " is a file, not a directory");
    assertThatThrownBy(() -> PrivateFiles.usableDataDir(file.resolve("dd")))
        .hasMessageStartingWith("cannot create data dir " + file.resolve("dd") + ": ").hasMessageEndingWith("not a directory");
  }

  @Test
  void usableDataDir_missing_isCreatedPrivate_andReturned() throws IOException {
    Path dir = tmp.resolve("a/data");

    assertThat(PrivateFiles.usableDataDir(dir)).isEqualTo(dir);
    assertThat(mode(dir)).isEqualTo("rwx------");
  }

  @Test
  void usableDataDir_notWritableByThisUser_saysPermissionDenied() throws IOException {
    assumeFalse("root".equals(System.getProperty("user.name")), "root may write anywhere");
    Path ro = Files.createDirectory(tmp.resolve("ro"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-x------"));
    try {
      // Regression: "java.nio.file.AccessDeniedException: <dir>/wallet1779….tmp", a temporary file, not the data dir.
      assertThatThrownBy(() -> PrivateFiles.usableDataDir(ro)).hasMessage("data dir " + ro + " cannot be written: permission denied; "
          + "make it writable by the application's user or choose another tollgate.data-dir");
      assertThatThrownBy(() -> PrivateFiles.usableDataDir(ro.resolve("dd")))
          .hasMessage("cannot create data dir " + ro.resolve("dd") + ": permission denied");
    } finally {
      Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("rwx------"));
    }
  }

  @Test
  void makePrivate_tightensAnExistingFile() throws IOException {
    Path f = Files.writeString(tmp.resolve("f"), "x");
    Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-rw-rw-"));

    PrivateFiles.makePrivate(f);

    assertThat(mode(f)).isEqualTo("rw-------");
  }

  @Test
  void journal_dirAndDailyFile_areOwnerOnly() throws IOException {
    Path data = tmp.resolve("data");
    try (UsageJournal journal = UsageJournal.open(data)) {
      journal.append(UsageRecord.builder().id("tg-1").time(Instant.parse("2026-01-02T03:04:05Z")).provider("openai").model("m")
          .operation("chat").endpoint("https://api.openai.com/v1/chat/completions").status(UsageRecord.Status.OK)
          .cost(new BigDecimal("0.1")).reservation(new BigDecimal("0.2")).build());
    }

    assertThat(mode(UsageJournal.journalDir(data))).isEqualTo("rwx------");
    assertThat(mode(UsageJournal.journalDir(data).resolve("usage-2026-01-02.jsonl"))).isEqualTo("rw-------");
  }

  @Test
  void walletStateAndGrants_areOwnerOnly() throws IOException {
    Path data = tmp.resolve("data");

    Grants.append(data, new BigDecimal("5"), "promo", null, Instant.parse("2026-01-02T03:04:05Z"));
    new WalletState(new BigDecimal("10"), "10%").write(data);

    assertThat(mode(data)).isEqualTo("rwx------");
    assertThat(mode(Grants.file(data))).isEqualTo("rw-------");
    assertThat(mode(WalletState.file(data))).isEqualTo("rw-------");
    try (var files = Files.list(data)) {
      assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("grants.jsonl", "wallet.json");
    }
  }
}
