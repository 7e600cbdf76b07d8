package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.it.apps.ConflictsApp;
import org.junit.jupiter.api.Test;

/** The agent's own libraries are shaded: an app with other versions of them keeps its own. */
class IsolationIT extends LoopbackTest {

  @Test
  void appWithOldJacksonByteBuddyCaffeineOkHttp_keepsItsOwn_andIsMetered() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));

    Fork.Result r = Fork.app("conflicts", ConflictsApp.class)
        .prop("tollgate.data-dir", dataDir)
        .endpoint("fake", server.url("/v1").toString(), "openai")
        .args("sync", server.url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST)
        .run();

    assertThat(r.lines("JACKSON ")).as(r.toString()).containsExactly("2.9.10-8 jackson-databind-2.9.10.8.jar 41");
    assertThat(r.lines("BYTEBUDDY ")).containsExactly("byte-buddy-1.10.22.jar it.Generated");
    assertThat(r.lines("CAFFEINE ")).containsExactly("caffeine-2.9.3.jar v");
    assertThat(r.lines("BODY ")).containsExactly(Fixtures.OPENAI_JSON);
    assertThat(Journal.only(dataDir).get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
    assertThat(r.exit).isZero();

    // The same app without the agent prints the same, except that the facade is inactive.
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    Fork.Result without = Fork.app("conflicts", ConflictsApp.class).withoutAgent()
        .args("sync", server.url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST).run();
    assertThat(without.stdout.replace("ACTIVE false", "ACTIVE true")).as(without.toString()).isEqualTo(r.stdout);
    // The agent adds nothing to stderr (old Caffeine warns about Unsafe on JDK 24+ by itself).
    assertThat(r.stderr).isEqualTo(without.stderr);
  }
}
