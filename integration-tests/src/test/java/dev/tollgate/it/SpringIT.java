package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.SpringApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spring's WebClient and RestClient on Reactor Netty, and Spring AI 1.x's OpenAI chat client on top
 * of them: the classpath of a Spring Boot WebFlux app (it-classpaths/spring). The shared scenarios are {@link SpringContractIT}.
 */
class SpringIT extends LoopbackTest {

  private Fork app(String mode, String... args) {
    return Fork.app("spring", SpringApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .args(mode).args(args);
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
