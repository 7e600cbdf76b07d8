package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.JdkHttpApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code java.net.http.HttpClient} under the agent over HTTPS; the shared scenarios are {@link JdkHttpContractIT}. */
class JdkHttpClientIT extends LoopbackTest {

  private Fork app(String mode, String path, String body) {
    return Fork.app("jdk", JdkHttpApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake-openai", url("/v1"), "openai")
        .endpoint("fake-anthropic", url("/anthropic/v1"), "anthropic")
        .args(mode, url(path), body);
  }

  @ParameterizedTest
  @ValueSource(strings = {"send", "async"})
  void https_isMetered_andBlockedWithoutAConnection(String mode) throws Exception {
    java.util.Map<String, String> trust = useHttps();
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result ok = app(mode, "/v1/chat/completions", Fixtures.OPENAI_REQUEST).props(trust).prop("tollgate.budget", "1").run();
    Fork.Result blocked = app(mode, "/v1/chat/completions", Fixtures.OPENAI_REQUEST).props(trust).prop("tollgate.budget", "0").run();

    assertThat(url("/")).startsWith("https://");
    assertThat(ok.lines("BODY ")).as(ok.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(blocked.lines("STATUS ")).as(blocked.toString()).containsExactly("402");
    assertThat(server.getRequestCount()).isOne();
    assertThat(Journal.records(dataDir)).extracting(rec -> rec.get("status").asText()).containsExactly("ok", "blocked");
    assertThat(Journal.records(dataDir).get(0).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
  }
}
