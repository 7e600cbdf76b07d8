package dev.tollgate.agent.endpoint;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.docs.RepositoryDocs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The built-in providers table of {@code docs/clients-and-providers.md} is the {@link EndpointCatalog}:
 * one row per built-in provider, naming each of its endpoint prefixes, and no row for a provider the
 * catalog does not have.
 */
class ProvidersDocTest {
  /** A row of the providers table: {@code | `openai` | `https://…` | openai | …}. */
  private static final Pattern ROW = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\| `https?://.*$");

  @Test
  void everyBuiltInEndpoint_isInItsProvidersRow_andEveryRowIsABuiltInProvider() throws IOException {
    Map<String, String> rows = new LinkedHashMap<>();
    Matcher m = ROW.matcher(RepositoryDocs.read("docs/clients-and-providers.md"));
    while (m.find()) {
      rows.put(m.group(1), m.group());
    }
    List<String> undocumented = new ArrayList<>();
    List<String> providers = new ArrayList<>();
    for (Endpoint e : EndpointCatalog.builtIn().endpoints()) {
      providers.add(e.provider());
      String row = rows.get(e.provider());
      if (row == null || !row.contains("`" + e.prefix() + "`")) {
        undocumented.add(e.provider() + " " + e.prefix());
      }
    }
    assertThat(undocumented).as("built-in endpoints missing from docs/clients-and-providers.md").isEmpty();
    assertThat(providers).as("built-in providers").containsAll(rows.keySet());
  }
}
