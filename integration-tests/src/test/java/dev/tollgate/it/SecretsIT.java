package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.SecretsApp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Real-looking keys (OpenAI {@code sk-proj-}, Anthropic {@code sk-ant-api03-}, Gemini's in a header
 * and in {@code ?key=}, the OpenRouter credit source's) through every path a call can take, at
 * debug log level: a metered success, an error status, a client exception, a block as a 402 and as
 * a {@code CreditsExhaustedException}, a credit API answering 401 and garbage that quotes the key.
 * Then every agent log line, the app's stdout and stderr, every file under the data dir and the
 * CLI's report, balance and ledger are searched for each key: none may appear anywhere.
 */
class SecretsIT extends LoopbackTest {
  private static final String[] KEYS = {SecretsApp.OPENAI_KEY, SecretsApp.ANTHROPIC_KEY, SecretsApp.GEMINI_KEY, SecretsApp.OPENROUTER_KEY};
  private final MockWebServer credits = new MockWebServer();
  private final Queue<RecordedRequest> seen = new ConcurrentLinkedQueue<>();
  private final Queue<RecordedRequest> creditReads = new ConcurrentLinkedQueue<>();
  private volatile MockResponse creditsAnswer;
  private final List<String> outputs = new ArrayList<>();

  @BeforeEach
  void startServers() throws IOException {
    server.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        seen.add(request);
        String path = request.getUrl().encodedPath();
        if (path.startsWith("/anthropic/")) {
          return new MockResponse.Builder().code(401).addHeader("Content-Type", "application/json")
              .body("{\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}}").build();
        }
        return Fixtures.json(path.startsWith("/gemini/") ? Fixtures.GEMINI_JSON : Fixtures.OPENAI_JSON);
      }
    });
    credits.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        creditReads.add(request);
        return creditsAnswer;
      }
    });
    credits.start();
  }

  @AfterEach
  void stopCredits() {
    credits.close();
  }

  private Fork.Result run(String blockMode) {
    Fork.Result r = Fork.app("jdk", SecretsApp.class)
        .prop("tollgate.data-dir", dataDir)
        .prop("tollgate.log-level", "debug")
        .prop("tollgate.wallet", "openrouter")
        .prop("tollgate.openrouter.url", credits.url("/api/v1").toString())
        .prop("tollgate.openrouter.key", SecretsApp.OPENROUTER_KEY)
        .prop("tollgate.source-retries", "0")
        .prop("tollgate.on-source-failure", "closed")
        .prop("tollgate.block-mode", blockMode)
        .endpoint("fake-openai", url("/v1"), "openai")
        .endpoint("fake-anthropic", url("/anthropic/v1"), "anthropic")
        .endpoint("fake-gemini", url("/gemini"), "gemini")
        .endpoint("dead", "http://127.0.0.1:9/v1", "openai")
        .args(url("").replaceAll("/$", ""), "http://127.0.0.1:9")
        .run();
    outputs.add(r.stdout);
    outputs.add(r.stderr);
    return r;
  }

  @Test
  void keys_neverAppearInLogsOutputFilesOrTheCli_andTheJournalHoldsNoQueryStringOrHeader() throws IOException {
    creditsAnswer = Fixtures.json("{\"data\":{\"total_credits\":10,\"total_usage\":1}}");
    Fork.Result served = run("exception");
    creditsAnswer = new MockResponse.Builder().code(401).body("{\"error\":{\"message\":\"No auth credentials found\"}}").build();
    Fork.Result unauthorized = run("exception");
    creditsAnswer = new MockResponse.Builder().code(200).addHeader("Content-Type", "text/html")
        .body("<html>bad gateway for key " + SecretsApp.OPENROUTER_KEY + "</html>").build();
    Fork.Result garbage = run("response");
    for (String command : new String[] {"report", "balance", "ledger"}) {
      outputs.add(Fork.cli(command, "--data-dir", dataDir.toString()).toString());
      outputs.add(Fork.cli(command, "--json", "--data-dir", dataDir.toString()).toString());
    }

    // Every path was taken, with the keys really in play.
    assertThat(served.lines("openai STATUS")).as(served.toString()).containsExactly("200");
    assertThat(served.lines("anthropic STATUS")).containsExactly("401");
    assertThat(served.lines("gemini STATUS")).containsExactly("200");
    assertThat(served.lines("dead ERROR")).isNotEmpty();
    assertThat(served.agentLog()).anySatisfy(l -> assertThat(l).contains("DEBUG"));
    assertThat(unauthorized.lines("openai ERROR")).as(unauthorized.toString()).anySatisfy(l -> assertThat(l).contains(
        "CreditsExhaustedException"));
    assertThat(unauthorized.agentLog()).anySatisfy(l -> assertThat(l).contains("HTTP 401"));
    assertThat(garbage.lines("openai STATUS")).as(garbage.toString()).containsExactly("402");
    assertThat(garbage.agentLog()).anySatisfy(l -> assertThat(l).contains("not JSON"));
    assertThat(seen).extracting(q -> q.getHeaders().get("Authorization")).contains("Bearer " + SecretsApp.OPENAI_KEY);
    assertThat(seen).extracting(q -> q.getHeaders().get("x-api-key")).contains(SecretsApp.ANTHROPIC_KEY);
    assertThat(seen).extracting(q -> q.getUrl().queryParameter("key")).contains(SecretsApp.GEMINI_KEY);
    assertThat(creditReads).extracting(q -> q.getHeaders().get("Authorization")).contains("Bearer " + SecretsApp.OPENROUTER_KEY);

    for (String key : KEYS) {
      assertThat(outputs).allSatisfy(text -> assertThat(text).doesNotContain(key));
      for (Path f : files(dataDir)) {
        assertThat(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1)).as(f.toString()).doesNotContain(key);
      }
    }

    // The journal records no query string (Gemini's ?key=) and no header, on any path.
    List<JsonNode> records = Journal.records(dataDir);
    assertThat(records).extracting(n -> n.get("provider").asText()).contains("fake-openai", "fake-anthropic", "fake-gemini", "dead");
    assertThat(records).allSatisfy(n -> {
      assertThat(n.get("endpoint").asText()).doesNotContain("?").doesNotContain("key=");
      assertThat(n.toString()).doesNotContain("Bearer").doesNotContain("x-api-key").doesNotContain("x-goog-api-key");
    });
    assertThat(records).extracting(n -> n.get("endpoint").asText())
        .contains(url("/gemini/v1beta/models/gemini-2.5-flash:generateContent"), "http://127.0.0.1:9/v1/chat/completions");
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      List<Path> files = new ArrayList<>();
      all.filter(Files::isRegularFile).forEach(files::add);
      return files;
    }
  }
}
