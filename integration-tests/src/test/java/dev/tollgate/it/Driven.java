package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A forked JVM driven line by line: its standard output read as it comes, its standard error in a file. */
class Driven {
  final Process process;
  private final BufferedReader out;
  private final Writer in;
  private final Path err;
  private final StringBuilder stdout = new StringBuilder();

  /** @param started where the process is added, for the test to destroy it whatever happens */
  Driven(Fork fork, Path err, List<Process> started) throws IOException {
    this.err = err;
    process = fork.start(err);
    started.add(process);
    out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
  }

  void awaitLine(String expected) throws IOException {
    for (String line; (line = out.readLine()) != null;) {
      stdout.append(line).append('\n');
      if (line.equals(expected)) {
        return;
      }
    }
    throw new AssertionError("no " + expected + " from the forked JVM:\n" + stdout + Files.readString(err));
  }

  void send(String line) throws IOException {
    in.write(line + "\n");
    in.flush();
  }

  Fork.Result finish() throws Exception {
    try {
      for (String line; (line = out.readLine()) != null;) {
        stdout.append(line).append('\n');
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Fork.Result(process.exitValue(), stdout.toString(), Files.readString(err));
  }
}
