package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.ReactorNettyApp;
import java.math.BigDecimal;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * Reactor Netty's {@code HttpClient} used directly (it-classpaths/azure: Reactor Netty 1.0, as
 * azure-core-http-netty brings it), every scenario in one forked JVM. Spring's clients on Reactor
 * Netty are SpringIT's: they stay metered once, by the Spring hooks.
 */
class ReactorNettyIT extends LoopbackTest {

  @Test
  void directUse_isMeteredStreamedAndInflated_blockedSendsNothing_cutAndCancelledBodiesSettle() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON)); // json
    server.enqueue(Fixtures.sse(Fixtures.OPENAI_SSE)); // stream
    server.enqueue(gzipped(Fixtures.OPENAI_JSON)); // gzip: Reactor Netty inflates
    server.enqueue(gzipped(Fixtures.OPENAI_JSON)); // gzip-raw: the app reads the compressed bytes
    // blocked: nothing reaches the server
    server.enqueue(new MockResponse.Builder(Fixtures.sse(Fixtures.OPENAI_SSE)).onResponseBody(new SocketEffect.CloseSocket()).build()); // cut
    // cancel: the app takes the first chunk while the rest trickles (a deadline far beyond the test, not a timing)
    server.enqueue(new MockResponse.Builder(Fixtures.sse(Fixtures.OPENAI_SSE)).throttleBody(64, 1, TimeUnit.SECONDS).build());

    Fork.Result r = Fork.app("azure", ReactorNettyApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .prop("tollgate.budget", "1")
        .prop("tollgate.attribute.tenant", "header:X-Tenant").prop("tollgate.budget.tenant.broke", "0")
        .args(url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, Fixtures.OPENAI_STREAM_REQUEST,
            "json", "stream", "gzip", "gzip-raw", "blocked", "cut", "cancel")
        .run();

    assertThat(r.lines("json ")).as(r.toString()).containsExactly("200 " + Fixtures.OPENAI_JSON, "SETTLED true");
    assertThat(r.lines("stream ")).containsExactly("DONE true", "SETTLED true");
    assertThat(r.lines("gzip ")).containsExactly(Fixtures.OPENAI_JSON, "SETTLED true");
    assertThat(r.lines("gzip-raw BYTES ")).singleElement().satisfies(n -> assertThat(Integer.parseInt(n)).isLessThan(Fixtures.OPENAI_JSON.length()));
    assertThat(r.lines("blocked ")).singleElement().asString()
        .startsWith("ERROR dev.tollgate.agent.bootstrap.BlockedCallException").contains("tollgate_blocked");
    assertThat(r.lines("cut ")).last().isEqualTo("SETTLED true");
    assertThat(r.lines("cancel ")).contains("SETTLED true");

    assertThat(server.getRequestCount()).isEqualTo(6); // the blocked call never left
    for (String expected : List.of(Fixtures.OPENAI_REQUEST, Fixtures.OPENAI_STREAM_REQUEST, Fixtures.OPENAI_REQUEST,
        Fixtures.OPENAI_REQUEST, Fixtures.OPENAI_STREAM_REQUEST, Fixtures.OPENAI_STREAM_REQUEST)) {
      RecordedRequest sent = server.takeRequest();
      assertThat(sent.getBody().utf8()).isEqualTo(expected); // the captured body, sent once, intact
      assertThat(sent.getHeaders().get("X-Tenant")).isNull();
    }

    List<JsonNode> records = Journal.records(dataDir);
    assertThat(records).extracting(rec -> rec.get("status").asText())
        .containsExactly("ok", "ok", "ok", "ok", "blocked", "cancelled", "cancelled");
    JsonNode json = records.get(0);
    assertThat(json.get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(json.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(json.get("reservation").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION); // estimated from the body
    assertThat(records.get(1).get("stream").asBoolean()).isTrue();
    assertThat(records.get(1).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_SSE_COST);
    assertThat(records.get(2).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(records.get(3).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    BigDecimal spent = BigDecimal.ZERO;
    for (JsonNode rec : records) {
      spent = spent.add(rec.get("cost").decimalValue());
    }
    // Every reservation released: what is left is the budget less what the calls cost.
    assertThat(new BigDecimal(r.lines("BALANCE ").get(0))).isEqualByComparingTo(BigDecimal.ONE.subtract(spent));
    assertThat(r.agentLog()).as(r.toString()).noneMatch(line -> line.contains("could not") || line.contains("inside Tollgate"));
  }

  private static MockResponse gzipped(String text) throws Exception {
    Buffer body = new Buffer();
    try (GZIPOutputStream gzip = new GZIPOutputStream(body.outputStream())) {
      gzip.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json")
        .addHeader("Content-Encoding", "gzip").body(body).build();
  }
}
