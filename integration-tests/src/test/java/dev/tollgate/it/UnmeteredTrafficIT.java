package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.ChannelFirstAgent;
import dev.tollgate.it.apps.RawSocketApp;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@code tollgate.unmetered-traffic}: a hand-written HTTP request over a raw {@code Socket} or an NIO
 * {@code SocketChannel} to a metered endpoint is named in one log line per host, port and class, or
 * refused under {@code block}; a hooked client's call to the same endpoint is neither. Each such
 * connection is counted in {@code tollgate.unmetered.connections} (scraped from the app's Prometheus
 * endpoint, read from its MBean) and listed by {@code doctor} run afterwards on the data dir.
 */
class UnmeteredTrafficIT extends LoopbackTest {

  @Test
  void defaultWarn_rawSocketAndChannelAreNamedOnceGoOnAndAreCountedForMetricsAndDoctor_hookedCallIsSilentAndMetered() throws Exception {
    for (int i = 0; i < 5; i++) {
      server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    }

    int prometheus = freePort();
    Fork.Result r = Fork.app("jdk", RawSocketApp.class)
        .prop("tollgate.data-dir", dataDir)
        .prop("tollgate.metrics.prometheus.port", prometheus)
        .prop("tollgate.metrics.jmx", "true")
        .endpoint("fake-openai", url("/v1"), "openai")
        .args(url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "installed", "socket", "socket", "channel", "hooked", "socket",
            "scrape:" + prometheus, "jmx")
        .run();

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.lines("STEP ")).containsExactly("installed done", "socket HTTP/1.1 200 OK", "socket HTTP/1.1 200 OK",
        "channel HTTP/1.1 200 OK", "hooked HTTP 200", "socket HTTP/1.1 200 OK", "scrape:" + prometheus + " HTTP 200", "jmx done");
    assertThat(server.getRequestCount()).isEqualTo(5);
    String target = server.getHostName() + ":" + server.getPort();
    List<String> warnings = r.stderr.lines().filter(l -> l.contains("unmetered traffic")).collect(java.util.stream.Collectors.toList());
    // One line per host:port and opening class: the channel's connection is the same class's, the second socket
    // call is not logged again, and the socket call after the hooked one falls in the window in which
    // connections there are taken to be the hooked client's.
    assertThat(warnings).hasSize(1);
    assertThat(warnings.get(0)).contains(RawSocketApp.class.getName() + " opened a connection to " + target
        + ", a metered endpoint (fake-openai)");
    List<JsonNode> records = Journal.records(dataDir);
    assertThat(records).filteredOn(n -> !n.has("kind")).hasSize(1);
    // The three connections no hook covered (not the one in the hooked call's window), in every view.
    assertThat(r.lines("PROM ")).as(r.toString()).singleElement().asString()
        .startsWith("tollgate_unmetered_connections_total{").endsWith("} 3.0").contains(labels("warned"));
    assertThat(r.lines("JMX ")).containsExactly("UnmeteredConnections=3",
        "UnmeteredConnectionsByClient=" + target + " " + RawSocketApp.class.getName() + " warned=3");
    Fork.Result doctor = Fork.cli("doctor", "--json", "--data-dir", dataDir.toString());
    JsonNode listed = Journal.json(doctor.stdout).get("unmetered_traffic");
    assertThat(listed).as(doctor.toString()).singleElement().satisfies(n -> {
      assertThat(n.get("host").asText() + ":" + n.get("port").asInt()).isEqualTo(target);
      assertThat(n.get("client").asText()).isEqualTo(RawSocketApp.class.getName());
      assertThat(n.get("provider").asText()).isEqualTo("fake-openai");
      assertThat(n.get("action").asText()).isEqualTo("warned");
      assertThat(n.get("count").asLong()).isEqualTo(3);
    });
    assertThat(doctor.exit).as(doctor.toString()).isZero(); // a warning, not a failure
    // What the app saved for doctor: private, and the host and port only, never the request's path.
    Path saved = dataDir.resolve("unmetered-traffic");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(saved))).isEqualTo("rwx------");
    try (Stream<Path> files = Files.list(saved)) {
      assertThat(files.collect(Collectors.toList())).singleElement().satisfies(f -> {
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(f))).isEqualTo("rw-------");
        assertThat(Files.readString(f)).contains(RawSocketApp.class.getName()).doesNotContain("/v1").doesNotContain("chat");
      });
    }
  }

  /** The Prometheus labels of the loopback server's series for RawSocketApp, as OpenTelemetry's mapping spells them. */
  private String labels(String action) {
    return "server_address=\"" + server.getHostName() + "\",server_port=\"" + server.getPort() + "\",tollgate_action=\"" + action
        + "\",tollgate_client_class=\"" + RawSocketApp.class.getName() + "\"";
  }

  @Test
  void block_rawSocketAndChannelAreRefusedBeforeAnyByteLeavesAndCountedAsRefused_hookedCallGoesOn() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    int prometheus = freePort();

    Fork.Result r = Fork.app("jdk", RawSocketApp.class)
        .prop("tollgate.data-dir", dataDir)
        .prop("tollgate.unmetered-traffic", "block")
        .prop("tollgate.metrics.prometheus.port", prometheus)
        .endpoint("fake-openai", url("/v1"), "openai")
        .args(url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "socket", "channel", "hooked", "scrape:" + prometheus)
        .run();

    assertThat(r.exit).as(r.toString()).isZero();
    List<String> steps = r.lines("STEP ");
    assertThat(steps).hasSize(4);
    assertThat(steps.get(0)).startsWith("socket ERROR java.net.ConnectException Tollgate refused a connection to "
        + server.getHostName() + ":" + server.getPort() + " (fake-openai)").contains("tollgate.unmetered-traffic=block");
    assertThat(steps.get(1)).startsWith("channel ERROR java.net.ConnectException Tollgate refused");
    assertThat(steps.get(2)).isEqualTo("hooked HTTP 200");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(r.lines("PROM ")).as(r.toString()).singleElement().asString().endsWith("} 2.0").contains(labels("refused"));
  }

  /**
   * Another agent before Tollgate's loaded {@code SocketChannelImpl} and, on JDK 25, not {@code java.net.Socket}.
   * Rewriting the channel class made Byte Buddy read its methods by reflection, which loaded {@code Socket} inside
   * that rewrite, where Byte Buddy skips a class rather than rewrite it: raw sockets went unchecked for the JVM's
   * life. Types are now described from their class files, which loads nothing.
   */
  @Test
  void block_holdsWhenAnotherAgentLoadedTheChannelClassFirst() throws Exception {
    for (int i = 0; i < 3; i++) {
      server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON)); // one for each step, so a connection let through cannot hang the run
    }
    Path otherAgent = tmp.resolve("channel-first-agent.jar");
    Manifest manifest = new Manifest();
    manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
    manifest.getMainAttributes().putValue("Premain-Class", ChannelFirstAgent.class.getName());
    String entry = ChannelFirstAgent.class.getName().replace('.', '/') + ".class";
    try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(otherAgent), manifest);
        InputStream in = ChannelFirstAgent.class.getClassLoader().getResourceAsStream(entry)) {
      jar.putNextEntry(new JarEntry(entry));
      in.transferTo(jar);
    }

    Fork.Result r = Fork.app("jdk", RawSocketApp.class)
        .jvmArg("-javaagent:" + otherAgent)
        .prop("tollgate.data-dir", dataDir)
        .prop("tollgate.unmetered-traffic", "block")
        .endpoint("fake-openai", url("/v1"), "openai")
        .args(url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "socket", "channel", "hooked")
        .run();

    List<String> steps = r.lines("STEP ");
    assertThat(steps).as(r.toString()).hasSize(3);
    assertThat(steps.get(0)).as(r.toString()).startsWith("socket ERROR java.net.ConnectException Tollgate refused");
    assertThat(steps.get(1)).startsWith("channel ERROR java.net.ConnectException Tollgate refused");
    assertThat(steps.get(2)).isEqualTo("hooked HTTP 200");
    assertThat(server.getRequestCount()).isEqualTo(1);
  }

  @Test
  void off_noLineAndNothingRefused() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = Fork.app("jdk", RawSocketApp.class)
        .prop("tollgate.data-dir", dataDir)
        .prop("tollgate.unmetered-traffic", "off")
        .endpoint("fake-openai", url("/v1"), "openai")
        .args(url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "socket")
        .run();

    assertThat(r.lines("STEP ")).containsExactly("socket HTTP/1.1 200 OK");
    assertThat(r.stderr).doesNotContain("unmetered traffic");
  }
}
