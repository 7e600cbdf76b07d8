package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.ScenarioDriver;
import dev.tollgate.it.apps.UrlConnectionApp;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import mockwebserver3.MockWebServer;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * {@code HttpURLConnection} and {@code HttpsURLConnection} under the agent: what only they need (fixed-length streaming,
 * disconnect, HTTPS, keep-alive); the shared scenarios are {@link HttpUrlConnectionContractIT}. The tests share
 * JVMs ({@link SharedJvms}): one with budget 1 for the metered calls, one with budget 0 for the blocked ones, one with
 * the hook switched off; the HTTPS test forks its own two, against a server with a keytool certificate.
 */
class HttpUrlConnectionIT extends SharedJvms<HttpUrlConnectionIT.Jvm> {

  enum Jvm {
    /** Budget 1. */
    METERED,
    /** Budget 0, endpoints on a port nothing listens on. */
    BLOCKED,
    /** Budget 0, the HttpURLConnection hook switched off. */
    SWITCHED_OFF
  }

  /** Port 9 has no listener: a connection attempt would fail with ConnectException instead of the 402. */
  private static final List<String> BLOCKED_CALLS = List.of("connect,http", "fixed,http", "connect,https");

  @Override
  Script script(Jvm jvm) {
    Script script = new Script();
    switch (jvm) {
      case METERED:
        // First: were its record to break the journal, the calls after it would go unrecorded too.
        for (String mode : List.of("interrupted", "fixed", "codeonly")) {
          answer(mode, () -> Fixtures.json(Fixtures.OPENAI_JSON));
          script.add(mode, UrlConnectionApp.class, mode, url(mode, "/v1/chat/completions"), Fixtures.OPENAI_REQUEST);
        }
        // Chunked, with a Content-Length a proxy left on it: HttpURLConnection reads the chunks and ignores the length.
        answer("chunked-length", () -> new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
            .chunkedBody(Fixtures.OPENAI_JSON, 64).addHeader("Content-Length", 40).build());
        script.add("chunked-length", UrlConnectionApp.class, "post", url("chunked-length", "/v1/chat/completions"),
            Fixtures.OPENAI_REQUEST);
        answer("leak", () -> Fixtures.json(Fixtures.OPENAI_JSON));
        script.add("leak", UrlConnectionApp.class, "leak", url("leak", "/v1/chat/completions"), Fixtures.OPENAI_REQUEST, 20);
        break;
      case BLOCKED:
        for (String call : BLOCKED_CALLS) {
          String[] modeAndScheme = call.split(",");
          script.add(call, UrlConnectionApp.class, modeAndScheme[0], modeAndScheme[1] + "://127.0.0.1:9/v1/chat/completions",
              Fixtures.OPENAI_REQUEST);
        }
        break;
      default:
        answer("off", () -> Fixtures.json(Fixtures.OPENAI_JSON));
        script.add("off", UrlConnectionApp.class, "post", url("off", "/v1/chat/completions"), Fixtures.OPENAI_REQUEST);
    }
    return script;
  }

  @Override
  Fork fork(Jvm jvm, Path dataDir, List<String> ids) {
    Fork fork = Fork.app("jdk", ScenarioDriver.class).prop("tollgate.data-dir", dataDir);
    if (jvm == Jvm.BLOCKED) {
      return fork.prop("tollgate.budget", "0").endpoint("dead", "http://127.0.0.1:9/v1", "openai")
          .endpoint("dead-tls", "https://127.0.0.1:9/v1", "openai");
    }
    for (String id : ids) {
      fork.endpoint(id, url(id, "/v1"), "openai");
    }
    if (jvm == Jvm.SWITCHED_OFF) {
      fork.prop("tollgate.budget", "0").prop("tollgate.instrumentation.http-url-connection.enabled", "false");
    } else {
      fork.prop("tollgate.budget", "1");
    }
    return fork;
  }

  /**
   * A chunked answer that also carries a {@code Content-Length} (invalid, but proxies leave one): the
   * client reads the chunks, and so does the tap. It took the length for the body's and gave up on
   * the usage once the body ran past it (an estimated record before).
   */
  @Test
  void chunkedAnswer_withAStrayContentLength_isReadAsTheClientReadsIt() {
    ClientContractIT.Slice s = slice(Jvm.METERED, "chunked-length");

    assertThat(s.lines("LINE ")).as(s.toString()).containsExactly(Fixtures.OPENAI_JSON);
    JsonNode record = only(Jvm.METERED, "chunked-length");
    assertThat(record.get("estimated").asBoolean()).as(record.toString()).isFalse();
    assertThat(record.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
  }

  /** Fixed-length streaming sends the body as it is written: the call is decided from the declared length alone. */
  @Test
  void fixedLengthStreaming_isMeteredWithExactCost_reservedFromTheLength() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.METERED, "fixed");

