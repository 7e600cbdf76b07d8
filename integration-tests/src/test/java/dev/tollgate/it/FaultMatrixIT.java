package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.JdkHttpApp;
import dev.tollgate.it.apps.OkHttpApp;
import dev.tollgate.it.apps.ScenarioDriver;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Collectors;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One forked JVM per fault (and one more, without the agent, for the faults where the app's answer is not obvious): the
 * app gets exactly what it gets without the agent, the agent says so in at most one line, and the
 * journal holds what it can. Cells covered elsewhere: a credit API answering 500 with {@code closed}
 * and 401 with {@code open} (RemoteWalletIT), a 200 MB event stream (HugeStreamIT), other invalid
 * values and agent arguments (ConfigIT), conflicting library versions (IsolationIT), a torn journal
 * line after a crash (CrashIT).
 */
class FaultMatrixIT extends LoopbackTest {
  private static final String SOURCE_KEY = "sk-or-v1-matrix-key";
  private final MockWebServer credits = new MockWebServer();
  private static final MockWebServer BASELINE_SERVER = new MockWebServer();
  private static ClientContractIT.@Nullable Run baseline;

  /** A fault, and the one line the agent logs about it (null: the agent handles it fully and logs nothing). */
  enum Cell {
    CREDIT_SOURCE_DOWN("unreachable: "),
    // The read timeout and the call timeout are the same length: either may fire first on a busy machine.
    CREDIT_SOURCE_SLOW("Exception): no balance younger than 5m; tollgate.on-source-failure=open"),
    CREDIT_SOURCE_401("answered HTTP 401"),
    CREDIT_SOURCE_GARBAGE("answered HTTP 200 with a body that is not JSON): no balance younger than 5m"),
    RESPONSE_MALFORMED("could not read usage from a response; recording it with estimated usage"),
    RESPONSE_TRUNCATED(null),
    RESPONSE_GZIP(null),
    RESPONSE_EMPTY("a response from fake to http://localhost:"),
    RESPONSE_HUGE(null),
    DATA_DIR_UNCREATABLE("cannot start metering"),
    DATA_DIR_READ_ONLY("cannot start metering"),
    DATA_DIR_FULL("could not append to the journal; usage is still enforced in memory (java.io.IOException: File too large)"),
    CONFIG_INVALID("[tollgate] ERROR invalid configuration tollgate.budget=ten"),
    PARSER_FAILURE("could not read usage from a response; recording it with estimated usage "
        + "(java.lang.IllegalStateException: usage parser failure injected by tollgate.internal.fault=parser)"),
    PARSER_FAILURE_STREAM("could not read usage from a response; recording it with estimated usage "
        + "(java.lang.IllegalStateException: usage parser failure injected by tollgate.internal.fault=parser)");

    final @Nullable String logLine;

    Cell(@Nullable String logLine) {
      this.logLine = logLine;
    }
  }

  @AfterEach
  void stopCredits() throws Exception {
    credits.close();
    if (Files.isDirectory(dataDir)) {
      Files.setPosixFilePermissions(dataDir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
    }
  }

  @ParameterizedTest
  @EnumSource(Cell.class)
  void fault_appGetsWhatItWouldWithoutTheAgent_andTheAgentSaysSoInOneLine(Cell cell) throws Exception {
    Fork app = arrange(cell);
    Fork.Result with = app.run();
    String expected = comparedWithoutAgent(cell)
        ? String.join("\n", withoutAgent(cell).appLines()) : "STATUS 200\nBLOCKED null\nBODY " + Fixtures.OPENAI_JSON + "\n";

    assertThat(with.exit).as(with.toString()).isZero();
    assertThat(appOutput(with.stdout)).as(with.toString()).isEqualTo(appOutput(expected));
    if (cell.logLine == null) {
      assertThat(with.agentLog()).as(with.toString()).isEmpty();
    } else {
      assertThat(with.agentLog()).as(with.toString()).singleElement().asString().contains(cell.logLine);
    }
    assertThat(with.toString()).doesNotContain(SOURCE_KEY);
    if (cell == Cell.CREDIT_SOURCE_SLOW) {
      assertThat(with.agentLog().get(0)).containsPattern("unreachable: (InterruptedIOException|SocketTimeoutException)\\)");
    }
    if (cell.name().startsWith("CREDIT_SOURCE")) {
      assertThat(with.agentLog().get(0)).contains(
          "no balance younger than 5m; tollgate.on-source-failure=open: metered calls go through unlimited");
    }
    assertJournal(cell, Journal.records(dataDir));
  }

  /** Sets the fault up; returns the app run that meets it. */
  private Fork arrange(Cell cell) throws Exception {
    switch (cell) {
      case CREDIT_SOURCE_DOWN:
        credits.start();
        String gone = credits.url("/api/v1").toString();
        credits.close(); // nothing listens on its port any more
        return remoteWallet(gone);
      case CREDIT_SOURCE_SLOW:
        creditsAnswer(new MockResponse.Builder(Fixtures.json("{\"data\":{\"total_credits\":5,\"total_usage\":1}}"))
            .headersDelay(10, java.util.concurrent.TimeUnit.SECONDS).build());
        return remoteWallet(credits.url("/api/v1").toString()).prop("tollgate.source-timeout", "1s");
      case CREDIT_SOURCE_401:
        creditsAnswer(new MockResponse.Builder().code(401).body("{\"error\":{\"message\":\"No auth credentials found\"}}").build());
        return remoteWallet(credits.url("/api/v1").toString());
      case CREDIT_SOURCE_GARBAGE:
        creditsAnswer(new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html").body("<html>maintenance</html>").build());
        return remoteWallet(credits.url("/api/v1").toString());
      case RESPONSE_MALFORMED:
      case RESPONSE_TRUNCATED:
      case RESPONSE_GZIP:
      case RESPONSE_EMPTY:
        return okhttp(response(cell));
      case RESPONSE_HUGE:
        return huge();
      case DATA_DIR_UNCREATABLE:
        Files.writeString(tmp.resolve("not-a-dir"), "a file");
        dataDir = tmp.resolve("not-a-dir/data");
        return okhttp(Fixtures.json(Fixtures.OPENAI_JSON));
      case DATA_DIR_READ_ONLY:
        return readOnlyDataDir();
      case DATA_DIR_FULL:
        return fullDataDir();
      case CONFIG_INVALID:
        return okhttp(Fixtures.json(Fixtures.OPENAI_JSON)).prop("tollgate.budget", "ten");
      case PARSER_FAILURE:
        return okhttp(Fixtures.json(Fixtures.OPENAI_JSON)).prop("tollgate.internal.fault", "parser");
      case PARSER_FAILURE_STREAM:
        server.enqueue(response(cell));
        return app("stream", Fixtures.OPENAI_STREAM_REQUEST).prop("tollgate.internal.fault", "parser");
      default:
        throw new AssertionError(cell);
    }
  }

  /** What the provider answers in a cell that compares the app's output with a run without the agent. */
  private static MockResponse response(Cell cell) {
    switch (cell) {
      case RESPONSE_MALFORMED:
        return Fixtures.json("{\"id\":\"chatcmpl-bad\",\"choices\":[}]},\"usage\":{\"prompt_tokens\":12");
      case RESPONSE_TRUNCATED:
        return new MockResponse.Builder(Fixtures.json(Fixtures.OPENAI_JSON)).onResponseBody(new SocketEffect.CloseSocket()).build();
      case RESPONSE_GZIP:
        return Fixtures.gzipJson(Fixtures.OPENAI_JSON);
      case RESPONSE_EMPTY:
        return Fixtures.json("");
      case RESPONSE_HUGE: // a 16 MB JSON answer (one long content string, usage at the very end)
        return Fixtures.json(Fixtures.OPENAI_JSON.replace("Hello there!", "lorem ipsum ".repeat(16 << 17)));
      case PARSER_FAILURE_STREAM:
        return Fixtures.sse(Fixtures.OPENAI_SSE);
      default:
        throw new AssertionError(cell);
    }
  }

  private static boolean comparedWithoutAgent(Cell cell) {
    return cell.name().startsWith("RESPONSE_") || cell == Cell.PARSER_FAILURE_STREAM;
  }

  private void assertJournal(Cell cell, List<JsonNode> records) {
    switch (cell) {
      case DATA_DIR_UNCREATABLE:
      case DATA_DIR_READ_ONLY:
      case DATA_DIR_FULL:
      case CONFIG_INVALID:
        assertThat(records).isEmpty();
        return;
      case RESPONSE_GZIP:
      case RESPONSE_HUGE:
      case CREDIT_SOURCE_DOWN:
      case CREDIT_SOURCE_SLOW:
      case CREDIT_SOURCE_401:
      case CREDIT_SOURCE_GARBAGE:
        assertThat(records).singleElement().satisfies(r -> {
          assertThat(r.get("status").asText()).isEqualTo("ok");
          assertThat(r.get("estimated").asBoolean()).isFalse();
          assertThat(r.get("cost").decimalValue()).isEqualByComparingTo(Fixtures.OPENAI_JSON_COST);
        });
        return;
      case RESPONSE_TRUNCATED:
        assertThat(records).singleElement().satisfies(r -> {
          assertThat(r.get("status").asText()).isEqualTo("cancelled");
          assertThat(r.get("estimated").asBoolean()).isTrue();
        });
        return;
      default: // malformed, empty, parser failures: the call went through, its usage is estimated
        assertThat(records).singleElement().satisfies(r -> {
          assertThat(r.get("status").asText()).isEqualTo("ok");
          assertThat(r.get("estimated").asBoolean()).isTrue();
        });
    }
  }

  private Fork app(String mode, String request) {
    return Fork.app("okhttp4", OkHttpApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("fake", url("/v1"), "openai")
        .args(mode, url("/v1/chat/completions"), request);
  }

  private Fork okhttp(MockResponse response) {
    server.enqueue(response);
    return app("sync", Fixtures.OPENAI_REQUEST);
  }

  /**
   * The same app and answer without the agent: one JVM runs it for every cell that needs it, the first
   * time one does; each cell's call goes to its own path of one server ({@code /<CELL>/v1/...}), which
   * answers as {@link #response} says.
   */
  private static synchronized ClientContractIT.Slice withoutAgent(Cell cell) {
    ClientContractIT.@Nullable Run run = baseline;
    if (run == null) {
      BASELINE_SERVER.setDispatcher(new mockwebserver3.Dispatcher() {
        @Override
        public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
          String path = request.getUrl().encodedPath();
          return response(Cell.valueOf(path.substring(1, path.indexOf('/', 1))));
        }
      });
      try {
        BASELINE_SERVER.start();
        Script script = new Script();
        for (Cell c : Cell.values()) {
          if (comparedWithoutAgent(c)) {
            String url = BASELINE_SERVER.url("/" + c.name() + "/v1/chat/completions").toString();
            if (c == Cell.RESPONSE_HUGE) {
              script.add(c.name(), JdkHttpApp.class, "drain", url, Fixtures.OPENAI_REQUEST);
            } else if (c == Cell.PARSER_FAILURE_STREAM) {
              script.add(c.name(), OkHttpApp.class, "stream", url, Fixtures.OPENAI_STREAM_REQUEST);
            } else {
              script.add(c.name(), OkHttpApp.class, "sync", url, Fixtures.OPENAI_REQUEST);
            }
          }
        }
        Path none = Files.createTempDirectory("no-agent");
        run = script.run(Fork.app("okhttp4", ScenarioDriver.class).withoutAgent(), none);
        baseline = run;
        Files.delete(none);
      } catch (java.io.IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
    return run.slice(cell.name());
  }

  @AfterAll
  static void stopBaselineServer() {
    BASELINE_SERVER.close();
  }

  /** The app's output without the line that says whether the agent is active. */
  private static String appOutput(String stdout) {
    return stdout.lines().filter(l -> !l.startsWith("ACTIVE ")).collect(Collectors.joining("\n"));
  }

  private Fork remoteWallet(String creditsUrl) {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    return app("sync", Fixtures.OPENAI_REQUEST)
        .prop("tollgate.wallet", "openrouter").prop("tollgate.openrouter.url", creditsUrl)
        .prop("tollgate.openrouter.key", SOURCE_KEY).prop("tollgate.on-source-failure", "open")
        .prop("tollgate.source-retries", "0").prop("tollgate.source-timeout", "10s"); // generous: a first read loads classes
  }

  /** Answers every read (the wallet's and the reconciler's) with {@code response}. */
  private void creditsAnswer(MockResponse response) throws Exception {
    credits.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
        return response;
      }
    });
    credits.start();
  }

  /** A 16 MB JSON answer (one long content string, usage at the very end), drained by a JDK client app. */
  private Fork huge() {
    server.enqueue(response(Cell.RESPONSE_HUGE));
    return Fork.app("jdk", JdkHttpApp.class).prop("tollgate.data-dir", dataDir).endpoint("fake", url("/v1"), "openai")
        .args("drain", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST);
  }

  /**
   * A data dir no one may write to: mode 0555, and when that does not stop this user (root), a
   * read-only bind mount of it in a private mount namespace, so writes fail with EROFS.
   */
  private Fork readOnlyDataDir() throws Exception {
    Files.createDirectories(dataDir);
    Files.setPosixFilePermissions(dataDir, java.nio.file.attribute.PosixFilePermissions.fromString("r-x------"));
    Fork app = okhttp(Fixtures.json(Fixtures.OPENAI_JSON));
    if (!Files.isWritable(dataDir)) {
      return app;
    }
    String d = dataDir.toString();
    String mount = "mount --bind " + d + " " + d + " && mount -o remount,ro,bind " + d;
    Process probe = new ProcessBuilder("unshare", "-m", "bash", "-c", mount + " && touch " + d + "/probe").redirectErrorStream(true)
        .start();
    String said = new String(probe.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    probe.waitFor();
    Assumptions.assumeTrue(said.contains("Read-only file system"), "cannot make a directory read-only for root here: " + said);
    return app.launchedBy(mount, "unshare", "-m");
  }

  /**
   * A journal file already at the size limit: the JVM runs under {@code ulimit -f 4} (4 KiB), so every
   * append fails with EFBIG ("File too large"), as a full disk fails with ENOSPC.
   */
  private Fork fullDataDir() throws Exception {
    Path journal = Files.createDirectories(dataDir.resolve("journal"));
    Files.writeString(journal.resolve("usage-" + LocalDate.now(ZoneOffset.UTC) + ".jsonl"), "\n".repeat(8192));
    return okhttp(Fixtures.json(Fixtures.OPENAI_JSON)).jvmArg("-XX:-UsePerfData").launchedBy("ulimit -f 4");
  }
}
