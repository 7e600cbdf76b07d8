package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.UrlConnectionApp;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code HttpURLConnection} and {@code HttpsURLConnection} under the agent: what only they need (fixed-length streaming, disconnect, HTTPS, keep-alive); the shared scenarios are {@link HttpUrlConnectionContractIT}. */
class HttpUrlConnectionIT extends LoopbackTest {

  private Fork app(String mode, String path, String body) {
    return app(server, mode, path, body);
  }

  private Fork app(MockWebServer target, String mode, String path, String body) {
    return Fork.app("jdk", UrlConnectionApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", target.url("/v1").toString(), "openai")
        .endpoint("fake-anthropic", target.url("/anthropic/v1").toString(), "anthropic")
        .args(mode, target.url(path), body);
  }

  /** Fixed-length streaming sends the body as it is written: the call is decided from the declared length alone. */
  @Test
  void fixedLengthStreaming_isMeteredWithExactCost_reservedFromTheLength() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app("fixed", "/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("LINE ")).as(r.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(rec.get("reservation").decimalValue()).isNotEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION); // no body, no model: the catalog's fallback
  }

  /** The status alone, then disconnect: the tapped body is closed with the connection and the call settles. */
  @Test
  void responseCodeThenDisconnect_settlesTheCall() {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app("codeonly", "/v1/chat/completions", Fixtures.OPENAI_REQUEST).prop("tollgate.budget", "1").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("cancelled");
  }

  /**
   * Port 9 has no listener: a connection attempt would fail with ConnectException instead of the
   * 402. Over HTTPS, {@code connect()} is the delegate's own override.
   */
  @ParameterizedTest
  @CsvSource({"connect,http", "fixed,http", "connect,https"})
  void blocked_opensNoConnection(String mode, String scheme) {
    Fork.Result r = Fork.app("jdk", UrlConnectionApp.class).prop("tollgate.data-dir", dataDir).prop("tollgate.budget", "0")
        .endpoint("dead", scheme + "://127.0.0.1:9/v1", "openai")
        .args(mode, scheme + "://127.0.0.1:9/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("402");
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("blocked");
  }

  @Test
  void instrumentationSwitchedOff_letsTheCallThrough() {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app("post", "/v1/chat/completions", Fixtures.OPENAI_REQUEST)
        .prop("tollgate.budget", "0").prop("tollgate.instrumentation.http-url-connection.enabled", "false").run();

    assertThat(r.lines("LINE ")).as(r.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(Journal.records(dataDir)).isEmpty();
  }

  @Test
  void https_isMeteredWithExactCost_andBlockedWithoutARequest() throws Exception {
    Path trustStore = tmp.resolve("trust.p12");
    try (MockWebServer tls = new MockWebServer()) {
      tls.useHttps(selfSigned(trustStore).getSocketFactory());
      tls.start();
      tls.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

      Fork.Result ok = trusting(app(tls, "post", "/v1/chat/completions", Fixtures.OPENAI_REQUEST), trustStore).prop("tollgate.budget", "1")
          .run();
      Fork.Result blocked = trusting(app(tls, "post", "/v1/chat/completions", Fixtures.OPENAI_REQUEST), trustStore).prop("tollgate.budget",
          "0")
          .prop("tollgate.data-dir", tmp.resolve("blocked")).run();

      assertThat(ok.lines("LINE ")).as(ok.toString()).containsExactly(Fixtures.OPENAI_JSON);
      assertThat(Journal.only(dataDir).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
      assertThat(blocked.lines("STATUS ")).as(blocked.toString()).containsExactly("402");
      assertThat(blocked.lines("BLOCKED ")).containsExactly("true");
      assertThat(tls.getRequestCount()).isEqualTo(1);
    }
  }

  private static Fork trusting(Fork fork, Path trustStore) {
    return fork.prop("javax.net.ssl.trustStore", trustStore).prop("javax.net.ssl.trustStorePassword", "changeit")
        .prop("javax.net.ssl.trustStoreType", "PKCS12");
  }

  /** A server key and certificate for localhost from the JDK's keytool; the certificate alone goes to {@code trustStore}. */
  private SSLContext selfSigned(Path trustStore) throws Exception {
    Path keyStore = tmp.resolve("server.p12");
    Process keytool = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
        "-genkeypair", "-alias", "server", "-keyalg", "EC", "-dname", "CN=localhost", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
        "-validity", "2", "-storetype", "PKCS12", "-keystore", keyStore.toString(), "-storepass", "changeit", "-keypass", "changeit")
        .redirectErrorStream(true).start();
    String output = new String(keytool.getInputStream().readAllBytes());
    assertThat(keytool.waitFor()).as(output).isZero();
    KeyStore keys = KeyStore.getInstance("PKCS12");
    try (var in = Files.newInputStream(keyStore)) {
      keys.load(in, "changeit".toCharArray());
    }
    KeyStore trust = KeyStore.getInstance("PKCS12");
    trust.load(null, null);
    trust.setCertificateEntry("server", keys.getCertificate("server"));
    try (OutputStream out = Files.newOutputStream(trustStore)) {
      trust.store(out, "changeit".toCharArray());
    }
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, "changeit".toCharArray());
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), null, null);
    return context;
  }

  @Test
  void meteredConnections_areNotKeptAliveByTheAgent_onceTheAppDropsThem() throws Exception {
    for (int i = 0; i < 20; i++) {
      server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    }

    Fork.Result r = Fork.app("jdk", UrlConnectionApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .args("leak", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, 20).run();

    assertThat(r.lines("LIVE ")).as(r.toString()).containsExactly("0");
    assertThat(Journal.records(dataDir)).hasSize(20).allSatisfy(rec -> assertThat(rec.get("status").asText()).isEqualTo("ok"));
  }
}
