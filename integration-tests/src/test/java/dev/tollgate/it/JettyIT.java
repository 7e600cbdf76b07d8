package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.JettyApp;
import java.io.IOException;
import java.util.List;
import mockwebserver3.MockResponse;
import okio.Buffer;
import okio.BufferedSink;
import okio.GzipSink;
import okio.Okio;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Jetty 12's {@code HttpClient} (12.0 and 12.1) under the agent: one forked application per version runs every scenario, in order. */
class JettyIT extends LoopbackTest {

  private Fork app(String version, String... steps) {
    return stepsApp(version, JettyApp.class, steps);
  }

  @ParameterizedTest
  @ValueSource(strings = {"jetty120", "jetty121"})
  void sendStreamAndAsync_meterExactly_releaseErrors_andBlockWith402BeforeAnyConnection(String version) throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.sse(Fixtures.ANTHROPIC_SSE));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.error(429, Fixtures.OPENAI_RATE_LIMITED));
    server.enqueue(gzipped(Fixtures.OPENAI_JSON));

    Fork.Result r = app(version,
        "send:/v1/chat/completions:" + Fixtures.OPENAI_REQUEST,
        "stream:/anthropic/v1/messages:" + Fixtures.ANTHROPIC_STREAM_REQUEST,
        "async:/v1/chat/completions:" + Fixtures.OPENAI_REQUEST,
        "send:/v1/chat/completions:" + Fixtures.OPENAI_REQUEST,
        "send:/v1/chat/completions:" + Fixtures.OPENAI_REQUEST,
        "send:/v1/chat/completions:" + VertxIT.BLOCKED_REQUEST,
        "stream:/v1/chat/completions:" + VertxIT.BLOCKED_REQUEST,
        "async:/v1/chat/completions:" + VertxIT.BLOCKED_REQUEST).run();

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.lines("send1 ")).containsExactly("STATUS 200", "BLOCKED null", "BODY " + Fixtures.OPENAI_JSON);
    assertThat(r.lines("stream2 LINE ")).as(r.toString()).contains("event: message_stop");
    assertThat(r.lines("async3 ")).containsExactly("STATUS 200", "BLOCKED null", "BODY " + Fixtures.OPENAI_JSON);
    assertThat(r.lines("send4 ")).containsExactly("STATUS 429", "BLOCKED null", "BODY " + Fixtures.OPENAI_RATE_LIMITED);
    // Jetty decoded the gzip body before the application and the tap saw it.
    assertThat(r.lines("send5 ")).containsExactly("STATUS 200", "BLOCKED null", "BODY " + Fixtures.OPENAI_JSON);
    for (String blocked : List.of("send6 ", "stream7 ", "async8 ")) {
      List<String> lines = r.lines(blocked);
      assertThat(lines).as(r.toString()).startsWith("STATUS 402", "BLOCKED true");
      String body = lines.get(2).substring(lines.get(2).indexOf(' ') + 1);
      assertThat(Journal.json(body).get("error").get("code").asText()).isEqualTo("tollgate_blocked");
    }
    assertThat(server.getRequestCount()).isEqualTo(5);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);

    List<JsonNode> records = Journal.records(dataDir);
    assertThat(records).extracting(n -> n.get("status").asText())
        .containsExactly("ok", "ok", "ok", "error", "ok", "blocked", "blocked", "blocked");
    assertThat(records.get(0).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(records.get(0).get("reservation").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION);
    assertThat(records.get(1).get("stream").asBoolean()).isTrue();
    assertThat(records.get(1).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.ANTHROPIC_SSE_COST);
    assertThat(records.get(2).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(records.get(3).get("http_status").asInt()).isEqualTo(429);
    assertThat(records.get(3).get("cost").decimalValue()).isZero();
    assertThat(records.get(4).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(r.stderr).doesNotContain("unmetered traffic");
    assertThat(r.agentLog()).as(r.toString()).noneMatch(VertxIT::unexpected).anyMatch(l -> l.contains(
        "blocked a call to fake-openai (gpt-4o)"));
  }

  private static MockResponse gzipped(String json) throws IOException {
    Buffer body = new Buffer();
    try (BufferedSink gzip = Okio.buffer(new GzipSink(body))) {
      gzip.writeUtf8(json);
    }
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .addHeader("Content-Encoding", "gzip").body(body).build();
  }

  @Test
  void blockedInExceptionMode_failsTheSend_andNonMeteredPathIsByteIdentical() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    String other = "send:/other/chat/completions:" + Fixtures.OPENAI_REQUEST;

    Fork.Result with = app("jetty120", other, "send:/v1/chat/completions:" + VertxIT.BLOCKED_REQUEST,
        "async:/v1/chat/completions:" + VertxIT.BLOCKED_REQUEST).prop("tollgate.block-mode", "exception").run();
    Fork.Result without = app("jetty120", other).withoutAgent().run();

    assertThat(with.lines("send1 ")).as(with.toString()).containsExactly("STATUS 200", "BLOCKED null", "BODY " + Fixtures.OPENAI_JSON);
    assertThat(with.lines("send1 ")).isEqualTo(without.lines("send1 "));
    assertThat(VertxIT.wire(server.takeRequest())).isEqualTo(VertxIT.wire(server.takeRequest()));
    for (String blocked : List.of("send2 ", "async3 ")) {
      assertThat(with.lines(blocked)).singleElement().asString().startsWith("ERROR dev.tollgate.api.CreditsExhaustedException");
    }
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(Journal.records(dataDir)).extracting(n -> n.get("status").asText()).containsExactly("blocked", "blocked");
    // The call the agent does not meter went to a metered endpoint's host: Jetty opened it, not warned about.
    assertThat(with.agentLog()).as(with.toString()).noneMatch(VertxIT::unexpected);
  }
}
