package dev.tollgate.agent.config;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Raw configuration lookup in the contract's order: system property {@code tollgate.x-y}, then
 * agent argument, then environment variable {@code TOLLGATE_X_Y}, then the properties file, then
 * the default. Keys are always written in their {@code tollgate.} form.
 */
public final class ConfigSource {
  static final String PREFIX = "tollgate.";
  /** Key families with a name in the middle: {@code tollgate.<family>.<name>.<attribute>}. */
  private static final String[] NAMED_FAMILIES = {"endpoint", "instrumentation"};
  /** Credit sources' families: {@code tollgate.<source>.<attribute>}, the attribute possibly dashed. */
  private static final String[] SOURCE_FAMILIES = {"openrouter", "swarms", "synap", "http", "redis"};
  /** Families whose keys are dotted all the way ({@code tollgate.metrics.prometheus.port}): every {@code _} is a dot. */
  private static final String[] DOTTED_FAMILIES = {"metrics", "alert"};

  private final Map<String, String> systemProperties;
  private final Map<String, String> agentArgs;
  private final Map<String, String> environment;
  private final Map<String, String> file;
  /** Every key and prefix a setting asked for: what is left over in the sources is unknown. */
  private final Set<String> asked = ConcurrentHashMap.newKeySet();
  private final Set<String> askedPrefixes = ConcurrentHashMap.newKeySet();

  private ConfigSource(
      Map<String, String> systemProperties,
      Map<String, String> agentArgs,
      Map<String, String> environment,
      Map<String, String> file) {
    this.systemProperties = systemProperties;
    this.agentArgs = agentArgs;
    this.environment = environment;
    this.file = file;
  }

  /** Reads the live JVM: system properties, the agent argument string and the environment. */
  public static ConfigSource fromJvm(/* @Nullable */ String agentArgs) {
    Map<String, String> props = new TreeMap<>();
    System.getProperties().forEach((k, v) -> {
      if (k instanceof String && ((String) k).startsWith(PREFIX) && v instanceof String) {
        props.put((String) k, (String) v);
      }
    });
    return of(props, parseAgentArgs(agentArgs), System.getenv());
  }

  /** Builds a source from explicit maps; the properties file named by the others is read. */
  public static ConfigSource of(
      Map<String, String> systemProperties, Map<String, String> agentArgs, Map<String, String> env) {
    ConfigSource noFile = new ConfigSource(systemProperties, agentArgs, envToKeys(env), Map.of());
    String file = noFile.get("tollgate.config-file");
    ConfigSource source = file == null ? noFile : new ConfigSource(systemProperties, agentArgs, noFile.environment, readFile(file));
    source.asked.add(PREFIX + "config-file");
    return source;
  }

  /** The value for {@code key} from the first source that has it, trimmed; {@code null} if none. */
  public /* @Nullable */ String get(String key) {
    asked.add(key);
    Map<String, String> source = sourceOf(key);
    return source == null ? null : source.get(key).trim();
  }

  /**
   * Where {@link #get} finds {@code key}: {@code system property}, {@code agent argument}, {@code
   * environment} or {@code config file}; {@code default} when no source has it.
   */
  public String origin(String key) {
    Map<String, String> source = sourceOf(key);
    return source == null ? "default" : source == systemProperties ? "system property" : source == agentArgs ? "agent argument"
        : source == environment ? "environment" : "config file";
  }

  private /* @Nullable */ Map<String, String> sourceOf(String key) {
    for (Map<String, String> source : new Map[] {systemProperties, agentArgs, environment, file}) {
      if (source.get(key) != null) {
        return source;
      }
    }
    return null;
  }

  /** Every key under {@code prefix} from any source (for example all {@code tollgate.endpoint.}). */
  public Map<String, String> withPrefix(String prefix) {
    askedPrefixes.add(prefix);
    Map<String, String> result = new TreeMap<>();
    for (Map<String, String> source : new Map[] {file, environment, agentArgs, systemProperties}) {
      source.forEach((k, v) -> {
        if (k.startsWith(prefix)) {
          result.put(k, v.trim());
        }
      });
    }
    return result;
  }

  /**
   * The keys set in some source that no setting has asked for so far, in order, each with where it
   * was set: after {@link TollgateConfig#load}, these are misspelt or unknown. Credit-source keys of a
   * source other than the selected one are known, only unused; {@code tollgate.internal.*} are tests'.
   */
  public Map<String, String> unknownKeys() {
    Map<String, String> unknown = new TreeMap<>();
    String[] origins = {"system property", "agent argument", "environment", "config file"};
    Map<String, String>[] sources = new Map[] {systemProperties, agentArgs, environment, file};
    for (int i = sources.length - 1; i >= 0; i--) {
      for (String key : sources[i].keySet()) {
        if (!isKnown(key)) {
          unknown.put(key, origins[i]);
        }
      }
    }
    return unknown;
  }

