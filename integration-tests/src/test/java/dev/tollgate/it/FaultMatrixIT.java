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
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
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
 * One forked JVM per fault that needs JVM-wide settings of its own (a credit source, a data dir, a configuration), one
 * shared by the faults of the provider's answers and one by the injected parser failures ({@link Shared}), and one more,
 * without the agent, for the faults where the app's answer is not obvious: the app gets exactly what it gets without the
 * agent, the agent says so in at most one line, and the journal holds what it can. Cells covered elsewhere: a credit API
 * answering 500 with {@code closed} and 401 with {@code open} (RemoteWalletIT), a 200 MB event stream (HugeStreamIT),
 * other invalid values and agent arguments (ConfigIT), conflicting library versions (IsolationIT), a torn journal line
 * after a crash (CrashIT).
 */
class FaultMatrixIT extends LoopbackTest {
  private static final String SOURCE_KEY = "sk-or-v1-matrix-key";
  private final MockWebServer credits = new MockWebServer();
  /** Answers the shared JVMs' and the baseline's calls, each cell at its own path ({@code /<cell's endpoint>/v1/...}). */
  private static final MockWebServer CELLS_SERVER = new MockWebServer();
  private static boolean cellsServerStarted;
  private static ClientContractIT.@Nullable Run baseline;
  private static final Map<Shared, ClientContractIT.Run> SHARED_RUNS = new EnumMap<>(Shared.class);

  /**
   * The cells whose fault is in the provider's answer (or injected into every parser) need no JVM of their own: each
   * set shares one {@link ScenarioDriver} JVM, each cell a call to its own endpoint (its {@linkplain #endpoint name}, its
   * journal records, its server path), its output and the agent's lines read between its {@code BEGIN} and {@code END}.
   * Every line the agent logs once per JVM is keyed by something a cell of its own has (the endpoint, the tap's class).
   */
  enum Shared {
    /** The default settings: the answers' faults. */
    ANSWERS,
    /** {@code tollgate.internal.fault=parser}. */
    PARSER
  }

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
    RESPONSE_EMPTY("a response from response-empty to http://localhost:"),
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
    String output;
    List<String> agentLog;
    String context;
    List<JsonNode> records;
    @Nullable Shared jvm = shared(cell);
    if (jvm == null) {
      Fork.Result with = arrange(cell).run();
      assertThat(with.exit).as(with.toString()).isZero();
      output = appOutput(with.stdout);
      agentLog = with.agentLog();
      context = with.toString();
      records = Journal.records(dataDir);
    } else {
      ClientContractIT.Run run = sharedRun(jvm); // its exit, and that no app's main threw, checked there
      ClientContractIT.Slice with = run.slice(endpoint(cell));
      output = String.join("\n", with.appLines());
      agentLog = with.agentLog();
      context = with.toString();
      records = run.journal.stream().filter(r -> r.get("provider").asText().equals(endpoint(cell))).collect(Collectors.toList());
    }
    String expected = comparedWithoutAgent(cell)
        ? String.join("\n", withoutAgent(cell).appLines()) : "STATUS 200\nBLOCKED null\nBODY " + Fixtures.OPENAI_JSON + "\n";

