package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.LangChain4jApp;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * langchain4j-open-ai on its default JDK HttpClient, unmodified, under the agent. The tests share
 * three JVMs ({@link SdkJvms}): metered calls, budget 0, and no agent.
 */
class LangChain4jIT extends SdkJvms {

  @Override
  String classpath() {
    return "langchain4j";
  }

  @Override
  Class<?> app() {
    return LangChain4jApp.class;
  }

  @Override
  String format() {
    return "openai";
  }

  @Override
  String base(String id) {
    return url(id, "/v1");
  }

  @Override
  String jsonMode() {
    return "chat";
  }

  @Override
  String streamMode() {
    return "stream";
  }

  @Override
  String outsideMode() {
    return "stream";
  }

  @Override
  MockResponse json() {
    return Fixtures.json(Fixtures.OPENAI_JSON);
  }

  @Override
  MockResponse sse() {
    return Fixtures.sse(Fixtures.OPENAI_SSE);
  }

  @Test
  void chat_isMeteredWithExactCost() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.METERED, "json");

    assertThat(s.lines("CONTENT ")).as(s.toString()).containsExactly("Hello there!");
    JsonNode sent = Journal.json(requests("json").get(0).getBody().utf8());
    assertThat(sent.get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(sent.get("max_tokens").asInt()).isEqualTo(100);
    JsonNode rec = only(Jvm.METERED, "json");
    assertThat(rec.get("operation").asText()).isEqualTo("chat");
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(300);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(run(Jvm.METERED).out.agentLog()).isEmpty();
    LoopbackTest.assertNoSecretsLeaked(run(Jvm.METERED).out.stderr, dataDir(Jvm.METERED));
  }

  @Test
  void streamingChat_asksForUsage_andIsMeteredFromTheUsageChunk() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.METERED, "stream");

    assertThat(s.lines("CONTENT ")).as(s.toString()).containsExactly("Hello!");
    assertThat(s.lines("SDKUSAGE ")).containsExactly("50 20");
    JsonNode sent = Journal.json(requests("stream").get(0).getBody().utf8());
    assertThat(sent.get("stream_options").get("include_usage").asBoolean()).isTrue();
    JsonNode rec = only(Jvm.METERED, "stream");
    assertThat(rec.get("stream").asBoolean()).isTrue();
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("estimated").asBoolean()).isFalse();
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_SSE_COST);
    assertThat(run(Jvm.METERED).out.agentLog()).isEmpty();
  }

  @Test
  void blocked_surfacesAnErrorAndDoesNotRetry() throws Exception {
    ClientContractIT.Slice s = slice(Jvm.ZERO, "blocked-json");

    // langchain4j maps the 402 to a non-retriable InvalidRequestException: its default maxRetries does not retry it.
    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString()
        .startsWith("dev.langchain4j.exception.InvalidRequestException").contains("Tollgate blocked this call");
    assertThat(s.lines("HTTPSTATUS ")).containsExactly("402");
    assertThat(requests("blocked-json")).isEmpty();
    // maxRetries is left at langchain4j's default: a retry would be blocked and journaled again.
    assertThat(only(Jvm.ZERO, "blocked-json").get("status").asText()).isEqualTo("blocked");
    LoopbackTest.assertNoSecretsLeaked(run(Jvm.ZERO).out.stderr, dataDir(Jvm.ZERO));
  }

  @Test
  void blockedStream_surfacesAnErrorToTheHandler() {
    ClientContractIT.Slice s = slice(Jvm.ZERO, "blocked-stream");

    assertThat(s.lines("ERROR ")).as(s.toString()).singleElement().asString().contains("Tollgate blocked this call");
    assertThat(s.lines("HTTPSTATUS ")).containsExactly("402");
    assertThat(requests("blocked-stream")).isEmpty();
    assertThat(only(Jvm.ZERO, "blocked-stream").get("status").asText()).isEqualTo("blocked");
  }

  @Test
  void pathOutsideTheMeteredEndpoint_givesTheSameOutputWithAndWithoutAgent() {
    // The same host, another base path, and no credits: were the call metered, it would be blocked.
    ClientContractIT.Slice with = slice(Jvm.ZERO, "outside");
    ClientContractIT.Slice without = slice(Jvm.NO_AGENT, "bare-outside");

    assertThat(with.lines("CONTENT ")).as(with.toString()).containsExactly("Hello!");
    assertThat(with.appLines()).isEqualTo(without.appLines());
    assertThat(with.agentLog()).isEmpty();
    assertThat(requests("outside")).hasSize(1);
    assertThat(requests("bare-outside")).hasSize(1);
    assertThat(run(Jvm.ZERO).journal).noneSatisfy(rec -> assertThat(rec.get("endpoint").asText()).contains("/outside/"));
  }
}
