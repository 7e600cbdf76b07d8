package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.ScenarioDriver;
import dev.tollgate.it.apps.SpringApp;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Spring's WebClient and RestClient on Reactor Netty, and Spring AI 1.x's OpenAI chat client on top
 * of them: the classpath of a Spring Boot WebFlux app (it-classpaths/spring). The shared scenarios are {@link SpringContractIT}.
 *
 * <p>A Spring JVM is among the dearest forks of the suite, so the tests share them ({@link SharedJvms}):
 * one JVM per set of JVM-wide settings ({@link Jvm}), 6 for the 9 tests where there were 11.
 */
class SpringIT extends SharedJvms<SpringIT.Jvm> {

  /** The JVM-wide settings; one forked JVM each. */
  enum Jvm {
    /** Budget 1. */
    PLENTY,
    /** Budget 0: every metered call is blocked. */
    ZERO,
    /** Budget 0, the WebClient hook switched off. */
    WEBCLIENT_OFF,
    /** Budget 0, the RestClient hook switched off. */
    RESTCLIENT_OFF,
    /** Budget 1, the app in a child class loader (as a Spring Boot jar runs it). */
    NESTED_PLENTY,
    /** Budget 0, the app in a child class loader. */
    NESTED_ZERO
  }

  @Test
  void springAi_chatClientCall_isMetered() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.PLENTY, "ai");

    assertThat(s.lines("TOKENS ")).as(s.toString()).containsExactly("1500");
    JsonNode rec = only(Jvm.PLENTY, "ai");
    assertThat(rec.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(requests("ai")).singleElement().satisfies(r -> assertThat(r.getHeaders().get("Authorization")).isEqualTo(
        "Bearer sk-test-not-a-real-key"));
    ClientContractIT.Run run = run(Jvm.PLENTY);
    assertThat(run.out.stdout + run.out.stderr + run.journal).doesNotContain("sk-test-not-a-real-key");
    assertThat(s.agentLog()).isEmpty();
  }

  @Test
  void springAi_chatClientStream_isMeteredThroughWebClient() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.PLENTY, "ai-stream");

    assertThat(s.lines("TEXT ")).as(s.toString()).containsExactly("Hello!");
    assertThat(requests("ai-stream")).singleElement().satisfies(r -> assertThat(r.getBody().utf8()).contains("\"stream\":true").contains(
        "\"include_usage\":true"));
    JsonNode rec = only(Jvm.PLENTY, "ai-stream");
    assertThat(rec.get("stream").asBoolean()).isTrue();
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_SSE_COST);
    assertThat(s.agentLog()).isEmpty();
  }

  /**
   * WebClient's request is written once into a capture, to estimate it before a connection opens, and
   * that capture is what is sent: the body is encoded once (twice before: the callback ran again on
   * the real request), and the headers and cookies the callback set still reach the server.
   */
  @Test
  void webClient_bodyIsEncodedOnce_andWhatTheCallbackSetIsSent() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.PLENTY, "pojo");

    assertThat(s.lines("BODY ")).as(s.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(s.lines("ENCODED ")).as(s.toString()).containsExactly("1");
    assertThat(requests("pojo")).singleElement().satisfies(r -> {
      assertThat(r.getHeaders().get("X-App")).isEqualTo("yes");
      assertThat(r.getHeaders().get("Cookie")).isEqualTo("session=abc");
      assertThat(r.getHeaders().get("X-Commit")).as("set by an action before commit, on its request").isEqualTo("at-commit");
      assertThat(r.getHeaders().get("Content-Type")).isEqualTo("application/json");
      assertThat(r.getBody().utf8()).contains("\"model\":\"gpt-4o-mini\"").contains("\"max_tokens\":100");
      assertThat(r.getHeaders().get("Content-Length")).isEqualTo(String.valueOf(r.getBody().size()));
    });
    JsonNode rec = only(Jvm.PLENTY, "pojo");
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(s.agentLog()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"springai", "springai-stream"})
  void springAi_blocked_surfacesTheErrorOnce_andNothingLeaves(String mode) throws Exception {
    String id = "blocked-" + mode;
    ClientContractIT.Slice s = slice(Jvm.ZERO, id);

    assertThat(String.join("\n", s.lines("ERROR ")) + s.lines("CAUSE ")).as(s.toString()).contains("402");
    assertThat(requests(id)).isEmpty();
    assertThat(only(Jvm.ZERO, id).get("status").asText()).isEqualTo("blocked");
  }

  @ParameterizedTest
  @ValueSource(strings = {"webclient", "restclient"})
  void switchedOff_theCallGoesOutUnmetered(String mode) throws Exception {
    Jvm jvm = mode.equals("webclient") ? Jvm.WEBCLIENT_OFF : Jvm.RESTCLIENT_OFF;
    String id = "off-" + mode;
    ClientContractIT.Slice s = slice(jvm, id);

    assertThat(s.lines("STATUS ")).as(s.toString()).containsExactly("200");
    assertThat(requests(id)).hasSize(1);
    assertThat(run(jvm).journal).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"webclient", "restclient"})
  void inAChildClassLoader_likeASpringBootJar_isMeteredAndBlocked(String mode) throws Exception {
    ClientContractIT.Slice ok = slice(Jvm.NESTED_PLENTY, "nested-" + mode);
    ClientContractIT.Slice blocked = slice(Jvm.NESTED_ZERO, "nested-blocked-" + mode);

    assertThat(ok.lines("BODY ")).as(ok.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(blocked.lines("STATUS ")).as(blocked.toString()).containsExactly("402");
    assertThat(requests("nested-" + mode)).hasSize(1);
    assertThat(requests("nested-blocked-" + mode)).isEmpty();
    assertThat(only(Jvm.NESTED_PLENTY, "nested-" + mode).get("status").asText()).isEqualTo("ok");
    assertThat(only(Jvm.NESTED_ZERO, "nested-blocked-" + mode).get("status").asText()).isEqualTo("blocked");
    assertThat(ok.agentLog()).isEmpty();
  }

  @Test
  void webClientStreamCancelledByTheApp_isRecordedCancelled_andReleasesTheRest() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.PLENTY, "cancel"); // the JVM's first call: its balance is 1 less this call

    assertThat(s.lines("FIRST ")).as(s.toString()).hasSize(1);
    JsonNode rec = only(Jvm.PLENTY, "cancel");
    assertThat(rec.get("status").asText()).isEqualTo("cancelled");
    assertThat(rec.get("estimated").asBoolean()).isTrue();
    assertThat(s.lines("BALANCE ")).singleElement().satisfies(b -> assertThat(new java.math.BigDecimal(b))
        .isEqualByComparingTo(java.math.BigDecimal.ONE.subtract(rec.get("cost").decimalValue())));
  }

  // ---- the shared JVMs ----

  @Override
  Script script(Jvm jvm) {
    Script script = new Script();
    switch (jvm) {
      case PLENTY:
        call(script, "cancel", () -> Fixtures.sse(Fixtures.OPENAI_SSE), "webclient-cancel", url("cancel", "/v1/chat/completions"),
            Fixtures.OPENAI_STREAM_REQUEST);
        call(script, "ai", () -> Fixtures.json(Fixtures.OPENAI_JSON), "springai", url("ai", ""));
        call(script, "pojo", () -> Fixtures.json(Fixtures.OPENAI_JSON), "webclient-pojo", url("pojo", "/v1/chat/completions"));
        call(script, "ai-stream", () -> Fixtures.sse(Fixtures.OPENAI_SSE), "springai-stream", url("ai-stream", ""));
        break;
      case ZERO:
        for (String mode : List.of("springai", "springai-stream")) {
          call(script, "blocked-" + mode, () -> Fixtures.json(Fixtures.OPENAI_JSON), mode, url("blocked-" + mode, ""));
        }
        break;
      case WEBCLIENT_OFF:
      case RESTCLIENT_OFF: {
        String mode = jvm == Jvm.WEBCLIENT_OFF ? "webclient" : "restclient";
        call(script, "off-" + mode, () -> Fixtures.json(Fixtures.OPENAI_JSON), mode, url("off-" + mode, "/v1/chat/completions"),
            Fixtures.OPENAI_REQUEST);
        break;
      }
      default: {
        String prefix = jvm == Jvm.NESTED_PLENTY ? "nested-" : "nested-blocked-";
        for (String mode : List.of("webclient", "restclient")) {
          call(script, prefix + mode, () -> Fixtures.json(Fixtures.OPENAI_JSON), mode, url(prefix + mode, "/v1/chat/completions"),
              Fixtures.OPENAI_REQUEST);
        }
      }
    }
    return script;
  }

  private void call(Script script, String id, Supplier<MockResponse> answer, Object... args) {
    answer(id, answer);
    script.add(id, SpringApp.class, args);
  }

  @Override
  Fork fork(Jvm jvm, Path dataDir, List<String> ids) {
    Fork fork = Fork.app("spring", ScenarioDriver.class).prop("tollgate.data-dir", dataDir);
    for (String id : ids) {
      fork.endpoint(id, url(id, "/v1"), "openai");
    }
    fork.prop("tollgate.budget", jvm == Jvm.PLENTY || jvm == Jvm.NESTED_PLENTY ? "1" : "0");
    if (jvm == Jvm.WEBCLIENT_OFF) {
      fork.prop("tollgate.instrumentation.spring-webclient.enabled", "false");
    } else if (jvm == Jvm.RESTCLIENT_OFF) {
      fork.prop("tollgate.instrumentation.spring-rest-client.enabled", "false");
    } else if (jvm == Jvm.NESTED_PLENTY || jvm == Jvm.NESTED_ZERO) {
      fork.inNestedLoader();
    }
    return fork;
  }
}