    assertThat(output).as(context).isEqualTo(appOutput(expected));
    if (cell.logLine == null) {
      assertThat(agentLog).as(context).isEmpty();
    } else {
      assertThat(agentLog).as(context).singleElement().asString().contains(cell.logLine);
    }
    assertThat(context).doesNotContain(SOURCE_KEY);
    if (cell == Cell.CREDIT_SOURCE_SLOW) {
      assertThat(agentLog.get(0)).containsPattern("unreachable: (InterruptedIOException|SocketTimeoutException)\\)");
    }
    if (cell.name().startsWith("CREDIT_SOURCE")) {
      assertThat(agentLog.get(0)).contains(
          "no balance younger than 5m; tollgate.on-source-failure=open: metered calls go through unlimited");
    }
    assertJournal(cell, records);
  }

  /** The JVM {@code cell} shares with others, or null when its fault needs JVM-wide settings of its own. */
  private static @Nullable Shared shared(Cell cell) {
    if (cell.name().startsWith("RESPONSE_")) {
      return Shared.ANSWERS;
    }
    return cell == Cell.PARSER_FAILURE || cell == Cell.PARSER_FAILURE_STREAM ? Shared.PARSER : null;
  }

  /** A cell's endpoint name, the first segment of its path on {@link #CELLS_SERVER}: {@code RESPONSE_EMPTY}: {@code response-empty}. */
  private static String endpoint(Cell cell) {
    return cell.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Adds {@code cell}'s one call to {@code script}, as run {@code id}: the app and mode its fault is met with. */
  private static void addCall(Script script, String id, Cell cell) {
    String url = CELLS_SERVER.url("/" + endpoint(cell) + "/v1/chat/completions").toString();
    if (cell == Cell.RESPONSE_HUGE) {
      script.add(id, JdkHttpApp.class, "drain", url, Fixtures.OPENAI_REQUEST);
    } else if (cell == Cell.PARSER_FAILURE_STREAM) {
      script.add(id, OkHttpApp.class, "stream", url, Fixtures.OPENAI_STREAM_REQUEST);
    } else {
      script.add(id, OkHttpApp.class, "sync", url, Fixtures.OPENAI_REQUEST);
    }
  }

  /**
   * The shared JVM of a set of cells, forked the first time one of them needs it, with every call of the set; the
   * agent's lines in the whole JVM are exactly one per cell that expects one (none at start-up or between the calls).
   */
  private static synchronized ClientContractIT.Run sharedRun(Shared jvm) throws Exception {
    ClientContractIT.@Nullable Run run = SHARED_RUNS.get(jvm);
    if (run == null) {
      startCellsServer();
      Path data = Files.createTempDirectory("faults");
      Fork fork = Fork.app("okhttp4", ScenarioDriver.class).prop("tollgate.data-dir", data);
      Script script = new Script();
      long logLines = 0;
      for (Cell c : Cell.values()) {
        if (shared(c) == jvm) {
          fork.endpoint(endpoint(c), CELLS_SERVER.url("/" + endpoint(c) + "/v1").toString(), "openai");
          addCall(script, endpoint(c), c);
          logLines += c.logLine == null ? 0 : 1;
        }
      }
      if (jvm == Shared.PARSER) {
        fork.prop("tollgate.internal.fault", "parser");
      }
      run = script.run(fork, data);
      assertThat(run.out.agentLog()).as(run.out.toString()).hasSize((int) logLines);
      try (java.util.stream.Stream<Path> all = Files.walk(data)) {
        for (Path p : (Iterable<Path>) all.sorted(java.util.Comparator.reverseOrder())::iterator) {
          Files.delete(p);
        }
      }
      SHARED_RUNS.put(jvm, run);
    }
    return run;
  }

  /** Sets up a fault that needs a JVM of its own; returns the app run that meets it. */
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
      default: // the cells of a shared JVM
        throw new AssertionError(cell);
    }
  }

  /** What the provider answers in a cell of a shared JVM (and in the run without the agent). */
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
      case PARSER_FAILURE:
        return Fixtures.json(Fixtures.OPENAI_JSON);
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
      try {
        startCellsServer();
        Script script = new Script();
        for (Cell c : Cell.values()) {
          if (comparedWithoutAgent(c)) {
            addCall(script, c.name(), c);
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

  /** Starts {@link #CELLS_SERVER} once: it answers each cell's path as {@link #response} says. */
  private static synchronized void startCellsServer() throws java.io.IOException {
    if (cellsServerStarted) {
      return;
    }
    CELLS_SERVER.setDispatcher(new mockwebserver3.Dispatcher() {
      @Override
      public MockResponse dispatch(mockwebserver3.RecordedRequest request) {
        String path = request.getUrl().encodedPath();
        return response(Cell.valueOf(path.substring(1, path.indexOf('/', 1)).toUpperCase(Locale.ROOT).replace('-', '_')));
      }
    });
    CELLS_SERVER.start();
    cellsServerStarted = true;
  }

  @AfterAll
  static void stopCellsServer() {
    CELLS_SERVER.close();
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
