package dev.tollgate.agent.budget;

import dev.tollgate.agent.log.Log;

import dev.tollgate.api.BudgetStatus;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * Every budget's live state: a call reserves on each budget that matches it, all or nothing, and
 * settles on each. State is one slot per concrete scope and period in a {@link SpendTable} off the
 * heap, keyed by scope and period start, so a new period is a new key whose spend starts from what
 * the journal holds for it ({@link PeriodSpendSource}); nothing ever resets a budget. The heap holds
 * nothing per scope: a call's {@link Tally} handles live as long as the call. Slots of ended periods
 * are dropped by {@link #sweep} once no call holds them.
 */
public final class Budgets implements AutoCloseable {
  /** How long a shared budget's key outlives its period: settles of calls that straddled the end, and a look back. */
  private static final long KEEP_ENDED_MILLIS = java.util.concurrent.TimeUnit.DAYS.toMillis(8);

  private volatile BudgetIndex index;
  private volatile PeriodSpendSource source;
  private final ZoneId zone;
  private final Clock clock;
  private final BiConsumer<BudgetStatus, String> onThreshold;
  /** Every scope's state; made on the first budget configured (most JVMs have none). */
  private volatile @Nullable SpendTable table;
  private final @Nullable Path dir;
  /** The most slots a table made here grows to. */
  private final int maxSlots;
  private volatile @Nullable SharedBudgets shared;
  /** Each period's current bounds, recomputed only when the clock leaves them (zone arithmetic allocates). */
  private final AtomicReferenceArray<Instant[]> current = new AtomicReferenceArray<>(BudgetPeriod.values().length);

  /**
   * @param onThreshold told once per budget, period and alert threshold reached (the status, the threshold as configured)
   */
  public Budgets(List<BudgetSpec> specs, ZoneId zone, Clock clock, PeriodSpendSource source, BiConsumer<BudgetStatus, String> onThreshold) {
    this(specs, zone, clock, source, onThreshold, SpendTable.MAX_SLOTS);
  }

  /** The same, its table (when it makes one) growing to at most {@code maxSlots} slots: a test's way to fill it. */
  Budgets(List<BudgetSpec> specs, ZoneId zone, Clock clock, PeriodSpendSource source, BiConsumer<BudgetStatus, String> onThreshold,
      int maxSlots) {
    this.maxSlots = maxSlots;
    this.index = new BudgetIndex(specs);
    this.zone = zone;
    this.clock = clock;
    this.onThreshold = onThreshold;
    if (source instanceof JournalPeriodSpend) {
      // The journal's sums become the live state: the table already holds every scope's spend.
      this.table = ((JournalPeriodSpend) source).table;
      this.dir = ((JournalPeriodSpend) source).dir;
      this.source = PeriodSpendSource.NONE;
    } else {
      this.dir = SpendTable.defaultDir();
      this.source = source;
    }
  }

  /** A pass over the journal that sums each budget's current period for {@code specs}; feed it every record. */
  public static JournalPeriodSpend journalSpend(List<BudgetSpec> specs, ZoneId zone, Instant now) {
    return journalSpend(specs, zone, now, SpendTable.defaultDir());
  }

  /**
   * The same, with the sums (and so the live state of a {@link Budgets} made from them) in a file in
   * {@code dir} ({@code <data-dir>/budgets}); null keeps them in off-heap memory.
   */
  public static JournalPeriodSpend journalSpend(List<BudgetSpec> specs, ZoneId zone, Instant now, @Nullable Path dir) {
    return new JournalPeriodSpend(new BudgetIndex(specs), zone, now, dir);
  }

  private SpendTable table() {
    SpendTable t = table;
    if (t == null) {
      synchronized (this) {
        t = table;
        if (t == null) {
          t = new SpendTable(dir, maxSlots);
          table = t;
        }
      }
    }
    return t;
  }

  public boolean isEmpty() {
    return index.isEmpty();
  }

  public List<BudgetSpec> specs() {
    return index.specs;
  }

  /**
   * Keeps every budget in {@code store}, shared by the JVMs that use it ({@code tollgate.wallet=redis}):
   * each call that matches a budget reserves and settles there; while it cannot be reached, budgets
   * are enforced in this JVM and the spend is reported once it answers again.
   */
  public void share(SharedBudgets store) {
    this.shared = store;
  }

  /** Applies a new set of budgets (a changed budgets file); spend already counted is kept. */
  public void replace(List<BudgetSpec> specs, PeriodSpendSource spendBefore) {
    if (spendBefore instanceof JournalPeriodSpend) {
      // Scopes this JVM counts already keep their count (it includes the journal's); the others take the journal's.
      try (JournalPeriodSpend journal = (JournalPeriodSpend) spendBefore) {
        if (journal.size() > 0) {
          SpendTable live = table();
          journal.forEachScope((scope, period, start, spent) -> new Tally(live, scope.keySet().toArray(new String[0]),
              scope.values().toArray(new String[0]), period, start, null, null, (sc, p, s) -> spent).seed());
        }
      }
      source = PeriodSpendSource.NONE;
    } else {
      source = spendBefore;
    }
    index = new BudgetIndex(specs);
  }

  /**
   * Reserves {@code amountNanos} on every budget that matches {@code call}. When one refuses
   * ({@code mustFit} and the amount exceeds what it has left), what the others took is released
   * and the hold names the refusing budget.
   */
  public BudgetHold reserve(Dimensions call, long amountNanos, boolean mustFit) {
    BudgetIndex idx = index;
    if (idx.isEmpty()) {
      return BudgetHold.NONE;
    }
    List<BudgetIndex.Match> matches = idx.match(call);
    if (matches.isEmpty()) {
      return BudgetHold.NONE;
    }
    Instant now = clock.instant();
    SpendTable live = table();
    Tally[] held = new Tally[matches.size()];
    BudgetSpec[] specs = new BudgetSpec[held.length];
    for (int i = 0; i < held.length; i++) {
      held[i] = tally(live, matches.get(i), now);
      specs[i] = matches.get(i).spec;
    }
    SharedBudgets store = shared;
    if (store != null) {
      BudgetHold hold;
      try {
        hold = reserveShared(store, held, specs, amountNanos, mustFit);
      } catch (SpendTable.Full full) { // before anything was held (making the first slot)
        return unbudgeted(full);
      }
      if (hold != null) {
        return hold;
      }
    }
    BudgetSpec exceeded = null;
    for (int i = 0; i < held.length; i++) {
      Tally t = held[i];
      boolean fits;
      try {
        if (!mustFit && exceeded == null && t.remaining(specs[i].limitNanos) < amountNanos) {
          exceeded = specs[i]; // let through all the same: only a warning is owed
        }
        fits = t.reserve(amountNanos, specs[i].limitNanos, mustFit);
      } catch (SpendTable.Full full) { // the table has no room for this scope's slot
        for (int j = 0; j < i; j++) {
          held[j].release(amountNanos);
        }
        return unbudgeted(full);
      }
      if (!fits) {
        for (int j = 0; j < i; j++) {
          held[j].release(amountNanos);
        }
        return new BudgetHold(new Tally[0], new BudgetSpec[0], 0, t.status(specs[i].limitNanos), null);
      }
    }
    return new BudgetHold(held, specs, amountNanos, null, exceeded);
  }

  /** A call whose scope cannot get state (the table is full) goes ahead unbudgeted: the wallet still holds it. */
  private static BudgetHold unbudgeted(SpendTable.Full full) {
    Log.once("budget-table-full", Log.Level.ERROR, full.getMessage() + "; calls on new scopes are not held to their budgets", null);
    return BudgetHold.NONE;
  }

  /** The fleet-wide reservation; null when the store cannot be reached (then this JVM decides alone). */
  private @Nullable BudgetHold reserveShared(SharedBudgets store, Tally[] held, BudgetSpec[] specs, long amountNanos, boolean mustFit) {
    SharedBudgets.Call[] calls = calls(store, held, specs);
    SharedBudgets.Answer answer;
    try {
      answer = store.reserve(calls, amountNanos, mustFit);
    } catch (IOException e) {
      unreachable(held, calls, e);
      return null;
    }
    if (answer.refused < 0) {
      for (int i = 0; i < held.length; i++) {
        held[i].reserve(amountNanos, specs[i].limitNanos, false);
      }
    }
    BudgetSpec exceeded = sync(held, specs, answer);
    if (answer.refused >= 0) {
      return new BudgetHold(new Tally[0], new BudgetSpec[0], 0, held[answer.refused].status(specs[answer.refused].limitNanos), null);
    }
    return new BudgetHold(held, specs, amountNanos, null, mustFit ? null : exceeded).sharedHold();
  }

  private static SharedBudgets.Call[] calls(SharedBudgets store, Tally[] held, BudgetSpec[] specs) {
    SharedBudgets.Call[] calls = new SharedBudgets.Call[held.length];
    for (int i = 0; i < held.length; i++) {
      Tally t = held[i];
      calls[i] = new SharedBudgets.Call(t.sharedKey(store), specs[i].limitNanos, t.seed(), t.takeLate(),
          t.resetsAt == null ? 0 : t.resetsAt.toEpochMilli() + KEEP_ENDED_MILLIS);
    }
    return calls;
  }

  /** Takes the store's view into each tally; returns the first budget the spend went over, if any. */
  private static @Nullable BudgetSpec sync(Tally[] held, BudgetSpec[] specs, SharedBudgets.Answer answer) {
    BudgetSpec exceeded = null;
    for (int i = 0; i < held.length; i++) {
      held[i].sync(answer.spent[i], answer.held[i]);
      if (exceeded == null && answer.spent[i] + answer.held[i] > specs[i].limitNanos) {
        exceeded = specs[i];
      }
    }
    return exceeded;
  }

  /** The spend the round trip was to report waits for the next one. */
  private static void unreachable(Tally[] held, SharedBudgets.Call[] calls, IOException e) {
    for (int i = 0; i < held.length; i++) {
      held[i].addLate(calls[i].late);
    }
    Log.once("budgets-shared", Log.Level.WARN, "shared budgets could not be reached (" + e.getMessage()
        + "); each JVM enforces them on its own until they can, and reports its spend then", null);
  }

  /**
   * Replaces a hold's reservations with the call's real cost, charged to the periods it was
   * reserved in, and reports alert thresholds the spend reached.
   */
  public void settle(BudgetHold hold, long costNanos) {
    // Every budget is settled before any alert runs: an alert that fails leaves no budget unsettled.
    for (int i = 0; i < hold.tallies.length; i++) {
      hold.tallies[i].settle(hold.amountNanos, costNanos);
    }
    SharedBudgets store = shared;
    if (store != null && hold.tallies.length > 0) {
      settleShared(store, hold, costNanos);
    }
    for (int i = 0; i < hold.tallies.length; i++) {
      try {
        alert(hold.tallies[i], hold.specs[i]);
      } catch (RuntimeException e) {
        Log.once("budget-alert", Log.Level.ERROR, "a budget alert failed; budgets are still enforced", e);
      }
    }
  }

  /** Reports the cost fleet-wide; what cannot be reported now is reported by the next round trip that can. */
  private static void settleShared(SharedBudgets store, BudgetHold hold, long costNanos) {
    for (Tally t : hold.tallies) {
      t.addLate(costNanos);
    }
    // A hold taken in this JVM alone (the store was down) held nothing there: only its cost is owed.
    long held = hold.isShared() ? hold.amountNanos : 0;
    SharedBudgets.Call[] calls = calls(store, hold.tallies, hold.specs);
    try {
      sync(hold.tallies, hold.specs, store.settle(calls, held, 0));
    } catch (IOException e) {
      unreachable(hold.tallies, calls, e); // the store lets this JVM's hold lapse after its TTL
    }
  }

  private void alert(Tally t, BudgetSpec spec) {
    if (spec.alerts.isEmpty()) {
      return;
    }
    long fresh = t.newlyReached(spec.alertNanos);
    for (int i = 0; fresh != 0 && i < spec.alerts.size(); i++) {
      if ((fresh & (1L << i)) != 0) {
        onThreshold.accept(t.status(spec.limitNanos), spec.alerts.get(i));
      }
    }
  }

  private Tally tally(SpendTable live, BudgetIndex.Match m, Instant now) {
    BudgetPeriod period = m.spec.period;
    Instant[] bounds = bounds(period, now);
    // The slot is found (or made, its spend from the source) on the first use; thresholds reached
    // before this JVM counted the scope are not news.
    return new Tally(live, m.dimensions, m.values, period, bounds[0], bounds[1], m.spec.alertNanos, source);
  }

  /** {start, end} of the period holding {@code now}; end is null for a lifetime budget. */
  private Instant[] bounds(BudgetPeriod period, Instant now) {
    Instant[] b = current.get(period.ordinal());
    if (b == null || now.isBefore(b[0]) || (b[1] != null && !now.isBefore(b[1]))) {
      b = new Instant[] {period.start(now, zone), period.end(now, zone)};
      current.set(period.ordinal(), b);
    }
    return b;
  }

  /**
   * Every budget in its current period: each scope a call has reserved on, and each exact scope even
   * before any call has (at zero spend).
   */
  public List<BudgetStatus> statuses() {
    BudgetIndex idx = index;
    Instant now = clock.instant();
    List<BudgetStatus> result = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    SpendTable live = table;
    if (live != null) {
      live.forEach((period, startSecond, dimensions, values, spent, reserved, others) -> {
        Map<String, String> scope = scopeOf(dimensions, values);
        BudgetSpec spec = idx.specFor(scope, period);
        Instant start = Instant.ofEpochSecond(startSecond);
        if (spec != null && start.equals(period.start(now, zone)) && seen.add(key(dimensions, values, period, start))) {
          result.add(Tally.status(scope, period, spec.limitNanos, spent, reserved + others, period.end(now, zone)));
        }
      });
    }
    source.forEachScope((scope, period, start, spent) -> {
      BudgetSpec spec = idx.specFor(scope, period);
      if (spec != null && start.equals(period.start(now, zone)) && seen.add(key(scope, period, start))) {
        result.add(Tally.status(scope, period, spec.limitNanos, spent, 0, period.end(now, zone)));
      }
    });
    for (BudgetSpec spec : idx.specs) {
      if (!spec.scope.containsValue(BudgetSpec.WILDCARD)) {
        Instant start = spec.period.start(now, zone);
        if (!seen.contains(key(spec.scope, spec.period, start))) {
          long spent = source.spentNanos(spec.scope, spec.period, start);
          result.add(Tally.status(spec.scope, spec.period, spec.limitNanos, spent, 0, spec.period.end(now, zone)));
        }
      }
    }
    result.sort(java.util.Comparator.comparing((BudgetStatus st) -> st.scope().size()).thenComparing(st -> st.scope().toString())
        .thenComparing(BudgetStatus::period)); // the wallet's first
    return result;
  }

  /** Drops the state of ended periods that no call holds any more; returns how many scopes remain. */
  public int sweep() {
    SpendTable live = table;
    if (live == null) {
      return 0;
    }
    Instant now = clock.instant();
    BudgetPeriod[] periods = BudgetPeriod.values();
    return live.sweep(periodAndStart -> {
      BudgetPeriod period = periods[(int) (periodAndStart & 7)];
      Instant end = period.end(Instant.ofEpochSecond(periodAndStart >> 3), zone);
      return end != null && !end.isAfter(now);
    });
  }

  /** Scopes with live state. */
  public int size() {
    SpendTable live = table;
    return live == null ? 0 : live.size();
  }

  /** Bytes the scopes' state takes off the heap (a memory-mapped file in {@code <data-dir>/budgets}). */
  public long offHeapBytes() {
    SpendTable live = table;
    return live == null ? 0 : live.bytes();
  }

  /** Deletes the state's file (it is a cache of the journal); calls still finishing keep working. */
  @Override
  public void close() {
    SpendTable live = table;
    if (live != null) {
      live.close();
    }
  }

  static String key(String[] dimensions, String[] values, BudgetPeriod period, Instant start) {
    StringBuilder b = new StringBuilder(32).append(period.ordinal()).append('\0').append(start.getEpochSecond());
    for (int i = 0; i < dimensions.length; i++) {
      b.append('\0').append(dimensions[i]).append('\0').append(values[i]);
    }
    return b.toString();
  }

  static String key(Map<String, String> scope, BudgetPeriod period, Instant start) {
    return key(scope.keySet().toArray(new String[0]), scope.values().toArray(new String[0]), period, start);
  }

  static Map<String, String> scopeOf(String[] dimensions, String[] values) {
    if (dimensions.length == 1) {
      return Collections.singletonMap(dimensions[0], values[0]);
    }
    Map<String, String> scope = new LinkedHashMap<>();
    for (int i = 0; i < dimensions.length; i++) {
      scope.put(dimensions[i], values[i]);
    }
    return scope;
  }
}