    assertThat(s.lines("LINE ")).as(s.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(requests("fixed")).singleElement().satisfies(r -> assertThat(r.getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST));
    JsonNode rec = only(Jvm.METERED, "fixed");
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(rec.get("reservation").decimalValue()).isNotEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION); // no body, no model: the catalog's fallback
  }

  /**
   * A thread whose interrupt flag is set (a task cancelled as its call returns) completes a blocking
   * call; its record is journaled from that thread, the flag is left set for the application, and the
   * journal goes on recording the calls after it.
   */
  @Test
  void callFromAnInterruptedThread_isJournaled_andTheJournalGoesOn() {
    ClientContractIT.Slice s = slice(Jvm.METERED, "interrupted");

    assertThat(s.lines("LINE ")).as(s.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(s.lines("INTERRUPTED ")).containsExactly("true");
    assertThat(only(Jvm.METERED, "interrupted").get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(only(Jvm.METERED, "fixed").get("status").asText()).isEqualTo("ok");
    assertThat(s.stderr).as("the agent's lines").noneMatch(l -> l.startsWith("[tollgate] WARN") || l.startsWith("[tollgate] ERROR"));
  }

  /** The status alone, then disconnect: the tapped body is closed with the connection and the call settles. */
  @Test
  void responseCodeThenDisconnect_settlesTheCall() {
    ClientContractIT.Slice s = slice(Jvm.METERED, "codeonly");

    assertThat(s.lines("STATUS ")).as(s.toString()).containsExactly("200");
    assertThat(only(Jvm.METERED, "codeonly").get("status").asText()).isEqualTo("cancelled");
  }

  /** Over HTTPS, {@code connect()} is the delegate's own override. The three calls share one JVM. */
  @Test
  void blocked_opensNoConnection() {
    for (String call : BLOCKED_CALLS) {
      ClientContractIT.Slice s = slice(Jvm.BLOCKED, call);
      assertThat(s.lines("STATUS ")).as(s.toString()).containsExactly("402");
    }
    assertThat(run(Jvm.BLOCKED).journal).extracting(rec -> rec.get("provider").asText() + " " + rec.get("status").asText())
        .containsExactly("dead blocked", "dead blocked", "dead-tls blocked");
  }

  @Test
  void instrumentationSwitchedOff_letsTheCallThrough() {
    ClientContractIT.Slice s = slice(Jvm.SWITCHED_OFF, "off");

    assertThat(s.lines("LINE ")).as(s.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(requests("off")).hasSize(1);
    assertThat(run(Jvm.SWITCHED_OFF).journal).isEmpty();
  }

  @Test
  void https_isMeteredWithExactCost_andBlockedWithoutARequest() throws Exception {
    Path trustStore = tmp.resolve("trust.p12");
    try (MockWebServer tls = new MockWebServer()) {
      tls.useHttps(selfSigned(trustStore).getSocketFactory());
      tls.start();
      tls.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

      Path dataDir = tmp.resolve("https").resolve("data");
      Fork.Result ok = trusting(tlsApp(tls, dataDir), trustStore).prop("tollgate.budget", "1").run();
      Fork.Result blocked = trusting(tlsApp(tls, tmp.resolve("https").resolve("blocked")), trustStore).prop("tollgate.budget", "0").run();

      assertThat(ok.lines("LINE ")).as(ok.toString()).containsExactly(Fixtures.OPENAI_JSON);
      assertThat(Journal.only(dataDir).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
      assertThat(blocked.lines("STATUS ")).as(blocked.toString()).containsExactly("402");
      assertThat(blocked.lines("BLOCKED ")).containsExactly("true");
      assertThat(tls.getRequestCount()).isEqualTo(1);
    }
  }

  private static Fork tlsApp(MockWebServer tls, Path dataDir) {
    return Fork.app("jdk", UrlConnectionApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", tls.url("/v1").toString(), "openai")
        .args("post", tls.url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST);
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
    ClientContractIT.Slice s = slice(Jvm.METERED, "leak");

    assertThat(s.lines("LIVE ")).as(s.toString()).containsExactly("0");
    assertThat(run(Jvm.METERED).journal).filteredOn(rec -> rec.get("provider").asText().equals("leak")).hasSize(20)
        .allSatisfy(rec -> assertThat(rec.get("status").asText()).isEqualTo("ok"));
  }
}