  private boolean isKnown(String key) {
    if (asked.contains(key) || key.startsWith(PREFIX + "internal.")) {
      return true;
    }
    for (String prefix : askedPrefixes) {
      if (key.startsWith(prefix)) {
        return true;
      }
    }
    for (String source : SOURCE_FAMILIES) {
      if (key.startsWith(PREFIX + source + ".")) {
        return true;
      }
    }
    return false;
  }

  /**
   * Every key {@link #get} and every prefix {@link #withPrefix} was asked for so far: after {@link
   * TollgateConfig#load}, what the settings read ({@code ConfigurationDocTest} checks the docs list them).
   */
  Set<String> askedKeys() {
    Set<String> all = new TreeSet<>(asked);
    all.addAll(askedPrefixes);
    return all;
  }

  /** The key asked for that {@code unknown} most likely misspells, or null when none is close. */
  public /* @Nullable */ String closestKnown(String unknown) {
    String best = null;
    int bestDistance = 4; // four edits or more is a different word, not a typo
    for (String key : new TreeSet<>(asked)) {
      int d = editDistance(unknown, key);
      if (d < bestDistance) {
        best = key;
        bestDistance = d;
      }
    }
    return best;
  }

  /** Levenshtein distance: insertions, deletions and substitutions. */
  static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitute = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(substitute, Math.min(prev[j], cur[j - 1]) + 1);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  static Map<String, String> parseAgentArgs(/* @Nullable */ String args) {
    Map<String, String> result = new LinkedHashMap<>();
    if (args == null || args.isBlank()) {
      return result;
    }
    for (String pair : args.split(",")) {
      int eq = pair.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("invalid agent argument '" + pair + "': expected key=value[,key=value...]");
      }
      result.put(prefixed(pair.substring(0, eq).trim()), pair.substring(eq + 1).trim());
    }
    return result;
  }

  private static String prefixed(String key) {
    return key.startsWith(PREFIX) ? key : PREFIX + key;
  }

  /**
   * {@code TOLLGATE_BALANCE_REFRESH} becomes {@code tollgate.balance-refresh}; for endpoint variables
   * {@code TOLLGATE_ENDPOINT_<NAME>_URL} becomes {@code tollgate.endpoint.<name>.url}, and
   * {@code TOLLGATE_INSTRUMENTATION_<NAME>_ENABLED} becomes {@code tollgate.instrumentation.<name>.enabled};
   * for credit sources {@code TOLLGATE_OPENROUTER_KEY} becomes {@code tollgate.openrouter.key} and
   * {@code TOLLGATE_HTTP_BALANCE_POINTER} becomes {@code tollgate.http.balance-pointer};
   * {@code TOLLGATE_METRICS_PROMETHEUS_PORT} becomes {@code tollgate.metrics.prometheus.port} and
   * {@code TOLLGATE_ALERT_WEBHOOK} {@code tollgate.alert.webhook} (every {@code _} a dot);
   * {@code TOLLGATE_ATTRIBUTE_USER_ID} becomes {@code tollgate.attribute.user_id}.
   */
  static Map<String, String> envToKeys(Map<String, String> env) {
    Map<String, String> result = new TreeMap<>();
    env.forEach((k, v) -> {
      if (!k.startsWith("TOLLGATE_")) {
        return;
      }
      String rest = k.substring("TOLLGATE_".length()).toLowerCase(Locale.ROOT);
      for (String family : NAMED_FAMILIES) {
        if (rest.startsWith(family + "_")) {
          int last = rest.lastIndexOf('_');
          if (last > family.length() + 1) {
            String name = rest.substring(family.length() + 1, last).replace('_', '-');
            result.put(PREFIX + family + "." + name + "." + rest.substring(last + 1), v);
          }
          return;
        }
      }
      for (String family : DOTTED_FAMILIES) {
        if (rest.startsWith(family + "_")) {
          result.put(PREFIX + rest.replace('_', '.'), v);
          return;
        }
      }
      if (rest.startsWith("attribute_")) { // the attribute's name as written: user_id stays user_id
        result.put(PREFIX + "attribute." + rest.substring("attribute_".length()), v);
        return;
      }
      for (String source : SOURCE_FAMILIES) {
        if (rest.startsWith(source + "_")) {
          result.put(PREFIX + source + "." + rest.substring(source.length() + 1).replace('_', '-'), v);
          return;
        }
      }
      result.put(PREFIX + rest.replace('_', '-'), v);
    });
    return result;
  }

  private static Map<String, String> readFile(String file) {
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(Path.of(file))) {
      p.load(r);
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("tollgate.config-file", file, "a readable properties file (" + e.getClass().getSimpleName() + ")");
    }
    Map<String, String> result = new TreeMap<>();
    p.forEach((k, v) -> result.put(prefixed(k.toString().trim()), v.toString()));
    return result;
  }
}
