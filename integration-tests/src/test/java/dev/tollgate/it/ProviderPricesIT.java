package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Provider-qualified prices under the real agent: one forked OkHttp app calls OpenAI-compatible
 * endpoints on loopback configured as Groq, Together, Fireworks, OpenRouter, Cohere, Ollama and Azure,
 * and Claude on an endpoint configured as Vertex AI, and each call is charged what that provider's
 * catalog entry says (before, all but Cohere's paid the 10/30 fallback; Azure's {@code gpt-35-turbo}
 * too), Claude's 1-hour cache writes at their own rate and journaled apart.
 */
class ProviderPricesIT extends LoopbackTest {
  private static final String[][] CALLS = {
      // provider, endpoint path, model
      {"groq", "/groq/openai/v1", "llama-3.1-8b-instant"},
      {"together", "/together/v1", "meta-llama/Llama-3.3-70B-Instruct-Turbo"},
      {"fireworks", "/fireworks/inference/v1", "accounts/fireworks/models/deepseek-r1-0528"},
      {"openrouter", "/openrouter/api/v1", "deepseek/deepseek-chat"},
      {"cohere", "/cohere/compatibility/v1", "command-r"},
      {"ollama", "/ollama/v1", "llama3.2"},
      {"azure", "/azure/openai/v1", "gpt-35-turbo-0125"}};
  private static final String VERTEX_CLAUDE = "/vertex/v1/projects/p/locations/global/publishers/anthropic/models/claude-sonnet-4-5@20250929:rawPredict";

  @Test
  void hostedModels_areChargedTheirProvidersPrice_fromTheJournal() throws Exception {
    Fork fork = Fork.app("okhttp4", OkHttpApp.class).prop("tollgate.data-dir", dataDir);
    for (String[] c : CALLS) {
      server.enqueue(Fixtures.json(response(c[2])));
      fork.endpoint(c[0], url(c[1]), "openai");
    }
    server.enqueue(Fixtures.json(CLAUDE_RESPONSE));
    fork.endpoint("vertex", url("/vertex"), "anthropic");
    fork.args("sync", url(CALLS[0][1] + "/chat/completions"), request(CALLS[0][2]));
    for (int i = 1; i < CALLS.length; i++) {
      fork.args("--and", url(CALLS[i][1] + "/chat/completions"), request(CALLS[i][2]));
    }
    fork.args("--and", url(VERTEX_CLAUDE), CLAUDE_REQUEST);

    Fork.Result r = fork.run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200", "200", "200", "200", "200", "200", "200", "200");
    List<JsonNode> records = Journal.records(dataDir);
    assertThat(records).extracting(rec -> rec.get("provider").asText())
        .containsExactly("groq", "together", "fireworks", "openrouter", "cohere", "ollama", "azure", "vertex");
    assertThat(records).allSatisfy(rec -> assertThat(rec.has("unpriced") && rec.get("unpriced").asBoolean()).isFalse());
    // 1000 input and 500 output tokens each, at (USD per million): Groq 0.05/0.08, Together 0.88/0.88,
    // Fireworks 3/8, OpenRouter 0.38/0.89, Cohere 0.15/0.60, Ollama 0, Azure's gpt-35-turbo 0.50/1.50; Claude
    // Sonnet 4.5 on Vertex: 1000 x 3 + 1000 written for 5 minutes x 3.75 + 2000 for an hour x 6 + 500 x 15.
    assertThat(records).extracting(rec -> rec.get("cost").decimalValue().stripTrailingZeros().toPlainString())
        .containsExactly("0.00009", "0.00132", "0.007", "0.000825", "0.00045", "0", "0.00125", "0.02625");
    JsonNode claude = records.get(records.size() - 1);
    assertThat(claude.get("model").asText()).isEqualTo("claude-sonnet-4-5-20250929");
    assertThat(claude.get("cache_write_tokens").asLong()).isEqualTo(3000);
    assertThat(claude.get("cache_write_1h_tokens").asLong()).isEqualTo(2000);
    assertThat(records.get(0).has("cache_write_1h_tokens")).isFalse();
  }

  private static final String CLAUDE_REQUEST = "{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":500,"
      + "\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}],"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final String CLAUDE_RESPONSE = "{\"id\":\"msg_vrtx_01\",\"type\":\"message\",\"role\":\"assistant\","
      + "\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[{\"type\":\"text\",\"text\":\"Hello\"}],\"stop_reason\":\"end_turn\","
      + "\"usage\":{\"input_tokens\":1000,\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":0,"
      + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":500}}";

  private static String request(String model) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":500,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }

  private static String response(String model) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500,\"total_tokens\":1500}}";
  }
}
