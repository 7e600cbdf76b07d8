package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.endpoint.EndpointCatalog;
import dev.tollgate.agent.endpoint.Operation;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** What the pre-flight reads from Ollama's requests, by the fast scan and by the parser alike. */
class OllamaFormatTest {
  private static final EndpointCatalog BUILT_IN = EndpointCatalog.builtIn();

  private static RequestInfo preflight(String path, String body) {
    Operation op = BUILT_IN.classify("POST", "http://localhost:11434" + path);
    return RequestInfo.preflight(op.format(), op.requestKeys(), body.getBytes(StandardCharsets.UTF_8), body.length(), null,
        BodyPointers.NONE, null);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      // no stream key: chat and generate stream; the output bound is options.num_predict
      "/api/chat     | {\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],\"options\":{\"num_predict\":100}} | true  | 100",
      "/api/generate | {\"model\":\"llama3.2\",\"prompt\":\"hi\",\"options\":{\"temperature\":0.2,\"num_predict\":7}}              | true  | 7",
      "/api/chat     | {\"model\":\"llama3.2\",\"stream\":false,\"messages\":[]}                                                  | false | -1",
      "/api/generate | {\"model\":\"llama3.2\",\"prompt\":\"hi\",\"stream\":true}                                                 | true  | -1",
      // embeddings never stream
      "/api/embed    | {\"model\":\"all-minilm\",\"input\":[\"a\",\"b\"]}                                                         | false | -1",
      // a num_predict outside options is not the bound
      "/api/chat     | {\"model\":\"llama3.2\",\"num_predict\":5,\"x\":{\"num_predict\":6}}                                       | true  | -1"})
  void preflight_readsModelStreamAndNumPredict(String path, String body, boolean stream, long maxOutput) {
    RequestInfo scanned = preflight(path, body);
    // An escaped key makes the scan give up: the parser's reading must agree.
    RequestInfo parsed = preflight(path, body.replaceFirst("\\{", "{\"\\\\u0061\":0,"));

    for (RequestInfo info : new RequestInfo[] {scanned, parsed}) {
      assertThat(info.model).isIn("llama3.2", "all-minilm");
      assertThat(info.stream).as(body).isEqualTo(stream);
      assertThat(info.maxOutputTokens).as(body).isEqualTo(maxOutput);
    }
    assertThat(parsed.estimatedInputTokens).isEqualTo(scanned.estimatedInputTokens);
  }

  @Test
  void preflight_unreadableBody_keepsTheStreamDefault() {
    Operation chat = BUILT_IN.classify("POST", "http://localhost:11434/api/chat");

    RequestInfo info = RequestInfo.preflight(chat.format(), chat.requestKeys(), null, 400, null, BodyPointers.NONE, null);

    assertThat(info.stream).isTrue();
    assertThat(info.estimatedInputTokens).isEqualTo(100);
  }

  @Test
  void pricingProvider_ofEveryOllamaEndpoint_isTheOllamaTable() {
    EndpointCatalog configured = EndpointCatalog.of(dev.tollgate.agent.config.TollgateConfig.load(dev.tollgate.agent.config.ConfigSource.of(
        java.util.Map.of("tollgate.endpoint.gpu-box.url", "http://gpu-box:11434", "tollgate.endpoint.gpu-box.format", "ollama"),
        java.util.Map.of(), java.util.Map.of())).endpoints.values());

    Operation op = configured.classify("POST", "http://gpu-box:11434/api/chat");

    assertThat(op.provider()).isEqualTo("gpu-box");
    assertThat(op.pricingProvider()).isEqualTo("ollama");
    assertThat(BUILT_IN.classify("POST", "https://api.openai.com/v1/chat/completions").pricingProvider()).isEqualTo("openai");
  }
}
