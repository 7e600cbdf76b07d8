package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** OkHttp 3.14, 4.12 and 5.x under the agent: what only OkHttp needs (held streams, new builders, restart, the built-in catalog through a proxy); the shared scenarios are {@link OkHttpContractIT}. */
class OkHttpIT extends LoopbackTest {

  private Fork app(String okhttp, String mode, String path, String body) {
    return Fork.app(okhttp, OkHttpApp.class)
        .prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .endpoint("fake-anthropic", url("/anthropic/v1"), "anthropic")
        .args(mode, url(path), body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp3", "okhttp4", "okhttp5"})
  void stream_syncAndEnqueued_reachesTheAppBeforeItEnds_andIsMeteredWhole(String okhttp) throws Exception {
    try (HeldStreamServer held = new HeldStreamServer("/v1/chat/completions", Fixtures.OPENAI_SSE)) {
      // The app acks each stream's first event; the server sends the rest only then.
      Fork.Result r = Fork.app(okhttp, OkHttpApp.class).prop("tollgate.data-dir", dataDir)
          .endpoint("held-openai", held.url("/v1"), "openai")
          .args("stream,async-stream", held.url("/v1/chat/completions"), Fixtures.OPENAI_STREAM_REQUEST, "--ack", held.url("/ack")).run();

      assertThat(held.releasedByAck()).as(r.toString()).containsExactly(true, true);
      assertThat(r.lines("ACKED ")).containsExactly("204", "204");
      assertThat(String.join("\n", r.lines("LINE ")) + "\n").isEqualTo(Fixtures.OPENAI_SSE + Fixtures.OPENAI_SSE);
    }
    List<JsonNode> records = Journal.records(dataDir);
    assertThat(records).hasSize(2).allSatisfy(rec -> {
      assertThat(rec.get("status").asText()).isEqualTo("ok");
      assertThat(rec.get("provider").asText()).isEqualTo("held-openai");
      assertThat(rec.get("input_tokens").asLong()).isEqualTo(50);
      assertThat(rec.get("output_tokens").asLong()).isEqualTo(20);
      assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_SSE_COST);
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp3", "okhttp4", "okhttp5"})
  void enqueue_stream_isMeteredExactly_thenAnEnqueuedCallOverBudget_gets402WithoutLeaving(String okhttp) throws Exception {
    server.enqueue(Fixtures.sse(Fixtures.OPENAI_SSE));

    // The stream fits in 0.00007 and leaves 0.0000505, less than the second call needs (counted: 0.0000618).
    Fork.Result r = app(okhttp, "async-stream", "/v1/chat/completions", Fixtures.OPENAI_STREAM_REQUEST)
        .prop("tollgate.budget", "0.00007").prop("tollgate.tokenizer", "heuristic")
        .args("--and", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "--balance").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200", "402");
    assertThat(r.lines("BLOCKED ")).containsExactly("null", "true");
    List<String> lines = r.lines("LINE ");
    assertThat(String.join("\n", lines.subList(0, lines.size() - 1)) + "\n").isEqualTo(Fixtures.OPENAI_SSE);
    JsonNode error = Journal.json(lines.get(lines.size() - 1)).get("error");
    assertThat(error.get("code").asText()).isEqualTo("tollgate_blocked");
    assertThat(error.get("message").asText()).contains("needs up to " + Fixtures.OPENAI_REQUEST_COUNTED
        + " credits and 0.0000505 are available");
    assertThat(r.lines("BALANCE ")).containsExactly("0.0000505", "0.0000505");
    assertThat(server.getRequestCount()).isOne();
    List<JsonNode> records = Journal.records(dataDir);
    assertThat(records).extracting(rec -> rec.get("status").asText()).containsExactly("ok", "blocked");
    JsonNode streamed = records.get(0);
    assertThat(streamed.get("stream").asBoolean()).isTrue();
    assertThat(streamed.get("input_tokens").asLong()).isEqualTo(50);
    assertThat(streamed.get("output_tokens").asLong()).isEqualTo(20);
    assertThat(streamed.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_SSE_COST);
    assertThat(streamed.get("request_id").asText()).isEqualTo("chatcmpl-s1");
    assertThat(records.get(1).get("cost").decimalValue()).isZero();
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp3", "okhttp4", "okhttp5"})
  void spendAcrossCalls_exhaustsBudget_thenBlocks_withNewBuilderClientsCountedOnce_overHttpsOnOkHttp3And5(String okhttp) throws Exception {
    // OkHttp 3 and 5 over HTTPS: metered at exact cost, then blocked without a connection (one JVM for both).
    Map<String, String> trust = okhttp.equals("okhttp4") ? Map.of() : useHttps();
    for (int i = 0; i < 3; i++) {
      server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    }

    // Each call costs 0.000345 and reserves about 0.00006: two fit in 0.0005, the third cannot.
    Fork.Result r = app(okhttp, "sync", "/v1/chat/completions", Fixtures.OPENAI_REQUEST)
        .props(trust).prop("tollgate.budget", "0.0005").args("--calls", 3, "--new-builder", "--balance", "--listen").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200", "200", "402");
    assertThat(r.lines("BALANCE ")).containsExactly("0.000155", "-0.00019", "-0.00019");
    // The low-balance threshold (10% = 0.00005) is crossed once, by the second call: one event, one log line.
    assertThat(r.lines("LOW ")).containsExactly("-0.00019 true");
    assertThat(r.agentLog()).filteredOn(l -> l.contains("credit balance is low")).hasSize(1);
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(Journal.records(dataDir)).extracting(n -> n.get("status").asText()).containsExactly("ok", "ok", "blocked");
    assertThat(Journal.records(dataDir).get(0).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(Journal.records(dataDir).get(1).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(url("/")).startsWith(okhttp.equals("okhttp4") ? "http://" : "https://");
  }

  @ParameterizedTest
  @ValueSource(strings = {"okhttp4"})
  void spend_survivesRestart_fromTheJournal(String okhttp) throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    Fork.Result first = app(okhttp, "sync", "/v1/chat/completions", Fixtures.OPENAI_REQUEST)
        .prop("tollgate.budget", "0.0005").args("--balance").run();
    assertThat(first.lines("BALANCE ")).as(first.toString()).containsExactly("0.000155");

    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    Fork.Result second = app(okhttp, "sync", "/v1/chat/completions", Fixtures.OPENAI_REQUEST)
        .prop("tollgate.budget", "0.0005").args("--calls", 2, "--balance").run();

    assertThat(second.lines("STATUS ")).as(second.toString()).containsExactly("200", "402");
    assertThat(second.lines("BALANCE ")).containsExactly("-0.00019", "-0.00019");
  }

  /**
   * On OkHttp 4 only: what this proves is the agent's (the built-in catalog's hosts and prices,
   * OpenRouter's own cost, credits per dollar, the low-balance line and the block's message), and the
   * hook it goes through is the one {@link OkHttpContractIT} runs on every version. OkHttp 4 is the
   * version the HTTPS legs of {@code spendAcrossCalls_…} (3 and 5) leave out, so each version still
   * makes an HTTPS call under the agent here.
   */
  @ParameterizedTest
  @ValueSource(strings = {"okhttp4"})
  void builtInCatalog_withNoEndpointConfigured_metersOpenAiAnthropicAndOpenRouterAtTheirCost_notListings(String okhttp) throws Exception {
    // No internet: the server is the app's HTTPS proxy and, inside each tunnel, the provider itself.
    Map<String, String> trust = useHttps("api.openai.com", "api.anthropic.com", "openrouter.ai");
    TunnelDispatcher proxy = new TunnelDispatcher(Fixtures.json(Fixtures.OPENAI_JSON), Fixtures.json(Fixtures.ANTHROPIC_JSON),
        Fixtures.json(Fixtures.OPENAI_MODELS), Fixtures.json(Fixtures.OPENROUTER_JSON));
    server.setDispatcher(proxy);
    String openRouter = "https://openrouter.ai/api/v1/chat/completions";

    // Two credits a dollar. The second OpenRouter call needs 0.0001236 (counted) and finds only what the first left.
    Fork.Result r = Fork.app(okhttp, OkHttpApp.class).prop("tollgate.data-dir", dataDir).props(trust)
        .prop("tollgate.credits-per-usd", "2").prop("tollgate.budget", "0.2541").prop("tollgate.tokenizer", "heuristic")
        .args("sync", "https://api.openai.com/v1/chat/completions", Fixtures.OPENAI_REQUEST,
            "--and", "https://api.anthropic.com/v1/messages", Fixtures.ANTHROPIC_REQUEST,
            "--and", "https://api.openai.com/v1/models", Fixtures.OPENAI_REQUEST,
            "--and", openRouter, Fixtures.OPENROUTER_REQUEST, "--and", openRouter, Fixtures.OPENROUTER_REQUEST,
            "--proxy", server.getPort(), "--balance").run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200", "200", "200", "200", "402");
    assertThat(r.lines("BODY ").subList(0, 4))
        .containsExactly(Fixtures.OPENAI_JSON, Fixtures.ANTHROPIC_JSON, Fixtures.OPENAI_MODELS, Fixtures.OPENROUTER_JSON);
    assertThat(proxy.tunnels()).containsExactly("api.openai.com:443", "api.anthropic.com:443", "openrouter.ai:443");
    assertThat(proxy.requests()).containsExactly("POST https://api.openai.com/v1/chat/completions",
        "POST https://api.anthropic.com/v1/messages", "POST https://api.openai.com/v1/models", "POST " + openRouter);
    List<JsonNode> records = Journal.records(dataDir);
    assertThat(records).extracting(rec -> rec.get("provider").asText()).containsExactly("openai", "anthropic", "openrouter", "openrouter");
    assertThat(records).extracting(rec -> rec.get("endpoint").asText())
        .containsExactly("https://api.openai.com/v1/chat/completions", "https://api.anthropic.com/v1/messages", openRouter, openRouter);
    assertThat(records).extracting(rec -> rec.get("status").asText()).containsExactly("ok", "ok", "ok", "blocked");
    // The catalog's 0.000345 and 0.0032 USD, doubled; OpenRouter's own 0.123456789 USD, doubled.
    assertThat(records).extracting(rec -> rec.get("cost").decimalValue().toPlainString())
        .containsExactly("0.00069", "0.0064", "0.246913578", "0");
    assertThat(records.get(2).get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(records.get(2).get("model").asText()).isEqualTo("openai/gpt-4o-mini");
    assertThat(r.lines("BALANCE ")).containsExactly("0.25341", "0.24701", "0.24701", "0.000096422", "0.000096422");
    JsonNode error = Journal.json(r.lines("BODY ").get(4)).get("error");
    assertThat(error.get("message").asText()).contains("needs up to 0.0001236 credits and 0.000096422 are available");
    assertThat(r.agentLog()).satisfiesExactly(
        low -> assertThat(low).contains("credit balance is low: 0.000096422 credits left"),
        blocked -> assertThat(blocked).contains("blocked a call to openrouter (openai/gpt-4o-mini)"));
  }
}
