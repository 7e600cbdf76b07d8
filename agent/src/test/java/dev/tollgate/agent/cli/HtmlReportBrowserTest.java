package dev.tollgate.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;

/**
 * The page of {@code report --html} in a real browser: headless Chromium (Debian's {@code chromium},
 * which CI installs) loads it from a file with networking off, runs its script, lays out the
 * charts, and the rendered DOM is checked. Skipped, with a message, on a machine without Chromium.
 * Set {@code -Dtollgate.report.screenshot=FILE} to keep the screenshot (docs/report.png is made so).
 */
class HtmlReportBrowserTest {
  private static @Nullable String chromium;

  @TempDir
  Path dir;

  @BeforeAll
  static void findChromium() {
    for (String name : List.of("chromium", "chromium-browser", "google-chrome")) {
      for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
        if (!p.isEmpty() && Files.isExecutable(Path.of(p, name))) {
          chromium = Path.of(p, name).toString();
          return;
        }
      }
    }
  }

  @Test
  void page_inHeadlessChromium_rendersEveryChartWithoutErrors() throws Exception {
    Assumptions.assumeTrue(chromium != null,
        "no chromium on PATH: the headless-browser check of report --html is skipped (apt-get install chromium)");
    Path dataDir = Files.createDirectory(dir.resolve("data"));
    HtmlReportTest.writeHistory(dataDir);
    Path page = dir.resolve("report.html");
    assertThat(Cli.run(new String[] {"report", "--html", page.toString(), "--by", "tenant", "--data-dir", dataDir.toString()},
        new PrintStream(PrintStream.nullOutputStream()), System.err)).isZero();
    Document source = HtmlReportTest.parse(page);
    int bars = HtmlReportTest.elements(source, "//*[local-name()='rect' and @class='bar']").size();
    int charts = HtmlReportTest.elements(source, "//*[local-name()='svg' and @class='chart']").size();

    Result dom = chromium(page, "--dump-dom");

    assertThat(dom.stdout).as(dom.stderr).contains("data-bars=\"" + bars + "\"").contains("data-charts=\"" + charts + "\"");
    assertThat(charts).isEqualTo(5); // spend, calls, tokens, top models, drift
    assertThat(bars).isGreaterThan(4 * 4);
    assertThat(dom.stdout).doesNotContain("data-errors=\"");
    assertThat(dom.stderr).doesNotContain("CONSOLE").doesNotContain("Refused to").doesNotContain("Uncaught");

    Path png = dir.resolve("report.png");
    Result shot = chromium(page, "--screenshot=" + png, "--window-size=1040,2600", "--hide-scrollbars");
    assertThat(png).as(shot.stderr).exists();
    byte[] bytes = Files.readAllBytes(png);
    assertThat(bytes).hasSizeGreaterThan(10_000).startsWith(0x89, 'P', 'N', 'G');
    String keep = System.getProperty("tollgate.report.screenshot");
    if (keep != null) {
      Files.write(Path.of(keep), bytes);
    }
  }

  private static final class Result {
    final String stdout;
    final String stderr;

    Result(String stdout, String stderr) {
      this.stdout = stdout;
      this.stderr = stderr;
    }
  }

  private Result chromium(Path page, String... action) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(chromium, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage", "--enable-logging=stderr", "--v=0",
        "--user-data-dir=" + Files.createTempDirectory(dir, "profile")));
    cmd.addAll(List.of(action));
    cmd.add(page.toUri().toString());
    Path stdout = Files.createTempFile(dir, "out", ".txt");
    Path stderr = Files.createTempFile(dir, "err", ".txt");
    Process p = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("chromium did not finish in 120 s: " + Files.readString(stderr));
    }
    return new Result(Files.readString(stdout, StandardCharsets.UTF_8), Files.readString(stderr, StandardCharsets.UTF_8));
  }
}
