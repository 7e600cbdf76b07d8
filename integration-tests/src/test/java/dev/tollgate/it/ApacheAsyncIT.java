package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.ApacheAsyncApp;
import dev.tollgate.it.apps.ScenarioDriver;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Protocol;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Apache HttpClient 5.1 and 5.6 async clients under the agent: HTTP/2, a streamed JSON answer, no body;
 * the shared scenarios are {@link ApacheAsyncContractIT}. One JVM per version serves every test
 * ({@link SharedJvms}); the HTTP/2 calls go to a second server that speaks only HTTP/2.
 */
class ApacheAsyncIT extends SharedJvms<ApacheAsyncIT.Jvm> {

  /** One JVM per library version (its it-classpath). */
  enum Jvm {
    APACHE51,
    APACHE56;

    String classpath() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final MockWebServer h2 = new MockWebServer();
  private final List<RecordedRequest> h2Received = new CopyOnWriteArrayList<>();

  @BeforeAll
  void startH2() throws Exception {
    h2.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
    h2.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        h2Received.add(request);
        return Fixtures.json(Fixtures.OPENAI_JSON);
      }
    });
    h2.start();
  }

  @AfterAll
  void stopH2() {
    h2.close();
  }

  @Override
  Script script(Jvm jvm) {
    String v = jvm.classpath();
    answer(v + "-gzip", () -> Fixtures.gzipJson(Fixtures.OPENAI_JSON));
    answer(v + "-stream", () -> Fixtures.json(Fixtures.OPENAI_JSON));
    answer(v + "-nobody", () -> new MockResponse.Builder().code(204).build());
    String h2Mode = jvm == Jvm.APACHE51 ? "h2" : "h2minimal";
    return new Script()
        .add(v + "-gzip", ApacheAsyncApp.class, "simple", url(v + "-gzip", "/v1/chat/completions"), Fixtures.OPENAI_REQUEST)
        .add(v + "-" + h2Mode, ApacheAsyncApp.class, h2Mode, h2Url(v + "-" + h2Mode, "/v1/chat/completions"), Fixtures.OPENAI_REQUEST)
        .add(v + "-stream", ApacheAsyncApp.class, "stream", url(v + "-stream", "/v1/chat/completions"), Fixtures.OPENAI_REQUEST)
        .add(v + "-nobody", ApacheAsyncApp.class, "simple", url(v + "-nobody", "/v1/chat/completions"), Fixtures.OPENAI_REQUEST);
  }

  private String h2Url(String id, String path) {
    return h2.url("/" + id).toString() + path;
  }

  @Override
  Fork fork(Jvm jvm, Path dataDir, List<String> ids) {
    Fork fork = Fork.app(jvm.classpath(), ScenarioDriver.class).prop("tollgate.data-dir", dataDir);
    for (String id : ids) {
      fork.endpoint(id, id.contains("-h2") ? h2Url(id, "/v1") : url(id, "/v1"), "openai");
    }
    return fork;
  }

  private static Jvm jvm(String version) {
    return Jvm.valueOf(version.toUpperCase(Locale.ROOT));
  }

  /** Regression: the tap was told the status and type but not the Content-Encoding, so a gzip body was estimated, not read. */
  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void gzipResponse_isDecodedByTheTap_andMeteredWithExactUsage(String version) throws Exception {
    ClientContractIT.Slice s = slice(jvm(version), version + "-gzip");

    assertThat(s.lines("STATUS ")).as(s.toString()).containsExactly("200");
    JsonNode rec = only(jvm(version), version + "-gzip");
    assertThat(rec.get("status").asText()).isEqualTo("ok");
    assertThat(rec.get("estimated").asBoolean()).as(rec.toString()).isFalse();
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(1200);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(s.agentLog()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource({"apache51,h2", "apache56,h2minimal"})
  void http2Clients_areMeteredThroughTheSamePath(String version, String mode) throws Exception {
    String id = version + "-" + mode;
    ClientContractIT.Slice s = slice(jvm(version), id);

    assertThat(s.lines("BODY ")).as(s.toString()).containsExactly(Fixtures.OPENAI_JSON);
    List<RecordedRequest> sent = h2Received.stream().filter(r -> r.getUrl().encodedPath().startsWith("/" + id + "/")).collect(Collectors
        .toList());
    assertThat(sent).singleElement().satisfies(r -> assertThat(r.getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST));
    assertThat(only(jvm(version), id).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(s.agentLog()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void streamingConsumer_stringEntity_isReadForTheEstimate_andStillSentWhole(String version) throws Exception {
    String id = version + "-stream";
    ClientContractIT.Slice s = slice(jvm(version), id);

    assertThat(String.join("", s.lines("LINE "))).as(s.toString()).isEqualTo(Fixtures.OPENAI_JSON);
    assertThat(requests(id)).singleElement().satisfies(r -> assertThat(r.getBody().utf8()).isEqualTo(Fixtures.OPENAI_REQUEST));
    JsonNode rec = only(jvm(version), id);
    assertThat(rec.get("reservation").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_REQUEST_RESERVATION);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
  }

  @ParameterizedTest
  @ValueSource(strings = {"apache51", "apache56"})
  void responseWithoutBody_isRecordedWithItsHttpStatus(String version) {
    String id = version + "-nobody";
    ClientContractIT.Slice s = slice(jvm(version), id);

    assertThat(s.lines("STATUS ")).as(s.toString()).containsExactly("204");
    JsonNode rec = only(jvm(version), id);
    assertThat(rec.get("http_status").asInt()).isEqualTo(204);
    assertThat(rec.get("status").asText()).isEqualTo("ok");
  }
}
