package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Provider-qualified prices under the real agent: one forked OkHttp app calls OpenAI-compatible
 * endpoints on loopback configured as Groq, Together, Fireworks, OpenRouter, Cohere and Ollama, and
 * each call is charged what that provider's catalog entry says (before, all but Cohere's paid the
 * 10/30 fallback).
 */
class ProviderPricesIT extends LoopbackTest {
  private static final String[][] CALLS = {
      // provider, endpoint path, model
      {"groq", "/groq/openai/v1", "llama-3.1-8b-instant"},
      {"together", "/together/v1", "meta-llama/Llama-3.3-70B-Instruct-Turbo"},
      {"fireworks", "/fireworks/inference/v1", "accounts/fireworks/models/deepseek-r1-0528"},
      {"openrouter", "/openrouter/api/v1", "deepseek/deepseek-chat"},
      {"cohere", "/cohere/compatibility/v1", "command-r"},
      {"ollama", "/ollama/v1", "llama3.2"}};

  @Test
  void hostedModels_areChargedTheirProvidersPrice_fromTheJournal() throws Exception {
    Fork fork = Fork.app("okhttp4", OkHttpApp.class).prop("tollgate.data-dir", dataDir);
    for (String[] c : CALLS) {
      server.enqueue(Fixtures.json(response(c[2])));
      fork.endpoint(c[0], url(c[1]), "openai");
    }
    fork.args("sync", url(CALLS[0][1] + "/chat/completions"), request(CALLS[0][2]));
    for (int i = 1; i < CALLS.length; i++) {
      fork.args("--and", url(CALLS[i][1] + "/chat/completions"), request(CALLS[i][2]));
    }

    Fork.Result r = fork.run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200", "200", "200", "200", "200", "200");
    List<JsonNode> records = Journal.records(dataDir);
    assertThat(records).extracting(rec -> rec.get("provider").asText())
        .containsExactly("groq", "together", "fireworks", "openrouter", "cohere", "ollama");
    assertThat(records).allSatisfy(rec -> assertThat(rec.has("unpriced") && rec.get("unpriced").asBoolean()).isFalse());
    // 1000 input and 500 output tokens each, at (USD per million): Groq 0.05/0.08, Together 0.88/0.88,
    // Fireworks 3/8, OpenRouter 0.38/0.89, Cohere 0.15/0.60, Ollama 0.
    assertThat(records).extracting(rec -> rec.get("cost").decimalValue().stripTrailingZeros().toPlainString())
        .containsExactly("0.00009", "0.00132", "0.007", "0.000825", "0.00045", "0");
  }

  private static String request(String model) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":500,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  }

  private static String response(String model) {
    return "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"" + model + "\",\"choices\":[{\"index\":0,"
        + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello\"},\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500,\"total_tokens\":1500}}";
  }
}
