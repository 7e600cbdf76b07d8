package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.JdkHttpApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code java.net.http.HttpClient} under the agent: the same flow as OkHttp, through the JDK's own client. */
class JdkHttpClientIT extends LoopbackTest {

  private Fork app(String mode, String path, String body) {
    return Fork.app("jdk", JdkHttpApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .endpoint("fake-anthropic", url("/anthropic/v1"), "anthropic")
        .args(mode, url(path), body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"send", "async"})
  void ofString_openAiJson_isMeteredWithExactCost(String mode) throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(mode, "/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("BODY ")).as(r.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(rec.get("reservation").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION); // the body was read for the estimate
    assertThat(r.agentLog()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"inputstream", "lines"})
  void streamedSse_isMeteredFromTheUsageEvents(String mode) throws Exception {
    server.enqueue(Fixtures.sse(Fixtures.ANTHROPIC_SSE));

    Fork.Result r = app(mode, "/anthropic/v1/messages", Fixtures.ANTHROPIC_STREAM_REQUEST).run();

    assertThat(r.lines("LINE ")).as(r.toString()).contains("event: message_stop");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("stream").asBoolean()).isTrue();
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(35);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.ANTHROPIC_SSE_COST);
  }

  @ParameterizedTest
  @ValueSource(strings = {"send", "async", "lines"})
  void blocked_answers402ThroughTheAppsOwnHandler_andNothingLeaves(String mode) {
    Fork.Result r = app(mode, "/v1/chat/completions", Fixtures.OPENAI_REQUEST).prop("tollgate.budget", "0").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("402");
    assertThat(r.lines("BLOCKED ")).containsExactly("true");
    String body = String.join("", mode.equals("lines") ? r.lines("LINE ") : r.lines("BODY "));
    assertThat(Journal.json(body).get("error").get("code").asText()).isEqualTo("tollgate_blocked");
    assertThat(server.getRequestCount()).isZero();
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("blocked");
  }

  @Test
  void blockedInExceptionMode_failsTheCallWithCreditsExhausted() {
    Fork.Result r = app("send", "/v1/chat/completions", Fixtures.OPENAI_REQUEST)
        .prop("tollgate.budget", "0").prop("tollgate.block-mode", "exception").run();

    String thrown = r.lines("ERROR ").get(0) + r.lines("CAUSE ");
    assertThat(thrown).as(r.toString()).contains("dev.tollgate.api.CreditsExhaustedException");
    assertThat(server.getRequestCount()).isZero();
  }

  @Test
  void nonMeteredPath_passesThroughUntouched() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app("send", "/other/chat/completions", Fixtures.OPENAI_REQUEST).prop("tollgate.budget", "0").run();

    assertThat(r.lines("BODY ")).as(r.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(Journal.records(dataDir)).isEmpty();
  }

  @Test
  void connectionRefused_releasesTheReservation_andRecordsAnError() {
    Fork.Result r = Fork.app("jdk", JdkHttpApp.class).prop("tollgate.data-dir", dataDir).prop("tollgate.budget", "1")
        .endpoint("dead", "http://127.0.0.1:9/v1", "openai")
        .args("send", "http://127.0.0.1:9/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("ERROR ")).as(r.toString()).singleElement().asString().startsWith("java.net.ConnectException");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("status").asText()).isEqualTo("error");
    assertThat(rec.get("cost").decimalValue()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"send", "async"})
  void https_isMetered_andBlockedWithoutAConnection(String mode) throws Exception {
    java.util.Map<String, String> trust = useHttps();
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result ok = app(mode, "/v1/chat/completions", Fixtures.OPENAI_REQUEST).props(trust).prop("tollgate.budget", "1").run();
    Fork.Result blocked = app(mode, "/v1/chat/completions", Fixtures.OPENAI_REQUEST).props(trust).prop("tollgate.budget", "0").run();

    assertThat(url("/")).startsWith("https://");
    assertThat(ok.lines("BODY ")).as(ok.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(blocked.lines("STATUS ")).as(blocked.toString()).containsExactly("402");
    assertThat(server.getRequestCount()).isOne();
    assertThat(Journal.records(dataDir)).extracting(rec -> rec.get("status").asText()).containsExactly("ok", "blocked");
    assertThat(Journal.records(dataDir).get(0).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
  }
}
