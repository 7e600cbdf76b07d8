package dev.tollgate.it;

import java.nio.file.Path;
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
}
