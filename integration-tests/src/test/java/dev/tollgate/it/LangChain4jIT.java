package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.LangChain4jApp;
import org.junit.jupiter.api.Test;

/** langchain4j-open-ai on its default JDK HttpClient, unmodified, under the agent. */
class LangChain4jIT extends LoopbackTest {

  private Fork app(String mode) {
    return app(mode, "/v1");
  }

  private Fork app(String mode, String basePath) {
    return Fork.app("langchain4j", LangChain4jApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .args(mode, url(basePath));
  }

  @Test
  void chat_isMeteredWithExactCost() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app("chat").run();

    assertThat(r.lines("CONTENT ")).as(r.toString()).containsExactly("Hello there!");
    JsonNode sent = Journal.json(server.takeRequest().getBody().utf8());
    assertThat(sent.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(100);
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("operation").asText()).isEqualTo("chat");
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(300);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(r.agentLog()).isEmpty();
    assertNoSecretsLeaked(r);
  }

  @Test
  void streamingChat_asksForUsage_andIsMeteredFromTheUsageChunk() throws Exception {
    server.enqueue(Fixtures.sse(Fixtures.OPENAI_SSE));

    Fork.Result r = app("stream").run();

    assertThat(r.lines("CONTENT ")).as(r.toString()).containsExactly("Hello!");
    assertThat(r.lines("SDKUSAGE ")).containsExactly("50 20");
    JsonNode sent = Journal.json(server.takeRequest().getBody().utf8());
    assertThat(sent.get("stream_options").get("include_usage").asBoolean()).isTrue();
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("stream").asBoolean()).isTrue();
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("estimated").asBoolean()).isFalse();
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_SSE_COST);
    assertThat(r.agentLog()).isEmpty();
  }

  @Test
  void blocked_surfacesAnErrorAndDoesNotRetry() throws Exception {
    Fork.Result r = app("chat").prop("tollgate.budget", "0").run();

    // langchain4j maps the 402 to a non-retriable InvalidRequestException: its default maxRetries does not retry it.
    assertThat(r.lines("ERROR ")).as(r.toString()).singleElement().asString()
        .startsWith("dev.langchain4j.exception.InvalidRequestException").contains("Tollgate blocked this call");
    assertThat(r.lines("HTTPSTATUS ")).containsExactly("402");
    assertThat(server.getRequestCount()).isZero();
    // maxRetries is left at langchain4j's default: a retry would be blocked and journaled again.
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("blocked");
    assertNoSecretsLeaked(r);
  }

  @Test
  void blockedStream_surfacesAnErrorToTheHandler() {
    Fork.Result r = app("stream").prop("tollgate.budget", "0").run();

    assertThat(r.lines("ERROR ")).as(r.toString()).singleElement().asString().contains("Tollgate blocked this call");
    assertThat(r.lines("HTTPSTATUS ")).containsExactly("402");
    assertThat(server.getRequestCount()).isZero();
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("blocked");
  }

  @Test
  void pathOutsideTheMeteredEndpoint_givesTheSameOutputWithAndWithoutAgent() {
    server.enqueue(Fixtures.sse(Fixtures.OPENAI_SSE));
    server.enqueue(Fixtures.sse(Fixtures.OPENAI_SSE));
    // The same host, another base path, and no credits: were the call metered, it would be blocked.
    Fork.Result with = app("stream", "/proxy/v1").prop("tollgate.budget", "0").run();
    Fork.Result without = app("stream", "/proxy/v1").withoutAgent().run();

    assertThat(with.lines("CONTENT ")).as(with.toString()).containsExactly("Hello!");
    assertThat(with.stdout).isEqualTo(without.stdout);
    assertThat(with.agentLog()).isEmpty();
    assertThat(server.getRequestCount()).isEqualTo(2);
    assertThat(Journal.records(dataDir)).isEmpty();
  }
}
