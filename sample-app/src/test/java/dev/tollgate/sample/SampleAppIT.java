package dev.tollgate.sample;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, checked: the shaded sample app with the agent attached meters every
 * call exactly, blocks one visibly with nothing sent and no retry, and the CLI's report agrees.
 */
class SampleAppIT {
  private static final Pattern METERED = Pattern.compile(
      "^    tollgate: demo-(openai|anthropic) \\S+, \\d+ in.*, \\d+ out, cost ([^,\\s]+), tenant (acme|globex)$");
  private static final Pattern BALANCE = Pattern.compile("^    HTTP 200 .*   balance (\\S+)$");
  private static final Pattern SERVER = Pattern.compile("^    fake server requests: (\\d+) before, (\\d+) after: .*");

  @TempDir
  Path work;
  private Path dataDir;

  @Test
  void demo_metersEveryCallExactly_blocksOneWithNothingSent_andTheReportAgrees() throws Exception {
    dataDir = work.resolve("data");
    BigDecimal budget = new BigDecimal(System.getProperty("demo.budget"));
    String agent = System.getProperty("demo.agent-jar");
    int port = freePort();

    List<String> out = run(
        "-javaagent:" + agent,
        "-Dtollgate.data-dir=" + dataDir,
        "-Dtollgate.budget=" + budget,
        "-Dtollgate.endpoint.demo-openai.url=http://127.0.0.1:" + port + "/openai/v1",
        "-Dtollgate.endpoint.demo-openai.format=openai",
        "-Dtollgate.endpoint.demo-anthropic.url=http://127.0.0.1:" + port + "/anthropic/v1",
        "-Dtollgate.endpoint.demo-anthropic.format=anthropic",
        "-Dsample.port=" + port,
        "-jar", System.getProperty("demo.app-jar"));
    String all = String.join("\n", out);

    assertThat(out).as(all).contains("Tollgate agent attached: balance " + SampleApp.credits(budget) + " credits");
    // Each metered call prints its cost, then the balance: budget minus every cost so far, exactly.
    List<BigDecimal> costs = new ArrayList<>();
    BigDecimal spent = BigDecimal.ZERO;
    for (String line : out) {
      Matcher m = METERED.matcher(line);
      if (m.matches()) {
        costs.add(new BigDecimal(m.group(2)));
        spent = spent.add(new BigDecimal(m.group(2)));
      }
      Matcher b = BALANCE.matcher(line);
      if (b.matches()) {
        assertThat(new BigDecimal(b.group(1))).as(line).isEqualByComparingTo(budget.subtract(spent));
      }
    }
    assertThat(costs).as(all).hasSizeGreaterThanOrEqualTo(3).allSatisfy(c -> assertThat(c).isPositive());
    assertThat(out.stream().filter(l -> BALANCE.matcher(l).matches())).hasSameSizeAs(costs);
    // Then one call is blocked: a 402 with the header, no request reached the server, no retry.
    assertThat(out).filteredOn(l -> l.startsWith("    tollgate: BLOCKED ")).singleElement().asString()
        .endsWith(", " + SampleApp.credits(budget.subtract(spent)) + " available");
    assertThat(all).contains("got HTTP 402 with header Tollgate-Blocked: true").contains("\"code\":\"tollgate_blocked\"");
    Matcher server = out.stream().map(SERVER::matcher).filter(Matcher::matches).findFirst().orElseThrow(() -> new AssertionError(all));
    assertThat(server.group(2)).isEqualTo(server.group(1)).isEqualTo(String.valueOf(costs.size()));
    assertThat(out).contains("    the agent blocked 1 attempt: the client did not retry it");
    // What the demo says it stopped at is its last call: no call follows it (the demo's tenant budgets add one more call
    // for the other tenant, and say so).
    int stopped = out.indexOf("Stopped at the first blocked call.");
    assertThat(stopped).as(all).isPositive();
    assertThat(out.subList(stopped, out.size())).noneMatch(l -> l.startsWith("#"));
    // Regression: the demo never said where its journal was, so a bare `report` read ~/.tollgate.
    assertThat(out).contains("The journal of this run is in " + dataDir.toAbsolutePath() + ":",
        "    java -jar tollgate-agent.jar report --data-dir " + dataDir.toAbsolutePath());

    List<String> report = run("-jar", agent, "report", "--data-dir", dataDir.toString());
    assertThat(report).as(String.join("\n", report)).last().asString()
        .matches("TOTAL +" + costs.size() + " +1 +[\\d,]+ +[\\d,]+ +" + Pattern.quote(spent.stripTrailingZeros().toPlainString()));

    // Two tenants took turns under Tollgate.scope: the journal groups by them, as the app's closing table does.
    List<String> byTenant = run("-jar", agent, "report", "--data-dir", dataDir.toString(), "--by", "tenant");
    assertThat(byTenant).as(String.join("\n", byTenant)).anyMatch(l -> l.startsWith("acme ")).anyMatch(l -> l.startsWith("globex "))
        .noneMatch(l -> l.startsWith("- "));
    assertThat(out).contains("Spend by tenant (the same as `java -jar tollgate-agent.jar report --by tenant`):");
  }

  private List<String> run(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(List.of(args));
    Path output = Files.createTempFile(work, "output", ".txt");
    Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    if (!p.waitFor(2, TimeUnit.MINUTES)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + command + "\n" + Files.readString(output));
    }
    List<String> lines = Files.readAllLines(output, StandardCharsets.UTF_8);
    assertThat(p.exitValue()).as(String.join("\n", lines)).isZero();
    return lines;
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
