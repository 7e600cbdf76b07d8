package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import org.junit.jupiter.api.Test;

/** {@code tollgate-agent.jar attach <pid>} into a JVM that already built and used its OkHttp client. */
class AttachIT extends LoopbackTest {

  @Test
  void attachToRunningJvm_metersItsExistingClient_andASecondAttachSaysItsSettingsWereNotApplied() throws Exception {
    server.enqueue(new MockResponse.Builder().code(200).body("warm").build());
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    Process app = Fork.app("okhttp4", OkHttpApp.class).withoutAgent()
        .args("sync", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "--wait-for-go").start();
    BufferedReader out = new BufferedReader(new InputStreamReader(app.getInputStream(), StandardCharsets.UTF_8));
    assertThat(out.readLine()).isEqualTo("READY");

    String[] options = {"budget=1", "endpoint.fake.url=" + url("/v1"), "endpoint.fake.format=openai"};
    Fork.Result first = Fork.cli(attach(app.pid(), "--data-dir", dataDir.toString(), "--json", options[0], options[1], options[2]));
    Fork.Result second = Fork.cli(attach(app.pid(), "data-dir=" + dataDir, "budget=7", options[1], options[2]));
    Fork.Result bare = Fork.cli(attach(app.pid(), "--json"));
    try (Writer in = new OutputStreamWriter(app.getOutputStream(), StandardCharsets.UTF_8)) {
      in.write("go\n");
    }
    List<String> lines = new ArrayList<>();
    for (String line; (line = out.readLine()) != null;) {
      lines.add(line);
    }
    assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String stderr = new String(app.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(first.exit).as(first.toString()).isZero();
    assertThat(first.stdout).isEqualTo("{\"attached\":true,\"pid\":" + app.pid() + "}\n"); // --data-dir reached the agent: see the journal below
    // Regression: the second attach printed "attached", exit 0, while the target ignored budget=7.
    assertThat(second.exit).as(second.toString()).isEqualTo(1);
    assertThat(second.stdout).isEmpty();
    assertThat(second.stderr).isEqualTo("tollgate: the agent is already attached to " + app.pid()
        + "; the settings given (data-dir, budget, endpoint.fake.url, endpoint.fake.format) were not applied: the agent reads its"
        + " settings when it starts; restart the application with them\n");
    assertThat(bare.exit).as(bare.toString()).isZero();
    assertThat(bare.stdout).isEqualTo("{\"attached\":true,\"pid\":" + app.pid() + ",\"already_attached\":true}\n");
    assertThat(lines).as(String.join("\n", lines) + "\n" + stderr).contains("STATUS 200", "BODY " + Fixtures.OPENAI_JSON);
    // This app had already loaded its own copy of the Tollgate API: calls are metered, its facade
    // stays inactive, and the agent says so once.
    assertThat(lines).contains("ACTIVE false");
    assertThat(stderr).contains("the application loaded dev.tollgate.api before the agent attached");
    JsonNode rec = Journal.only(dataDir);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
  }

  @Test
  void attach_badPid_failsWithOneClearLine() {
    Fork.Result r = Fork.cli("attach", "999999999");

    assertThat(r.exit).isEqualTo(1);
    assertThat(r.stderr.trim()).startsWith("tollgate: cannot attach to 999999999").doesNotContain("\n");
  }

  @Test
  void selfInstall_fromMain_metersAndBlocks_andIsIdempotent() {
    Fork.Result r = Fork.app("okhttp4", dev.tollgate.it.apps.SelfInstallApp.class).withAgentJarOnClasspath()
        .args("data-dir=" + dataDir + ",budget=0,endpoint.fake.url=" + url("/v1") + ",endpoint.fake.format=openai",
            "sync", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST)
        .run();

    assertThat(r.lines("INSTALLED ")).as(r.toString()).containsExactly("true");
    assertThat(r.lines("AGAIN ")).containsExactly("true");
    assertThat(r.lines("STATUS ")).containsExactly("402");
    assertThat(server.getRequestCount()).isZero();
    assertThat(Journal.only(dataDir).get("status").asText()).isEqualTo("blocked");
  }

  private static String[] attach(long pid, String... options) {
    String[] args = new String[options.length + 2];
    args[0] = "attach";
    args[1] = Long.toString(pid);
    System.arraycopy(options, 0, args, 2, options.length);
    return args;
  }
}
