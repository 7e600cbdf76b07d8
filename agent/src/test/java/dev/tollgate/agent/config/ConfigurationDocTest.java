package dev.tollgate.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.docs.RepositoryDocs;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code docs/configuration.md} lists exactly the keys the agent reads: every key (and key family)
 * {@link TollgateConfig#load} asks its {@link ConfigSource} for, under every wallet, has a row, every
 * row names a key the agent reads, and a key that takes one of a fixed set of values lists them all.
 */
class ConfigurationDocTest {
  /** A table row's first cell: {@code | `tollgate.x-y` | …}. */
  private static final Pattern ROW = Pattern.compile("(?m)^\\| `(tollgate\\.[^`]+)` \\|.*$");
  /** The allowed values in a {@link ConfigException}'s message, when it lists them. */
  private static final Pattern ONE_OF = Pattern.compile("one of ([a-z0-9-]+(?:, [a-z0-9-]+)*)$");

  /** Settings that make {@link TollgateConfig#load} read every wallet's and every feature's keys. */
  private static final List<Map<String, String>> VARIANTS = List.of(
      Map.of(),
      Map.of("tollgate.wallet", "openrouter", "tollgate.openrouter.key", "k"),
      Map.of("tollgate.wallet", "swarms", "tollgate.swarms.key", "k"),
      Map.of("tollgate.wallet", "synap", "tollgate.synap.url", "https://synap.example", "tollgate.synap.key", "k"),
      Map.of("tollgate.wallet", "http", "tollgate.http.url", "https://credits.example/balance"),
      Map.of("tollgate.wallet", "redis"),
      Map.of("tollgate.alert.webhook", "https://hooks.example/x"));

  private static Map<String, String> rows;
  private static Set<String> read;

  @BeforeAll
  static void load() throws IOException {
    rows = new LinkedHashMap<>();
    Matcher m = ROW.matcher(RepositoryDocs.read("docs/configuration.md"));
    while (m.find()) {
      rows.put(m.group(1), m.group());
    }
    read = new TreeSet<>();
    for (Map<String, String> settings : VARIANTS) {
      ConfigSource s = ConfigSource.of(settings, Map.of(), Map.of());
      TollgateConfig.load(s);
      read.addAll(s.askedKeys());
    }
    read.removeIf(k -> k.startsWith("tollgate.internal."));
  }

  @Test
  void everyKeyTheAgentReads_hasARow() {
    List<String> missing = new ArrayList<>();
    for (String key : read) {
      boolean family = key.endsWith(".");
      if (family ? rows.keySet().stream().noneMatch(r -> r.startsWith(key)) : !rows.containsKey(key)) {
        missing.add(family ? key + "*" : key);
      }
    }
    assertThat(missing).as("keys the agent reads that docs/configuration.md has no row for").isEmpty();
  }

  @Test
  void everyRow_namesAKeyTheAgentReads() {
    List<String> invented = new ArrayList<>();
    for (String key : rows.keySet()) {
      if (!read.contains(key) && read.stream().noneMatch(k -> k.endsWith(".") && key.startsWith(k))) {
        invented.add(key);
      }
    }
    assertThat(rows).as("rows of docs/configuration.md").isNotEmpty();
    assertThat(invented).as("rows of docs/configuration.md naming a key the agent does not read").isEmpty();
  }

  @Test
  void everyAllowedValue_ofAKeyWithFixedValues_isInItsRow() {
    List<String> undocumented = new ArrayList<>();
    int checked = 0;
    for (Map.Entry<String, String> row : rows.entrySet()) {
      List<String> allowed = allowedValues(row.getKey().replace("<name>", "x"));
      checked += allowed.isEmpty() ? 0 : 1;
      for (String value : allowed) {
        if (!row.getValue().contains("`" + value + "`")) {
          undocumented.add(row.getKey() + ": " + value);
        }
      }
    }
    assertThat(checked).as("keys with a fixed set of values").isGreaterThanOrEqualTo(9);
    assertThat(undocumented).as("allowed values missing from their row in docs/configuration.md").isEmpty();
  }

  /** What {@code key} allows, as the error for a value it refuses lists it; empty when it lists none. */
  private static List<String> allowedValues(String key) {
    Map<String, String> settings = new HashMap<>();
    settings.put(key, "no-such-value");
    if (key.startsWith("tollgate.endpoint.")) {
      settings.put("tollgate.endpoint.x.url", "https://llm.example/v1");
    }
    try {
      TollgateConfig.load(ConfigSource.of(settings, Map.of(), Map.of()));
    } catch (ConfigException e) {
      Matcher m = ONE_OF.matcher(e.getMessage());
      if (key.equals(e.key()) && m.find()) {
        return List.of(m.group(1).split(", "));
      }
    }
    return List.of();
  }
}
