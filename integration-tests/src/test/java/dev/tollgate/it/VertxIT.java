package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.VertxApp;
import java.util.List;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Vert.x core {@code HttpClient} and WebClient (4.5 and 5.0) under the agent: one forked application
 * per version runs every scenario, in order.
 */
class VertxIT extends LoopbackTest {
  /** gpt-4o has a budget of 0: its calls are blocked, gpt-4o-mini's and Claude's go on. */
  static final String BLOCKED_REQUEST = Fixtures.OPENAI_REQUEST.replace("gpt-4o-mini", "gpt-4o");

  private Fork app(String version, String... steps) {
    return stepsApp(version, VertxApp.class, steps);
  }

  @ParameterizedTest
  @ValueSource(strings = {"vertx4", "vertx5"})
  void coreClientAndWebClient_meterExactly_streamAsRead_releaseErrors_andBlockWithNothingSent(String version) throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.sse(Fixtures.ANTHROPIC_SSE));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.error(429, Fixtures.OPENAI_RATE_LIMITED));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(version,
        "send:/v1/chat/completions:" + Fixtures.OPENAI_REQUEST,
        "stream:/anthropic/v1/messages:" + Fixtures.ANTHROPIC_STREAM_REQUEST,
        "chunked:/v1/chat/completions:" + Fixtures.OPENAI_REQUEST,
        "send:/v1/chat/completions:" + Fixtures.OPENAI_REQUEST,
        "web:/v1/chat/completions:" + Fixtures.OPENAI_REQUEST,
        "send:/v1/chat/completions:" + BLOCKED_REQUEST,
        "web:/v1/chat/completions:" + BLOCKED_REQUEST).run();

    assertThat(r.exit).as(r.toString()).isZero();
    assertThat(r.lines("send1 ")).containsExactly("STATUS 200", "BODY " + Fixtures.OPENAI_JSON);
    assertThat(r.lines("stream2 LINE ")).as(r.toString()).contains("event: message_stop");
    assertThat(r.lines("chunked3 ")).containsExactly("STATUS 200", "BODY " + Fixtures.OPENAI_JSON);
    assertThat(r.lines("send4 ")).containsExactly("STATUS 429", "BODY " + Fixtures.OPENAI_RATE_LIMITED);
    assertThat(r.lines("web5 ")).containsExactly("STATUS 200", "BODY " + Fixtures.OPENAI_JSON);
    // In response mode too the application's future fails, with the JSON the 402 of other clients carries.
    for (String blocked : List.of("send6 ", "web7 ")) {
      String line = r.lines(blocked).get(0);
      assertThat(line).as(r.toString()).startsWith("ERROR java.io.IOException Tollgate blocked this call: {");
      assertThat(Journal.json(line.substring(line.indexOf('{'))).get("error").get("code").asText()).isEqualTo("tollgate_blocked");
    }
    // The blocked calls sent nothing: five requests reached the server, the last one WebClient's.
    assertThat(server.getRequestCount()).isEqualTo(5);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(Fixtures.ANTHROPIC_STREAM_REQUEST);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);

    List<JsonNode> records = Journal.records(dataDir);
    assertThat(records).extracting(n -> n.get("status").asText())
        .containsExactly("ok", "ok", "ok", "error", "ok", "blocked", "blocked");
    assertThat(records.get(0).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(records.get(0).get("reservation").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION);
    assertThat(records.get(1).get("stream").asBoolean()).isTrue();
    assertThat(records.get(1).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.ANTHROPIC_SSE_COST);
    // Written in two pieces, the body was estimated from nothing (no model: the fallback price); the record is exact.
    assertThat(records.get(2).get("cost").decimalValue()).as(records.get(2).toString()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(records.get(3).get("http_status").asInt()).isEqualTo(429);
    assertThat(records.get(3).get("cost").decimalValue()).isZero();
    assertThat(records.get(4).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    // Vert.x connects from its event loop, before a request's body exists: the safety net knows it as a hooked client.
    assertThat(r.stderr).doesNotContain("unmetered traffic");
    assertThat(r.agentLog()).as(r.toString()).noneMatch(VertxIT::unexpected).anyMatch(l -> l.contains(
        "blocked a call to fake-openai (gpt-4o)"));
  }

  @Test
  void nonMeteredPath_isByteIdenticalWithAndWithoutTheAgent_andExceptionModeFailsWithCreditsExhausted() throws Exception {
    for (int i = 0; i < 4; i++) {
      server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    }
    String[] steps = {"send:/other/chat/completions:" + Fixtures.OPENAI_REQUEST, "web:/other/chat/completions:" + Fixtures.OPENAI_REQUEST};

    Fork.Result with = app("vertx5", steps).args("send:/v1/chat/completions:" + BLOCKED_REQUEST, "web:/v1/chat/completions:"
        + BLOCKED_REQUEST)
        .prop("tollgate.block-mode", "exception").run();
    Fork.Result without = app("vertx5", steps).withoutAgent().run();

    assertThat(with.lines("send1 ")).as(with.toString()).containsExactly("STATUS 200", "BODY " + Fixtures.OPENAI_JSON);
    assertThat(with.lines("send1 ")).isEqualTo(without.lines("send1 "));
    assertThat(with.lines("web2 ")).isEqualTo(without.lines("web2 "));
    List<String> wire = List.of(wire(server.takeRequest()), wire(server.takeRequest()));
    assertThat(List.of(wire(server.takeRequest()), wire(server.takeRequest()))).isEqualTo(wire);
    for (String blocked : List.of("send3 ", "web4 ")) {
      assertThat(with.lines(blocked)).singleElement().asString().startsWith("ERROR dev.tollgate.api.CreditsExhaustedException");
    }
    assertThat(server.getRequestCount()).isEqualTo(4);
    assertThat(Journal.records(dataDir)).extracting(n -> n.get("status").asText()).containsExactly("blocked", "blocked");
    // A call the agent does not meter, to a metered endpoint's host, over a connection Vert.x opened: not warned about.
    assertThat(with.agentLog()).as(with.toString()).noneMatch(VertxIT::unexpected);
  }

  @Test
  void http2_isMeteredThroughTheSamePath_andABlockedStreamFailsWithTheBlock() throws Exception {
    try (MockWebServer h2 = new MockWebServer()) {
      h2.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
      h2.start();
      h2.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

      Fork.Result r = Fork.app("vertx4", VertxApp.class).prop("tollgate.data-dir", dataDir)
          .prop("tollgate.budget.model.gpt-4o", "0/day").prop("tollgate.block-mode", "exception")
          .endpoint("fake-openai", h2.url("/v1").toString(), "openai")
          .args(h2.url("").toString().replaceAll("/$", ""), "h2:/v1/chat/completions:" + Fixtures.OPENAI_REQUEST,
              "h2:/v1/chat/completions:" + BLOCKED_REQUEST)
          .run();

      assertThat(r.lines("h21 ")).as(r.toString()).containsExactly("STATUS 200", "BODY " + Fixtures.OPENAI_JSON);
      // A stream reset before HTTP/2 allocated it reports a reset of its own: the block's exception comes first.
      assertThat(r.lines("h22 ")).singleElement().asString().startsWith("ERROR dev.tollgate.api.CreditsExhaustedException");
      assertThat(h2.getRequestCount()).isEqualTo(1);
      assertThat(Journal.records(dataDir)).extracting(n -> n.get("status").asText()).containsExactly("ok", "blocked");
      assertThat(Journal.records(dataDir).get(0).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    }
  }

  /** An agent line other than the one-time notices of a block or of a body estimated without its model. */
  static boolean unexpected(String agentLine) {
    return !agentLine.contains("blocked a call to") && !agentLine.contains("model (no model in request) has no price");
  }

  static String wire(RecordedRequest request) {
    return request.getRequestLine() + "\n" + request.getHeaders() + "\n" + request.getBody().utf8();
  }
}
