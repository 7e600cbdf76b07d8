package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.SpringApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spring's WebClient and RestClient on Reactor Netty, and Spring AI 1.x's OpenAI chat client on top
 * of them: the classpath of a Spring Boot WebFlux app (it-classpaths/spring).
 */
class SpringIT extends LoopbackTest {

  private Fork app(String mode, String... args) {
    return Fork.app("spring", SpringApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .args(mode).args(args);
  }

  @ParameterizedTest
  @ValueSource(strings = {"webclient", "restclient"})
  void json_isMeteredWithExactCost_andTheRequestLeavesIntact(String mode) throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(mode, url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("BODY ")).as(r.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(rec.get("reservation").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION); // estimated from the body
    assertThat(r.agentLog()).isEmpty();
  }

  @Test
  void webClientStream_isMeteredFromTheUsageChunk() throws Exception {
    server.enqueue(Fixtures.sse(Fixtures.OPENAI_SSE));

    Fork.Result r = app("webclient-stream", url("/v1/chat/completions"), Fixtures.OPENAI_STREAM_REQUEST).run();

    assertThat(r.lines("LINE ")).as(r.toString()).contains("data: [DONE]");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("stream").asBoolean()).isTrue();
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(20);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_SSE_COST);
    assertThat(r.agentLog()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"webclient", "restclient"})
  void blocked_answers402_andNothingLeaves(String mode) {
    Fork.Result r = app(mode, url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST).prop("tollgate.budget", "0").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("402");
    assertThat(r.lines("BLOCKED ")).containsExactly("true");
    assertThat(Journal.json(r.lines("BODY ").get(0)).get("error").get("code").asText()).isEqualTo("tollgate_blocked");
    assertThat(server.getRequestCount()).isZero();
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("blocked");
  }

  @ParameterizedTest
  @ValueSource(strings = {"webclient", "restclient"})
  void blockedInExceptionMode_failsWithCreditsExhausted(String mode) {
    Fork.Result r = app(mode, url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST)
        .prop("tollgate.budget", "0").prop("tollgate.block-mode", "exception").run();

    assertThat(String.join("\n", r.lines("ERROR ")) + r.lines("CAUSE ")).as(r.toString())
        .contains("dev.tollgate.api.CreditsExhaustedException");
    assertThat(server.getRequestCount()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"webclient", "restclient"})
  void nonMeteredPath_isByteIdenticalWithAndWithoutTheAgent(String mode) throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result with = app(mode, url("/other/chat/completions"), Fixtures.OPENAI_REQUEST).prop("tollgate.budget", "0").run();
    Fork.Result without = app(mode, url("/other/chat/completions"), Fixtures.OPENAI_REQUEST).withoutAgent().run();

    assertThat(with.lines("BODY ")).as(with.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(with.lines("BODY ")).isEqualTo(without.lines("BODY "));
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(server.takeRequest().getBody().utf8());
    assertThat(Journal.records(dataDir)).isEmpty();
  }

  @Test
  void springAi_chatClientCall_isMetered() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app("springai", url("")).run();

    assertThat(r.lines("TOKENS ")).as(r.toString()).containsExactly("1500");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(server.takeRequest().getHeaders().get("Authorization")).isEqualTo("Bearer sk-test-not-a-real-key");
    assertThat(r.stdout + r.stderr + Journal.records(dataDir)).doesNotContain("sk-test-not-a-real-key");
    assertThat(r.agentLog()).isEmpty();
  }

  @Test
  void springAi_chatClientStream_isMeteredThroughWebClient() throws Exception {
    server.enqueue(Fixtures.sse(Fixtures.OPENAI_SSE));

    Fork.Result r = app("springai-stream", url("")).run();

    assertThat(r.lines("TEXT ")).as(r.toString()).containsExactly("Hello!");
    assertThat(server.takeRequest().getBody().utf8()).contains("\"stream\":true").contains("\"include_usage\":true");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("stream").asBoolean()).isTrue();
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_SSE_COST);
    assertThat(r.agentLog()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"springai", "springai-stream"})
  void springAi_blocked_surfacesTheErrorOnce_andNothingLeaves(String mode) throws Exception {
    Fork.Result r = app(mode, url("")).prop("tollgate.budget", "0").run();

    assertThat(String.join("\n", r.lines("ERROR ")) + r.lines("CAUSE ")).as(r.toString()).contains("402");
    assertThat(server.getRequestCount()).isZero();
    assertThat(Journal.records(dataDir)).singleElement().satisfies(rec -> assertThat(rec.get("status").asText()).isEqualTo("blocked"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"webclient:spring-webclient", "restclient:spring-rest-client"})
  void switchedOff_theCallGoesOutUnmetered(String modeAndSwitch) throws Exception {
    String[] m = modeAndSwitch.split(":");
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(m[0], url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST)
        .prop("tollgate.budget", "0").prop("tollgate.instrumentation." + m[1] + ".enabled", "false").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    assertThat(server.getRequestCount()).isOne();
    assertThat(Journal.records(dataDir)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"webclient", "restclient"})
  void inAChildClassLoader_likeASpringBootJar_isMeteredAndBlocked(String mode) throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result ok = app(mode, url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST).inNestedLoader().prop("tollgate.budget", "1").run();
    Fork.Result blocked = app(mode, url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST).inNestedLoader().prop("tollgate.budget", "0")
        .run();

    assertThat(ok.lines("BODY ")).as(ok.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(blocked.lines("STATUS ")).as(blocked.toString()).containsExactly("402");
    assertThat(server.getRequestCount()).isOne();
    assertThat(Journal.records(dataDir)).extracting(rec -> rec.get("status").asText()).containsExactly("ok", "blocked");
    assertThat(ok.agentLog()).isEmpty();
  }

  @Test
  void webClientStreamCancelledByTheApp_isRecordedCancelled_andReleasesTheRest() throws Exception {
    server.enqueue(Fixtures.sse(Fixtures.OPENAI_SSE));

    Fork.Result r = app("webclient-cancel", url("/v1/chat/completions"), Fixtures.OPENAI_STREAM_REQUEST).prop("tollgate.budget", "1").run();

    assertThat(r.lines("FIRST ")).as(r.toString()).hasSize(1);
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("status").asText()).isEqualTo("cancelled");
    assertThat(rec.get("estimated").asBoolean()).isTrue();
    assertThat(r.lines("BALANCE ")).singleElement().satisfies(b -> assertThat(new java.math.BigDecimal(b))
        .isEqualByComparingTo(java.math.BigDecimal.ONE.subtract(rec.get("cost").decimalValue())));
  }
}
