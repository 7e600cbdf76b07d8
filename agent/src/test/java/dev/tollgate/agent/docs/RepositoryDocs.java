package dev.tollgate.agent.docs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The repository's Markdown documentation, found from the module the tests run in. */
public final class RepositoryDocs {
  private RepositoryDocs() {}

  /** The repository's root: the nearest directory up from the working directory holding README.md and docs/. */
  public static Path root() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isRegularFile(p.resolve("README.md")) && Files.isDirectory(p.resolve("docs"))) {
        return p;
      }
    }
    throw new IllegalStateException("no README.md and docs/ above " + Path.of("").toAbsolutePath());
  }

  /** The text of {@code relative}, a path from the repository's root. */
  public static String read(String relative) throws IOException {
    return Files.readString(root().resolve(relative), StandardCharsets.UTF_8);
  }

  /** README.md and every Markdown file under docs/. */
  public static List<Path> markdownFiles() throws IOException {
    Path root = root();
    try (Stream<Path> docs = Files.walk(root.resolve("docs"))) {
      return Stream.concat(Stream.of(root.resolve("README.md")), docs.filter(p -> p.toString().endsWith(".md")).sorted())
          .collect(Collectors.toList());
    }
  }
}
