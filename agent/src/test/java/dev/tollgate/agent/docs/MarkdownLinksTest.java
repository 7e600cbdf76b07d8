package dev.tollgate.agent.docs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * Every relative link in README.md and docs/ resolves: to a file inside the repository and, with a
 * {@code #fragment}, to a heading of that file (GitHub's anchors). The docs stand on their own, so a
 * link that leaves the repository fails too.
 */
class MarkdownLinksTest {
  private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");
  private static final Pattern CODE_SPAN = Pattern.compile("`[^`\n]*`");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*#*\\s*$");
  private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

  @Test
  void everyRelativeLink_resolvesInsideTheRepository() throws IOException {
    Path root = RepositoryDocs.root();
    List<String> broken = new ArrayList<>();
    int links = 0;
    for (Path file : RepositoryDocs.markdownFiles()) {
      Matcher m = LINK.matcher(prose(file));
      while (m.find()) {
        String link = m.group(1);
        if (SCHEME.matcher(link).find()) {
          continue;
        }
        links++;
        String problem = problem(root, file, link);
        if (problem != null) {
          broken.add(root.relativize(file) + ": (" + link + ") " + problem);
        }
      }
    }
    assertThat(links).as("relative links found").isGreaterThan(20);
    assertThat(broken).as("broken relative links in README.md and docs/").isEmpty();
  }

  @Test
  void anchors_followGitHubsRules() {
    assertThat(anchors("## `tollgate prices`\n## Options of `report` (text, JSON and HTML)\n## The local wallet's buckets\n## A\n## A\n"))
        .containsExactlyInAnyOrder("tollgate-prices", "options-of-report-text-json-and-html", "the-local-wallets-buckets", "a", "a-1");
  }

  private static @Nullable String problem(Path root, Path file, String link) throws IOException {
    int hash = link.indexOf('#');
    String path = hash < 0 ? link : link.substring(0, hash);
    Path target = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
    if (!target.startsWith(root)) {
      return "points outside the repository";
    }
    if (!Files.exists(target)) {
      return "no such file";
    }
    if (hash >= 0 && target.toString().endsWith(".md")) {
      String anchor = link.substring(hash + 1);
      if (!anchors(prose(target)).contains(anchor)) {
        return "no heading #" + anchor + " in " + root.relativize(target);
      }
    }
    return null;
  }

  /** The file without fenced code blocks (a {@code #} line there is not a heading, a {@code ](x)} not a link). */
  private static String prose(Path file) throws IOException {
    return FENCE.matcher(Files.readString(file, StandardCharsets.UTF_8)).replaceAll("");
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes, repeats numbered. */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new HashSet<>();
    Map<String, Integer> seen = new HashMap<>();
    Matcher m = HEADING.matcher(markdown);
    while (m.find()) {
      String slug = CODE_SPAN.matcher(m.group(1)).replaceAll(s -> s.group().substring(1, s.group().length() - 1))
          .toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
      int n = seen.merge(slug, 1, Integer::sum);
      anchors.add(n == 1 ? slug : slug + "-" + (n - 1));
    }
    return anchors;
  }
}
