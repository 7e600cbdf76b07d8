package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.OkHttpApp;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A completed call is in the journal even when the JVM is killed right after the app got it. */
class CrashIT extends LoopbackTest {
  private static final int ROUNDS = 5;

  private Fork app(String mode, String body, String... extra) {
    return Fork.app("okhttp4", OkHttpApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake", server.url("/v1").toString(), "openai")
        .args(mode, server.url("/v1/chat/completions"), body).args((Object[]) extra);
  }

  @Test
  void kill9_rightAfterTheResponseIsRead_loosesNoRecord() throws Exception {
    for (int round = 1; round <= ROUNDS; round++) {
      boolean stream = round % 2 == 0;
      server.enqueue(stream ? Fixtures.sse(Fixtures.OPENAI_SSE) : Fixtures.json(Fixtures.OPENAI_JSON));
      Process p = app(stream ? "stream" : "sync", stream ? Fixtures.OPENAI_STREAM_REQUEST : Fixtures.OPENAI_REQUEST, "--hold").start();
      awaitLine(p, "RECEIVED");
      p.destroyForcibly(); // SIGKILL: no shutdown hook, no flush
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

      List<JsonNode> records = Journal.records(dataDir);
      assertThat(records).as("after round " + round).hasSize(round);
      JsonNode last = records.get(round - 1);
      assertThat(last.get("status").asText()).isEqualTo("ok");
      assertThat(last.get("cost").decimalValue()).isEqualByComparingTo(stream ? Fixtures.OPENAI_SSE_COST : Fixtures.OPENAI_JSON_COST);
    }
  }

  @Test
  void tornLastRecord_isSkipped_andTheJournalKeepsWorking() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    assertThat(app("sync", Fixtures.OPENAI_REQUEST).run().lines("STATUS ")).containsExactly("200");
    Path file;
    try (var files = Files.list(dataDir.resolve("journal"))) {
      file = files.collect(Collectors.toList()).get(0);
    }
    // What a crash in the middle of a write leaves: a partial line without its newline.
    Files.writeString(file, "{\"v\":1,\"id\":\"torn\",\"time\":\"2026-", StandardOpenOption.APPEND);

    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    Fork.Result second = app("sync", Fixtures.OPENAI_REQUEST).prop("tollgate.budget", "1").args("--balance").run();

    assertThat(second.lines("STATUS ")).as(second.toString()).containsExactly("200");
    assertThat(second.lines("BALANCE ")).containsExactly("0.99931"); // both real calls counted, the torn one not
    assertThat(second.agentLog()).anySatisfy(l -> assertThat(l).contains("skipped 1 unreadable line"));
    Fork.Result report = Fork.cli("report", "--json", "--data-dir", dataDir.toString());
    JsonNode totals = Journal.json(report.stdout).get("totals");
    assertThat(totals.get("calls").asLong()).as(report.toString()).isEqualTo(2);
    assertThat(totals.get("cost").decimalValue()).isEqualByComparingTo("0.00069");
  }

  private static void awaitLine(Process p, String expected) throws Exception {
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.equals(expected)) {
        return;
      }
    }
    throw new AssertionError("app ended without printing " + expected + "; stderr: "
        + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
  }
}
