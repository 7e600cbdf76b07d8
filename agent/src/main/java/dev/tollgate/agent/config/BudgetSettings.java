package dev.tollgate.agent.config;

import dev.tollgate.agent.budget.BudgetSpec;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * {@code tollgate.budget=LIMIT/PERIOD}, {@code tollgate.budget.<dimension>.<value>=LIMIT[/PERIOD]}
 * ({@code *} for each value), {@code tollgate.budgets-file}, {@code tollgate.budget-timezone} and
 * {@code tollgate.budget-alerts}. A {@code tollgate.budget} without a period stays the wallet's
 * lifetime budget ({@link TollgateConfig#budget}); with one it is a budget of the whole wallet here.
 */
public final class BudgetSettings {
  private static final String PREFIX = "tollgate.budget.";

  /** Budgets configured by keys, in key order. */
  public final List<BudgetSpec> keyed;
  public final @Nullable Path file;
  public final ZoneId zone;
  /** {@code tollgate.budget-alerts}: the thresholds of budgets that name none. */
  public final List<String> alerts;

  private BudgetSettings(List<BudgetSpec> keyed, @Nullable Path file, ZoneId zone, List<String> alerts) {
    this.keyed = List.copyOf(keyed);
    this.file = file;
    this.zone = zone;
    this.alerts = alerts;
  }

  /** Whether {@code tollgate.budget} names a period, which makes it a period budget rather than the lifetime wallet budget. */
  static boolean walletHasPeriod(ConfigSource s) {
    String v = s.get("tollgate.budget");
    return v != null && v.indexOf('/') >= 0;
  }

  /** Whether any budget is configured at all. */
  public boolean isEmpty() {
    return keyed.isEmpty() && file == null;
  }

  static BudgetSettings of(ConfigSource s) {
    List<String> alerts = alerts(s);
    List<BudgetSpec> keyed = new ArrayList<>();
    if (walletHasPeriod(s)) {
      keyed.add(spec(Map.of(), "tollgate.budget", Objects.requireNonNull(s.get("tollgate.budget")), alerts));
    }
    for (Map.Entry<String, String> e : s.withPrefix(PREFIX).entrySet()) {
      String rest = e.getKey().substring(PREFIX.length());
      int dot = rest.indexOf('.');
      String dimension = dot < 0 ? rest : rest.substring(0, dot);
      if (dot <= 0 || dot == rest.length() - 1 || !dimension.matches("[a-z0-9_-]{1,32}")) {
        throw new ConfigException(e.getKey(), e.getValue(),
            "budget keys are tollgate.budget.<dimension>.<value> (or .*), with <dimension> an attribute name [a-z0-9_-]{1,32}, model or provider");
      }
      keyed.add(spec(Map.of(dimension, rest.substring(dot + 1)), e.getKey(), e.getValue(), alerts));
    }
    String file = s.get("tollgate.budgets-file");
    Path path = file == null || file.trim().isEmpty() ? null : Path.of(file.trim()).toAbsolutePath();
    return new BudgetSettings(keyed, path, zone(s), alerts);
  }

  private static BudgetSpec spec(Map<String, String> scope, String key, String value, List<String> alerts) {
    try {
      return BudgetSpec.of(scope, value, alerts, key);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key, value, e.getMessage());
    }
  }

  private static List<String> alerts(ConfigSource s) {
    String v = s.get("tollgate.budget-alerts");
    String text = v == null || v.isEmpty() ? "80%,100%" : v;
    try {
      return BudgetSpec.alerts(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException("tollgate.budget-alerts", text, "comma-separated thresholds, each " + e.getMessage());
    }
  }

  private static ZoneId zone(ConfigSource s) {
    String v = s.get("tollgate.budget-timezone");
    String text = v == null || v.isEmpty() ? "UTC" : v.trim();
    try {
      return ZoneId.of(text);
    } catch (DateTimeException e) {
      throw new ConfigException("tollgate.budget-timezone", text, "a time zone ID such as UTC, Europe/Berlin or America/New_York");
    }
  }
}
