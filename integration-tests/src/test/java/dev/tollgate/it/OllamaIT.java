package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OllamaApp;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/**
 * langchain4j-ollama, unmodified, against a loopback Ollama: the {@code ollama} format on a
 * configured endpoint of another name, local models priced 0 yet counted and journaled, and a
 * budget that blocks once the pricing file prices the model.
 */
class OllamaIT extends LoopbackTest {
  static final String CHAT = "{\"model\":\"llama3.2\",\"created_at\":\"2025-09-02T10:14:07.321842Z\",\"message\":{\"role\":\"assistant\","
      + "\"content\":\"Rayleigh scattering.\"},\"done_reason\":\"stop\",\"done\":true,\"total_duration\":2151849500,"
      + "\"load_duration\":1190413667,\"prompt_eval_count\":31,\"prompt_eval_duration\":279000000,\"eval_count\":29,\"eval_duration\":680000000}";
  static final String CHAT_STREAM = ""
      + "{\"model\":\"llama3.2\",\"created_at\":\"2025-09-02T10:15:41.118207Z\",\"message\":{\"role\":\"assistant\",\"content\":\"Ray\"},\"done\":false}\n"
      + "{\"model\":\"llama3.2\",\"created_at\":\"2025-09-02T10:15:41.141516Z\",\"message\":{\"role\":\"assistant\",\"content\":\"leigh\"},\"done\":false}\n"
      + "{\"model\":\"llama3.2\",\"created_at\":\"2025-09-02T10:15:41.211074Z\",\"message\":{\"role\":\"assistant\",\"content\":\"\"},"
      + "\"done_reason\":\"stop\",\"done\":true,\"total_duration\":412339708,\"load_duration\":21504125,\"prompt_eval_count\":28,"
      + "\"prompt_eval_duration\":96000000,\"eval_count\":5,\"eval_duration\":92000000}\n";
  static final String GENERATE = "{\"model\":\"qwen2.5:7b\",\"created_at\":\"2025-09-02T10:17:02.604417Z\",\"response\":\"Paris.\",\"done\":true,"
      + "\"done_reason\":\"stop\",\"context\":[151644,8948,198],\"total_duration\":388120042,\"load_duration\":17962208,"
      + "\"prompt_eval_count\":36,\"prompt_eval_duration\":201000000,\"eval_count\":3,\"eval_duration\":61000000}";
  static final String EMBED = "{\"model\":\"all-minilm\",\"embeddings\":[[0.010071029,-0.0017594862,0.05007221,0.04692972]],"
      + "\"total_duration\":14143917,\"load_duration\":1019500,\"prompt_eval_count\":8}";

  private Fork app(String mode) {
    // Not named ollama: every endpoint of the ollama format is priced from the ollama table.
    return Fork.app("ollama", OllamaApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("gpu-box", url(""), "ollama")
        .args(mode, url(""));
  }

  private static MockResponse ndjson(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/x-ndjson").chunkedBody(body, 64).build();
  }

  @Test
  void chatStreamGenerateEmbed_areCountedExactly_atZeroCost() throws Exception {
    server.enqueue(Fixtures.json(CHAT));
    server.enqueue(ndjson(CHAT_STREAM));
    server.enqueue(Fixtures.json(GENERATE));
    server.enqueue(Fixtures.json(EMBED));

    Fork.Result r = app("all").run();

    assertThat(r.lines("CONTENT ")).as(r.toString()).containsExactly("Rayleigh scattering.", "Rayleigh", "Paris.");
    assertThat(r.lines("SDKUSAGE ")).containsExactly("31 29", "28 5", "36 3");
    assertThat(r.lines("EMBEDDING ")).containsExactly("4");
    mockwebserver3.RecordedRequest chat = server.takeRequest();
    assertThat(chat.getUrl().encodedPath()).isEqualTo("/api/chat");
    assertThat(Journal.json(chat.getBody().utf8()).get("options").get("num_predict").asInt()).isEqualTo(100);
    assertThat(Journal.json(server.takeRequest().getBody().utf8()).get("stream").asBoolean()).isTrue();
    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/api/generate");
    assertThat(server.takeRequest().getUrl().encodedPath()).isEqualTo("/api/embed");
    List<JsonNode> recs = Journal.records(dataDir);
    assertThat(recs).extracting(n -> n.get("operation").asText()).containsExactly("chat", "chat", "generate", "embeddings");
    assertThat(recs).extracting(n -> n.get("input_tokens").asLong() + "/" + n.get("output_tokens").asLong())
        .containsExactly("31/29", "28/5", "36/3", "8/0");
    assertThat(recs).extracting(n -> n.get("stream").asBoolean()).containsExactly(false, true, false, false);
    assertThat(recs).extracting(n -> n.get("model").asText()).containsExactly("llama3.2", "llama3.2", "qwen2.5:7b", "all-minilm");
    for (JsonNode rec : recs) {
      assertThat(rec.get("provider").asText()).isEqualTo("gpu-box");
      assertThat(rec.get("status").asText()).isEqualTo("ok");
      assertThat(rec.get("estimated").asBoolean()).as(rec.toString()).isFalse();
      assertThat(rec.path("unpriced").asBoolean(false)).as(rec.toString()).isFalse();
      assertThat(rec.get("cost").decimalValue()).isZero();
    }
    assertThat(r.agentLog()).isEmpty();
  }

  @Test
  void pricedByThePricingFile_isCostedAndBlockedByTheBudget() throws Exception {
    Path prices = tmp.resolve("prices.json");
    // llama3.2 at 1.00 in, 2.00 out per 1M: 31 × 1 + 29 × 2 = 89 per 1M = 0.000089.
    Files.writeString(prices, "{\"providers\":{\"ollama\":{\"models\":{\"llama3.2\":{\"input\":1.00,\"output\":2.00}}}}}\n");
    server.enqueue(Fixtures.json(CHAT));

    Fork.Result priced = app("chat").prop("tollgate.pricing-file", prices).run();
    Fork.Result blocked = app("chat").prop("tollgate.pricing-file", prices).prop("tollgate.budget", "0")
        .prop("tollgate.data-dir", tmp.resolve("blocked")).run();

    assertThat(priced.lines("SDKUSAGE ")).as(priced.toString()).containsExactly("31 29");
    assertThat(Journal.only(dataDir).get("cost").decimalValue()).isEqualByComparingTo("0.000089");
    assertThat(blocked.lines("ERROR ")).as(blocked.toString()).singleElement().asString().contains("Tollgate blocked this call");
    assertThat(blocked.lines("HTTPSTATUS ")).containsExactly("402");
    assertThat(server.getRequestCount()).isEqualTo(1);
    assertThat(Journal.only(tmp.resolve("blocked")).get("status").asText()).isEqualTo("blocked");
  }
}
