package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.it.apps.JdkHttpApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the agent and the CLI write is the user's alone: directories 0700, files 0600. A data dir
 * others can write to (so they could rewrite the spend record) is refused with one line, and the
 * application runs unmetered.
 */
class PrivateFilesIT extends LoopbackTest {

  private Fork.Result meteredCall(Path dir) {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    return Fork.app("jdk", JdkHttpApp.class).prop("tollgate.data-dir", dir).prop("tollgate.budget", "1")
        .endpoint("fake-openai", url("/v1"), "openai")
        .args("send", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST).run();
  }

  @Test
  void dataDirAndEveryFileTheAgentAndCliWrite_areOwnerOnly() throws IOException {
    Path dir = tmp.resolve("new/nested/data");

    Fork.Result r = meteredCall(dir);
    Fork.Result grant = Fork.cli("grant", "--credits", "5", "--data-dir", dir.toString());
    Path fresh = tmp.resolve("fresh/grants-only");
    Fork.Result grantFresh = Fork.cli("grant", "--credits", "5", "--source-type", "promo", "--data-dir", fresh.toString());

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    assertThat(grant.exit).as(grant.toString()).isZero();
    assertThat(grantFresh.exit).as(grantFresh.toString()).isZero();
    assertThat(Journal.records(dir)).hasSize(1);
    assertThat(entries(dir)).extracting(p -> dir.relativize(p).toString())
        .contains("journal", "wallet.json", "grants.jsonl").anySatisfy(p -> assertThat(p).startsWith("journal/usage-"));
    for (Path root : List.of(dir, fresh)) {
      assertThat(mode(root)).as(root.toString()).isEqualTo("rwx------");
      for (Path p : entries(root)) {
        assertThat(mode(p)).as(p.toString()).isEqualTo(Files.isDirectory(p) ? "rwx------" : "rw-------");
      }
    }
  }

  @Test
  void dataDirWritableByOthers_isRefusedWithOneLine_andTheAppRunsUnmetered() throws IOException {
    Files.createDirectories(dataDir);
    Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxrwxrwx"));

    Fork.Result r = meteredCall(dataDir);

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    assertThat(r.lines("ACTIVE ")).containsExactly("false");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(r.agentLog()).singleElement().asString()
        .contains(dataDir.toString()).contains("writable by its group and other users").contains("runs unmetered");
    assertThat(Files.exists(dataDir.resolve("journal"))).isFalse();
  }

  private static String mode(Path p) throws IOException {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  private static List<Path> entries(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      List<Path> result = new ArrayList<>();
      all.filter(p -> !p.equals(dir)).forEach(result::add);
      return result;
    }
  }
}
