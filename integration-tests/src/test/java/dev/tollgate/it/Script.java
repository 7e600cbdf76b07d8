package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.it.apps.ScenarioDriver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Several app runs in ONE forked JVM, {@link ScenarioDriver}: each line names its run's id, the app and
 * its arguments; {@link #run} forks the driver once and returns its output sliced by id ({@link
 * ClientContractIT.Run#slice}). The way an IT's scenarios that need the same JVM settings share a fork
 * (see docs/contributing/running-tests.md).
 */
final class Script {
  private final List<String> lines = new ArrayList<>();
  private final List<String> ids = new ArrayList<>();

  /** Adds one run of {@code app}'s {@code run} (or {@code main}) with {@code args}; {@code id} names its slice. */
  Script add(String id, Class<?> app, Object... args) {
    StringBuilder line = new StringBuilder(id).append('\t').append(app.getName());
    for (Object a : args) {
      line.append('\t').append(a);
    }
    lines.add(line.toString());
    ids.add(id);
    return this;
  }

  /** The ids of the runs, in order. */
  List<String> ids() {
    return ids;
  }

  /**
   * Runs the script in {@code driver} (a {@link Fork} of {@link ScenarioDriver}, with its settings) and
   * checks that every run ended; the journal is read from {@code dataDir} once the JVM exited.
   */
  ClientContractIT.Run run(Fork driver, Path dataDir) {
    try {
      Path file = Files.createTempFile("script", ".tsv");
      Files.write(file, lines);
      Fork.Result out = driver.stdin(file).run(300);
      Files.delete(file);
      assertThat(out.exit).as(out.toString()).isZero();
      assertThat(out.lines("DONE")).as(out.toString()).hasSize(1);
      assertThat(out.lines("FAILED ")).as(out.toString()).isEmpty();
      return new ClientContractIT.Run(out, dataDir);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
