package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.RawSocketApp;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code tollgate.unmetered-traffic}: a hand-written HTTP request over a raw {@code Socket} or an NIO
 * {@code SocketChannel} to a metered endpoint is named in one log line per host, port and class, or
 * refused under {@code block}; a hooked client's call to the same endpoint is neither.
 */
class UnmeteredTrafficIT extends LoopbackTest {

  @Test
  void defaultWarn_rawSocketAndChannelAreNamedOnceAndGoOn_hookedCallIsSilentAndMetered() throws Exception {
    for (int i = 0; i < 5; i++) {
      server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    }

    Fork.Result r = Fork.app("jdk", RawSocketApp.class)
        .prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .args(url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "socket", "socket", "channel", "hooked", "socket")
        .run();

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.lines("STEP ")).containsExactly("socket HTTP/1.1 200 OK", "socket HTTP/1.1 200 OK",
        "channel HTTP/1.1 200 OK", "hooked HTTP 200", "socket HTTP/1.1 200 OK");
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
  }

  @Test
  void block_rawSocketAndChannelAreRefusedBeforeAnyByteLeaves_hookedCallGoesOn() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = Fork.app("jdk", RawSocketApp.class)
        .prop("tollgate.data-dir", dataDir)
        .prop("tollgate.unmetered-traffic", "block")
        .endpoint("fake-openai", url("/v1"), "openai")
        .args(url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "socket", "channel", "hooked")
        .run();

    assertThat(r.exit).as(r.toString()).isZero();
    List<String> steps = r.lines("STEP ");
    assertThat(steps).hasSize(3);
    assertThat(steps.get(0)).startsWith("socket ERROR java.net.ConnectException Tollgate refused a connection to "
        + server.getHostName() + ":" + server.getPort() + " (fake-openai)").contains("tollgate.unmetered-traffic=block");
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
