package dev.tollgate.agent.budget;

import dev.tollgate.agent.log.Log;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * Re-reads {@code tollgate.budgets-file} when its modification time or size changes (polled in the
 * background, never on a call's path). A valid new version replaces the file's budgets; an invalid
 * one keeps the last valid version and logs one line naming the file, the line and the field.
 */
public final class BudgetsFileWatcher {
  private final Path file;
  private final List<BudgetSpec> keyed;
  private final List<String> defaultAlerts;
  private final Budgets budgets;
  private final Function<List<BudgetSpec>, PeriodSpendSource> spendBefore;
  private @Nullable Object seen;

  /**
   * @param keyed the budgets configured by keys, which the file's join
   * @param spendBefore the spend each scope of a new set of budgets had before (a pass over the journal)
   */
  public BudgetsFileWatcher(Path file, List<BudgetSpec> keyed, List<String> defaultAlerts, Budgets budgets,
      Function<List<BudgetSpec>, PeriodSpendSource> spendBefore) {
    this.file = file;
    this.keyed = keyed;
    this.defaultAlerts = defaultAlerts;
    this.budgets = budgets;
    this.spendBefore = spendBefore;
    this.seen = stamp(file);
  }

  /**
   * The keyed budgets and the file's. A budget key ({@code tollgate.budget.<dimension>.<value>}, {@code
   * tollgate.budget=LIMIT/PERIOD}) takes precedence over the file's budget of the same scope and period,
   * as settings of this JVM override files; each file budget so left out is told to {@code overridden}.
   *
   * @throws BudgetsFile.Invalid when the file cannot be used
   */
  public static List<BudgetSpec> all(List<BudgetSpec> keyed, @Nullable Path file, List<String> defaultAlerts,
      Consumer<String> overridden) throws BudgetsFile.Invalid {
    List<BudgetSpec> all = new ArrayList<>(keyed);
    if (file != null) {
      Map<String, BudgetSpec> byKey = new HashMap<>();
      keyed.forEach(k -> byKey.putIfAbsent(k.scopeAndPeriod(), k));
      for (BudgetSpec s : BudgetsFile.read(file, defaultAlerts)) {
        BudgetSpec key = byKey.get(s.scopeAndPeriod());
        if (key == null) {
          all.add(s);
        } else {
          overridden.accept("budget " + s + " is not in force: " + key.origin + " budgets the same scope and period (" + key.describe()
              + "), and a budget key takes precedence over the budgets file");
        }
      }
    }
    return all;
  }

  /** Checks the file once; applies a changed valid version. Runs on the agent's background thread. */
  public void poll() {
    Object now = stamp(file);
    if (Objects.equals(now, seen)) {
      return;
    }
    seen = now;
    try {
      List<BudgetSpec> specs = all(keyed, file, defaultAlerts, Log::warn);
      budgets.replace(specs, spendBefore.apply(specs));
      Log.info("budgets file " + file + " re-read: " + (specs.size() - keyed.size()) + " budget(s)");
    } catch (BudgetsFile.Invalid e) {
      Log.warn(e.getMessage() + "; the last valid version stays in force");
    } catch (RuntimeException e) {
      Log.warn("budgets file " + file + " could not be applied (" + e + "); the last valid version stays in force");
    }
  }

  private static @Nullable Object stamp(Path file) {
    try {
      FileTime modified = Files.getLastModifiedTime(file);
      return modified.toMillis() + ":" + Files.size(file);
    } catch (IOException e) {
      return null;
    }
  }
}
