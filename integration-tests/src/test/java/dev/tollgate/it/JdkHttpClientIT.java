package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.JdkHttpApp;
import dev.tollgate.it.apps.ScenarioDriver;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code java.net.http.HttpClient} under the agent over HTTPS; the shared scenarios are {@link JdkHttpContractIT}.
 * Two JVMs ({@link SharedJvms}): budget 1 for the metered calls, budget 0 for the blocked ones.
 */
class JdkHttpClientIT extends SharedJvms<JdkHttpClientIT.Jvm> {

  enum Jvm {
    PLENTY,
    ZERO
  }

  private Map<String, String> trust = Map.of();

  @BeforeAll
  void serveTls() throws Exception {
    trust = LoopbackTest.useHttps(server, tmp, "localhost", "127.0.0.1", server.getHostName());
  }

  @Override
  Script script(Jvm jvm) {
    Script script = new Script();
    for (String mode : List.of("send", "async")) {
      String id = id(jvm, mode);
      answer(id, () -> Fixtures.json(Fixtures.OPENAI_JSON));
      script.add(id, JdkHttpApp.class, mode, url(id, "/v1/chat/completions"), Fixtures.OPENAI_REQUEST);
    }
    if (jvm == Jvm.PLENTY) {
      for (String mode : List.of("hops", "hops-own")) {
        answer(mode, () -> Fixtures.json(Fixtures.OPENAI_JSON));
        script.add(mode, JdkHttpApp.class, mode, url(mode, "/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "--calls", "3");
      }
    }
    return script;
  }

  private static String id(Jvm jvm, String mode) {
    return (jvm == Jvm.PLENTY ? "ok-" : "blocked-") + mode;
  }

  @Override
  Fork fork(Jvm jvm, Path dataDir, List<String> ids) {
    Fork fork = Fork.app("jdk", ScenarioDriver.class).prop("tollgate.data-dir", dataDir).props(trust);
    for (String id : ids) {
      fork.endpoint(id, url(id, "/v1"), "openai");
    }
    return fork.prop("tollgate.budget", jvm == Jvm.PLENTY ? "1" : "0");
  }

  /**
   * The client calls {@code getBody} of a subscriber it trusts ({@code ofString}) on the thread at hand,
   * and hands any other's to its executor. The agent's tap around {@code ofString} is judged as {@code
   * ofString}: wrapped as an unknown subscriber, every metered call cost a hand-off to another thread
   * (3 of 3 before). A subscriber of the application's own keeps its hand-off.
   */
  @ParameterizedTest
  @ValueSource(strings = {"hops", "hops-own"})
  void meteredCall_costsTheClientNoHandOffItWouldNotMakeWithoutTheAgent(String mode) {
    ClientContractIT.Slice s = slice(Jvm.PLENTY, mode);

    assertThat(s.lines("BODY ")).as(s.toString()).containsExactly(Fixtures.OPENAI_JSON, Fixtures.OPENAI_JSON, Fixtures.OPENAI_JSON);
    assertThat(s.lines("GETBODY_HOPS ")).as(s.toString()).containsExactly(mode.equals("hops") ? "0" : "3");
    List<JsonNode> records = run(Jvm.PLENTY).journal.stream().filter(r -> r.get("provider").asText().equals(mode))
        .collect(Collectors.toList());
    assertThat(records).as(s.toString()).hasSize(3).allSatisfy(r -> {
      assertThat(r.get("status").asText()).isEqualTo("ok");
      assertThat(r.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    });
  }

  @ParameterizedTest
  @ValueSource(strings = {"send", "async"})
  void https_isMetered_andBlockedWithoutAConnection(String mode) throws Exception {
    ClientContractIT.Slice ok = slice(Jvm.PLENTY, id(Jvm.PLENTY, mode));
    ClientContractIT.Slice blocked = slice(Jvm.ZERO, id(Jvm.ZERO, mode));

    assertThat(url("x", "")).startsWith("https://");
    assertThat(ok.lines("BODY ")).as(ok.toString()).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(blocked.lines("STATUS ")).as(blocked.toString()).containsExactly("402");
    assertThat(requests(id(Jvm.PLENTY, mode))).hasSize(1);
    assertThat(requests(id(Jvm.ZERO, mode))).isEmpty();
    assertThat(only(Jvm.PLENTY, id(Jvm.PLENTY, mode)).get("status").asText()).isEqualTo("ok");
    assertThat(only(Jvm.PLENTY, id(Jvm.PLENTY, mode)).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(only(Jvm.ZERO, id(Jvm.ZERO, mode)).get("status").asText()).isEqualTo("blocked");
  }
}
