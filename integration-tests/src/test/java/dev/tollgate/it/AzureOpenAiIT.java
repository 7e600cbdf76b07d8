package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.AzureOpenAiApp;
import java.util.List;
import java.util.Map;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.Test;

/**
 * Azure OpenAI's SDK (azure-ai-openai) on its default transport, azure-core-http-netty (Reactor
 * Netty underneath), against a fake Azure OpenAI resource on loopback configured as an endpoint:
 * every scenario in one forked JVM (it-classpaths/azure).
 */
class AzureOpenAiIT extends LoopbackTest {
  /** A deployment's own name, not a model's: the call is priced by the model the response names. */
  private static final String DEPLOYMENT = "chat-prod";

  @Test
  void chatAndStream_arePricedByTheResponseModel_blockedIsTheSdks402_andNothingLeaves() throws Exception {
    Map<String, String> trust = useHttps(); // the SDK sends a key only over HTTPS
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON)); // chat
    server.enqueue(Fixtures.sse(Fixtures.OPENAI_SSE)); // stream
    // blocked: nothing reaches the server

    Fork.Result r = Fork.app("azure", AzureOpenAiApp.class).props(trust).prop("tollgate.data-dir", dataDir)
        .endpoint("azure", url("/openai"), "openai")
        .prop("tollgate.attribute.tenant", "header:X-Tenant").prop("tollgate.budget.tenant.broke", "0")
        .args(url(""), DEPLOYMENT, "chat", "stream", "blocked")
        .run();

    assertThat(r.lines("chat ")).as(r.toString()).containsExactly("Hello there! 1500");
    assertThat(r.lines("stream ")).containsExactly("Hello!");
    assertThat(r.lines("blocked ")).singleElement().asString().startsWith("HTTP 402 true").contains("tollgate_blocked");

    assertThat(server.getRequestCount()).isEqualTo(2); // the blocked call never left, and the SDK did not retry it
    for (RecordedRequest sent : List.of(server.takeRequest(), server.takeRequest())) {
      // The SDK joins the endpoint's trailing slash and its path into "//openai/…", as it does with a portal-copied endpoint.
      assertThat(sent.getUrl().encodedPath()).endsWith("/openai/deployments/" + DEPLOYMENT + "/chat/completions");
      assertThat(sent.getUrl().queryParameter("api-version")).isNotEmpty();
      assertThat(sent.getHeaders().get("api-key")).isEqualTo(AzureOpenAiApp.KEY);
      assertThat(sent.getBody().utf8()).contains("Say hello");
    }

    List<JsonNode> records = Journal.records(dataDir);
    assertThat(records).extracting(rec -> rec.get("status").asText()).containsExactly("ok", "ok", "blocked");
    JsonNode chat = records.get(0);
    assertThat(chat.get("provider").asText()).isEqualTo("azure");
    assertThat(chat.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(chat.get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(chat.get("output_tokens").asLong()).isEqualTo(300);
    assertThat(chat.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    JsonNode stream = records.get(1);
    assertThat(stream.get("stream").asBoolean()).isTrue();
    assertThat(stream.get("model").asText()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(stream.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_SSE_COST);
    assertThat(r.stdout + r.stderr + records).doesNotContain(AzureOpenAiApp.KEY);
    assertThat(r.agentLog()).as(r.toString()).noneMatch(line -> line.contains("could not") || line.contains("inside Tollgate"));
  }
}
