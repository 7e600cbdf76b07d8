package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.ApacheApp;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Apache HttpClient 5.1 and 5.6 (classic) under the agent: a response without a body; the shared scenarios are {@link ApacheHttpClientContractIT}. */
class ApacheHttpClientIT extends LoopbackTest {

  private Fork app(String version, String mode, String path, String body) {
    return Fork.app(version, ApacheApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .endpoint("fake-anthropic", url("/anthropic/v1"), "anthropic")
        .args(mode, url(path), body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void responseWithoutBody_isRecordedWithItsHttpStatus(String version) {
    server.enqueue(new mockwebserver3.MockResponse.Builder().code(204).build());

    Fork.Result r = app(version, "response", "/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("204");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("http_status").asInt()).isEqualTo(204);
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("estimated").asBoolean()).isTrue();
  }
}
