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
import dev.tollgate.it.apps.LoadApp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** A completed call is in the journal even when the JVM is killed right after the app got it. */
class CrashIT extends LoopbackTest {
  private static final int ROUNDS = 5;
  /** Rounds of the concurrent kill test: 3 in the default suite, 20 with {@code -Preliability}. */
  private static final int LOAD_ROUNDS = Integer.getInteger("tollgate.it.crash-rounds", 3);

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

  /**
   * Eight threads call through OkHttp and the JDK client (JSON and streams) until the JVM is killed
   * with SIGKILL after a random number of answers; then the next round restarts on the same data dir.
   * Every call whose answer the app printed is in the journal (matched by the provider's response id),
   * no call is recorded twice, and the journal reopens and keeps metering every round.
   */
  @Test
  void kill9_atRandomMomentsUnderConcurrentLoad_losesNoReceivedCall_andRecordsNoneTwice() throws Exception {
    LoadServer load = new LoadServer();
    server.setDispatcher(load);
    long seed = System.nanoTime();
    Random random = new Random(seed);
    Set<String> received = new HashSet<>();
    for (int round = 1; round <= LOAD_ROUNDS; round++) {
      load.prefix("r" + round);
      long before = load.metered();
      List<String> got = killAfter(1 + random.nextInt(80));
      received.addAll(got);

      List<JsonNode> records = Journal.records(dataDir);
      String context = "round " + round + " of " + LOAD_ROUNDS + " (seed " + seed + ")";
      Set<String> journaled = new HashSet<>();
      for (JsonNode rec : records) {
        assertThat(journaled.add(rec.get("request_id").asText())).as(context + ": recorded twice: " + rec).isTrue();
      }
      assertThat(journaled).as(context).containsAll(received);
      assertThat(records).extracting(n -> n.get("id").asText()).as(context).doesNotHaveDuplicates();
      String prefix = "r" + round + "-";
      long thisRound = journaled.stream().filter(id -> id.startsWith(prefix)).count();
      assertThat(thisRound).as(context + ": the reopened journal keeps metering").isGreaterThanOrEqualTo(got.size())
          .isLessThanOrEqualTo(load.metered() - before);
    }
    List<JsonNode> records = Journal.records(dataDir);
    JsonNode totals = Journal.json(Fork.cli("report", "--json", "--data-dir", dataDir.toString()).stdout).get("totals");
    assertThat(totals.get("calls").asLong()).isEqualTo(records.size());
    System.out.println("CrashIT: " + LOAD_ROUNDS + " rounds, " + load.metered() + " calls reached the server, "
        + received.size() + " answers received by the app, " + records.size() + " records journaled, all received found");
  }

  /** Runs the load app until it has printed {@code answers} answers, kills it with SIGKILL, and returns every answer it printed. */
  private List<String> killAfter(int answers) throws Exception {
    Process p = Fork.app("okhttp4", LoadApp.class).prop("tollgate.data-dir", dataDir).prop("tollgate.budget", "1000").prop(
        "tollgate.tokenizer", "heuristic")
        .endpoint("fake", url("/v1"), "openai")
        .args("crash", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, Fixtures.OPENAI_STREAM_REQUEST, 8)
        .start(tmp.resolve("crash.err"));
    List<String> got = new ArrayList<>();
    BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    for (String line; (line = out.readLine()) != null;) {
      if (line.startsWith("GOT ")) {
        got.add(line.substring(4));
        if (got.size() == answers) {
          // SIGKILL while the other threads are mid-call; through the handle, so that what the app
          // printed before it died can still be read (Process.destroyForcibly closes the pipes).
          p.toHandle().destroyForcibly();
        }
      }
    }
    assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
    assertThat(got).as(Files.readString(tmp.resolve("crash.err"))).hasSizeGreaterThanOrEqualTo(answers);
    return got;
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
    // One line says it, once: not a second one when the next write starts a line of its own.
    assertThat(second.agentLog().stream().filter(l -> l.contains("WARN") && l.contains("journal")).collect(Collectors.toList()))
        .as(second.toString()).containsExactly("[tollgate] WARN journal: " + file.getFileName() + " ends in a torn record (the JVM was "
            + "stopped mid-write, or another JVM is writing it): skipped until its line is whole");

    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    Fork.Result third = app("sync", Fixtures.OPENAI_REQUEST).prop("tollgate.budget", "1").args("--balance").run();
    assertThat(third.lines("BALANCE ")).as(third.toString()).containsExactly("0.998965");
    assertThat(third.agentLog()).as("the next start does not say it again").noneSatisfy(l -> assertThat(l).contains("journal"));

    Fork.Result report = Fork.cli("report", "--json", "--data-dir", dataDir.toString());
    JsonNode totals = Journal.json(report.stdout).get("totals");
    assertThat(totals.get("calls").asLong()).as(report.toString()).isEqualTo(3);
    assertThat(totals.get("cost").decimalValue()).isEqualByComparingTo("0.001035");
    assertThat(report.stderr).contains("skipped 1 unreadable line(s) in " + file.getFileName());
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
