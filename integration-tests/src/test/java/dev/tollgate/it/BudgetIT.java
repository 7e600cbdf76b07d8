package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.BudgetApp;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Period and scoped budgets in a real JVM with OkHttp against a loopback provider, in one story: a
 * journal holding yesterday's spend (which must not count) and today's (which must); a model's daily
 * budget blocking that model while another goes on, with no request of the blocked calls reaching
 * the server; a budgets file changed (and then broken) while the application runs; and the CLI
 * reading the budgets back.
 */
class BudgetIT extends LoopbackTest {
  private static final String GPT_4O_REQUEST = Fixtures.OPENAI_REQUEST.replace("gpt-4o-mini", "gpt-4o");
  /** The answer to a gpt-4o request names gpt-4o's snapshot, as the provider's does (the journal keeps the answer's model). */
  private static final String GPT_4O_JSON = Fixtures.OPENAI_JSON.replace("gpt-4o-mini-2024-07-18", "gpt-4o-2024-08-06");
  private Process process;

  @AfterEach
  void stop() {
    if (process != null) {
      process.destroyForcibly();
    }
  }

  @Test
  void periodBudgets_countTodaysJournalOnly_blockOneModelWhileAnotherGoesOn_andFollowTheBudgetsFile() throws Exception {
    Instant now = Instant.now();
    Instant today = now.truncatedTo(ChronoUnit.DAYS);
    seedJournal(today.minusSeconds(1), "100"); // yesterday: would block everything if it counted
    seedJournal(now.minusSeconds(60).isBefore(today) ? today : now.minusSeconds(60), "0.0005"); // today: counts
    Path budgetsFile = tmp.resolve("budgets.json");
    Files.writeString(budgetsFile, "{\"budgets\":[{\"scope\":{\"model\":\"gpt-4o\"},\"limit\":0,\"period\":\"day\"}]}");
    Map<String, String> props = Map.of("tollgate.data-dir", dataDir.toString(), "tollgate.budget.model.gpt-4o-mini", "0.001/day",
        "tollgate.budgets-file", budgetsFile.toString(), "tollgate.tokenizer", "heuristic",
        "tollgate.endpoint.fake.url", url("/v1"), "tollgate.endpoint.fake.format", "openai");
    Path err = tmp.resolve("app.err");
    process = Fork.app("okhttp4", BudgetApp.class).props(props).start(err);
    Session app = new Session(process, err);
    app.await("ACTIVE true");

    // 0.001 a day for gpt-4o-mini, 0.0005 spent today: two calls (0.000345 each) fit, the third is refused.
    String chat = "call " + url("/v1/chat/completions") + " ";
    List<String> statuses = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      if (i < 2) {
        server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
      }
      statuses.add(app.command(chat + Fixtures.OPENAI_REQUEST).get(0));
    }
    assertThat(statuses.subList(0, 2)).allSatisfy(s -> assertThat(s).startsWith("STATUS 200"));
    assertThat(statuses.get(2)).startsWith("STATUS 402");
    JsonNode error = Journal.json(statuses.get(2).substring("STATUS 402 ".length())).get("error");
    assertThat(error.get("message").asText()).contains("budget {model=gpt-4o-mini} per day").contains("resets at " + today.plus(1,
        ChronoUnit.DAYS));
    JsonNode budget = error.get("budget");
    assertThat(budget.get("scope").get("model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(budget.get("period").asText()).isEqualTo("day");
    assertThat(budget.get("limit").decimalValue()).isEqualByComparingTo("0.001");
    assertThat(budget.get("remaining").decimalValue()).isEqualByComparingTo("-0.00019"); // 0.001 − 0.0005 − 2 × 0.000345
    assertThat(budget.get("resets_at").asText()).isEqualTo(today.plus(1, ChronoUnit.DAYS).toString());
    assertThat(app.stdout).contains("BLOCKED gpt-4o-mini {model=gpt-4o-mini}").contains("THRESHOLD {model=gpt-4o-mini} day 80%");

    // gpt-4o has a budget of 0 in the file: blocked, while gpt-4o-mini was not (above); nothing reached the server.
    assertThat(app.command(chat + GPT_4O_REQUEST).get(0)).startsWith("STATUS 402");
    assertThat(server.getRequestCount()).isEqualTo(2);

    // The file raised gpt-4o's budget while the app runs: its next call goes through.
    Files.writeString(budgetsFile, "{\"budgets\":[{\"scope\":{\"model\":\"gpt-4o\"},\"limit\":1,\"period\":\"day\"}]}");
    app.awaitBudget("{model=gpt-4o} day limit=1 ");
    server.enqueue(Fixtures.json(GPT_4O_JSON));
    assertThat(app.command(chat + GPT_4O_REQUEST).get(0)).startsWith("STATUS 200");

    // A broken version is refused with one line naming file, line and field; the last valid one stays.
    Files.writeString(budgetsFile, "{\"budgets\":[\n {\"scope\":{\"model\":\"gpt-4o\"},\"limit\":-1,\"period\":\"day\"}]}");
    String refused = "budgets file " + budgetsFile + " line 2 field budgets[0].limit";
    app.awaitStderr(refused);
    server.enqueue(Fixtures.json(GPT_4O_JSON));
    assertThat(app.command(chat + GPT_4O_REQUEST).get(0)).startsWith("STATUS 200");
    assertThat(server.getRequestCount()).isEqualTo(4);
    app.quit();
    assertThat(Files.readAllLines(err)).filteredOn(l -> l.contains(refused)).hasSize(1);

    // The CLI reads the same budgets back from the data dir and the configuration (it refuses a broken file).
    Fork.Result broken = Fork.cli(props, "budgets");
    assertThat(broken.exit).as("a budgets file that cannot be used is a configuration error").isEqualTo(2);
    assertThat(broken.stderr).contains(refused);
    Files.writeString(budgetsFile, "{\"budgets\":[{\"scope\":{\"model\":\"gpt-4o\"},\"limit\":1,\"period\":\"day\"}]}");
    Fork.Result cli = Fork.cli(props, "budgets", "--json");
    assertThat(cli.exit).as(cli.toString()).isZero();
    JsonNode listed = Journal.json(cli.stdout).get("budgets");
    assertThat(listed).hasSize(2);
    JsonNode mini = listed.get(1).get("scope").has("model") && listed.get(1).get("scope").get("model").asText().equals("gpt-4o-mini")
        ? listed.get(1) : listed.get(0);
    assertThat(mini.get("spent").decimalValue()).isEqualByComparingTo("0.00119");
    assertThat(mini.get("period").asText()).isEqualTo("day");
    assertThat(mini.get("resets_at").asText()).isEqualTo(today.plus(1, ChronoUnit.DAYS).toString());
    JsonNode gpt4o = mini == listed.get(0) ? listed.get(1) : listed.get(0);
    assertThat(gpt4o.get("scope").get("model").asText()).isEqualTo("gpt-4o");
    assertThat(gpt4o.get("spent").decimalValue()).isPositive(); // its two calls, journaled as gpt-4o-2024-08-06
  }

  private void seedJournal(Instant time, String cost) throws IOException {
    Path journal = dataDir.resolve("journal");
    if (!Files.isDirectory(journal)) {
      Files.createDirectories(journal, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwx------"));
    }
    String line = "{\"id\":\"seed-" + time.toEpochMilli() + "\",\"time\":\"" + time
        + "\",\"provider\":\"openai\",\"model\":\"gpt-4o-mini-2024-07-18\","
        + "\"operation\":\"chat\",\"endpoint\":\"http://127.0.0.1/v1/chat/completions\",\"status\":\"ok\",\"cost\":" + cost + "}\n";
    Path file = journal.resolve("usage-" + LocalDate.ofInstant(time, ZoneOffset.UTC) + ".jsonl");
    Files.writeString(file, line, StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
  }

  /** The forked app, driven one command at a time. */
  private static final class Session {
    final Process process;
    final Path err;
    final BufferedReader out;
    final Writer in;
    final StringBuilder stdout = new StringBuilder();

    Session(Process process, Path err) {
      this.process = process;
      this.err = err;
      this.out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
      this.in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    }

    void await(String expected) throws IOException {
      for (String line; (line = out.readLine()) != null;) {
        stdout.append(line).append('\n');
        if (line.equals(expected)) {
          return;
        }
      }
      throw new AssertionError("no " + expected + " from the forked JVM:\n" + stdout + Files.readString(err));
    }

    /** Sends one command; returns the lines it printed that answer it ({@code STATUS}, {@code BUDGET}). */
    List<String> command(String command) throws IOException {
      in.write(command + "\n");
      in.flush();
      List<String> answer = new ArrayList<>();
      for (String line; (line = out.readLine()) != null;) {
        stdout.append(line).append('\n');
        if (line.equals("DONE")) {
          return answer;
        }
        if (line.startsWith("STATUS ") || line.startsWith("BUDGET ")) {
          answer.add(line);
        }
      }
      throw new AssertionError("the forked JVM ended:\n" + stdout + Files.readString(err));
    }

    /** Polls {@code Tollgate.budgets()} until one reads {@code expected} (the file is polled in the background). */
    void awaitBudget(String expected) throws Exception {
      for (int i = 0; i < 600; i++) {
        if (command("budgets").stream().anyMatch(l -> l.contains(expected))) {
          return;
        }
        Thread.sleep(100);
      }
      throw new AssertionError("no budget " + expected + ":\n" + stdout + Files.readString(err));
    }

    void awaitStderr(String expected) throws Exception {
      for (int i = 0; i < 600; i++) {
        if (Files.readString(err).contains(expected)) {
          return;
        }
        Thread.sleep(100);
      }
      throw new AssertionError("no line " + expected + " on stderr:\n" + Files.readString(err));
    }

    void quit() throws Exception {
      in.write("quit\n");
      in.flush();
      for (String line; (line = out.readLine()) != null;) {
        stdout.append(line).append('\n');
      }
      assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
  }
}
