package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.it.apps.SdkApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fake provider on loopback and a fresh data dir for each test. */
abstract class LoopbackTest {
  final MockWebServer server = new MockWebServer();
  @TempDir Path tmp;
  Path dataDir;

  @BeforeEach
  void startServer() throws Exception {
    server.start();
    dataDir = tmp.resolve("data");
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  String url(String path) {
    return server.url(path).toString();
  }

  /** Neither the app's stderr nor any file the agent wrote holds the API key or the prompt. */
  void assertNoSecretsLeaked(Fork.Result r) throws IOException {
    assertThat(r.stderr).doesNotContain(SdkApp.KEY);
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertThat(Files.readString(f)).as(f.toString()).doesNotContain(SdkApp.KEY).doesNotContain("LEAKCHECK");
      }
    }
  }
}
