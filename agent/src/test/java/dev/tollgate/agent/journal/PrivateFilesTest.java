package dev.tollgate.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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

    for (String mode : new String[] {"rwxrwx---", "rwx---rwx"}) {
      Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString(mode));
      assertThatThrownBy(() -> PrivateFiles.refuseShared(dir)).isInstanceOf(IOException.class)
          .hasMessage("data dir " + dir + " is writable by other users; make it private (chmod 700) or choose another tollgate.data-dir");
    }
    assertThat(PrivateFiles.permissions(dir)).isEqualTo("rwx---rwx");
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
