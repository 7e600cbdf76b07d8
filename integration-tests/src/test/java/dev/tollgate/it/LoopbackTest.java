package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.it.apps.SdkApp;
import java.io.IOException;
import java.io.OutputStream;
import java.security.KeyStore;
import java.util.Map;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import mockwebserver3.MockWebServer;
import okhttp3.tls.HandshakeCertificates;
import okhttp3.tls.HeldCertificate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** A fake provider on loopback and a fresh data dir for each test. */
abstract class LoopbackTest {
  final MockWebServer server = new MockWebServer();
  @TempDir
  Path tmp;
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

  /** A loopback port free now, for a server the forked app starts (the agent's Prometheus endpoint). */
  static int freePort() throws IOException {
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /**
   * Serves TLS from now on, with a fresh self-signed certificate for the loopback names. Returns the
   * JVM flags that make a forked app trust it (a PKCS12 trust store holding only that certificate).
   */
  Map<String, String> useHttps() throws Exception {
    return useHttps("localhost", "127.0.0.1", server.getHostName());
  }

  /** As {@link #useHttps()}, with a certificate for {@code hosts} (the real provider hosts, when the server is their proxy). */
  Map<String, String> useHttps(String... hosts) throws Exception {
    return useHttps(server, tmp, hosts);
  }

  /** As {@link #useHttps(String...)}, for any {@code server}, the trust store written under {@code dir}. */
  static Map<String, String> useHttps(MockWebServer server, Path dir, String... hosts) throws Exception {
    HeldCertificate.Builder names = new HeldCertificate.Builder();
    for (String host : hosts) {
      names.addSubjectAlternativeName(host);
    }
    HeldCertificate cert = names.build();
    server.useHttps(new HandshakeCertificates.Builder().heldCertificate(cert).build().sslSocketFactory());
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("loopback", cert.certificate());
    Path store = dir.resolve("trust.p12");
    try (OutputStream out = Files.newOutputStream(store)) {
      trust.store(out, "changeit".toCharArray());
    }
    return Map.of("javax.net.ssl.trustStore", store.toString(), "javax.net.ssl.trustStorePassword", "changeit",
        "javax.net.ssl.trustStoreType", "PKCS12");
  }

  /** Neither the app's stderr nor any file the agent wrote holds the API key or the prompt. */
  void assertNoSecretsLeaked(Fork.Result r) throws IOException {
    assertNoSecretsLeaked(r.stderr, dataDir);
  }

  /** Neither {@code stderr} nor any file under {@code dataDir} holds the API key or the prompt. */
  static void assertNoSecretsLeaked(String stderr, Path dataDir) throws IOException {
    assertThat(stderr).doesNotContain(SdkApp.KEY);
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertThat(Files.readString(f)).as(f.toString()).doesNotContain(SdkApp.KEY).doesNotContain("LEAKCHECK");
      }
    }
  }
}
