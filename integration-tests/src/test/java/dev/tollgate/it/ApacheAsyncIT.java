package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.ApacheAsyncApp;
import java.util.List;
import java.util.stream.Collectors;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Apache HttpClient 5.1 and 5.6 async clients under the agent: HTTP/2, a streamed JSON answer, no body; the shared scenarios are {@link ApacheAsyncContractIT}. */
class ApacheAsyncIT extends LoopbackTest {

  private Fork app(String version, String mode, String path, String body) {
    return Fork.app(version, ApacheAsyncApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .endpoint("fake-anthropic", url("/anthropic/v1"), "anthropic")
        .args(mode, url(path), body);
  }

  /** Regression: the tap was told the status and type but not the Content-Encoding, so a gzip body was estimated, not read. */
  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void gzipResponse_isDecodedByTheTap_andMeteredWithExactUsage(String version) throws Exception {
    server.enqueue(Fixtures.gzipJson(Fixtures.OPENAI_JSON));

    Fork.Result r = app(version, "simple", "/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("200");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("estimated").asBoolean()).as(rec.toString()).isFalse();
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(r.agentLog()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"apache51,h2", "apache56,h2minimal"})
  void http2Clients_areMeteredThroughTheSamePath(String version, String mode) throws Exception {
    try (MockWebServer h2 = new MockWebServer()) {
      h2.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
      h2.start();
      h2.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

      Fork.Result r = Fork.app(version, ApacheAsyncApp.class).prop("tollgate.data-dir", dataDir)
          .endpoint("fake-openai", h2.url("/v1").toString(), "openai")
          .args(mode, h2.url("/v1/chat/completions").toString(), Fixtures.OPENAI_REQUEST).run();

      assertThat(r.lines("BODY ")).as(r.toString()).containsExactly(Fixtures.OPENAI_JSON);
      assertThat(h2.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);
      assertThat(Journal.only(dataDir).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
      assertThat(r.agentLog()).isEmpty();
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void streamingConsumer_stringEntity_isReadForTheEstimate_andStillSentWhole(String version) throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = app(version, "stream", "/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(String.join("", r.lines("LINE "))).as(r.toString()).isEqualTo(Fixtures.OPENAI_JSON);
    assertThat(server.takeRequest().getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST);
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("reservation").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void responseWithoutBody_isRecordedWithItsHttpStatus(String version) {
    server.enqueue(new mockwebserver3.MockResponse.Builder().code(204).build());

    Fork.Result r = app(version, "simple", "/v1/chat/completions", Fixtures.OPENAI_REQUEST).run();

    assertThat(r.lines("STATUS ")).as(r.toString()).containsExactly("204");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("http_status").asInt()).isEqualTo(204);
    assertThat(rec.get("status").asText()).isEqualTo("ok");
  }
}
