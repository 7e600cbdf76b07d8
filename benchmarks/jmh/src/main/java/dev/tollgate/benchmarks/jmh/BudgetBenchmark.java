package dev.tollgate.benchmarks.jmh;

import dev.tollgate.agent.budget.BudgetHold;
import dev.tollgate.agent.budget.BudgetSpec;
import dev.tollgate.agent.budget.Budgets;
import dev.tollgate.agent.budget.Dimensions;
import dev.tollgate.agent.budget.PeriodSpendSource;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One call's budget work: reserve on every matching budget and settle, with a wallet budget per
 * day, a {@code tenant.*} budget per day and a {@code model} budget, across {@code tenants}
 * tenants visited round-robin (every tenant has live state). Per-call cost must not grow with the
 * number of tenants. Run {@link #main} for the memory the tenants' state holds.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BudgetBenchmark {
  @Param({"8", "100000"})
  public int tenants;

  private Budgets budgets;
  private Dimensions[] calls;
  private int next;

  @Setup
  public void setUp() {
    budgets = budgets();
    calls = calls(tenants);
    for (Dimensions d : calls) {
      budgets.settle(budgets.reserve(d, 1000, true), 1000); // every tenant has state before measuring
    }
  }

  @Benchmark
  public BudgetHold reserveAndSettle() {
    Dimensions d = calls[next++ % calls.length];
    BudgetHold h = budgets.reserve(d, 1000, true);
    budgets.settle(h, 900);
    return h;
  }

  static Budgets budgets() {
    List<BudgetSpec> specs = List.of(BudgetSpec.of(Map.of(), "1000000/day", List.of("80%", "100%"), "bench"),
        BudgetSpec.of(Map.of("tenant", "*"), "1000/day", List.of("80%", "100%"), "bench"),
        BudgetSpec.of(Map.of("model", "gpt-4o-mini"), "1000000/month", List.of("80%", "100%"), "bench"));
    return new Budgets(specs, ZoneOffset.UTC, Clock.systemUTC(), PeriodSpendSource.NONE, (s, t) -> {});
  }

  static Dimensions[] calls(int tenants) {
    Dimensions[] calls = new Dimensions[tenants];
    for (int i = 0; i < tenants; i++) {
      calls[i] = new Dimensions(Map.of("tenant", "tenant-" + i), "gpt-4o-mini", "openai", "chat");
    }
    return calls;
  }

  /**
   * Heap retained by the budgets' state for each N tenants given (default 100,000 and 1,000,000),
   * after a full GC, and the bytes of its off-heap table. The tenants' names are made one by one and
   * dropped (an application's tenants are not the agent's memory); the budgets stay reachable.
   */
  public static void main(String[] args) throws Exception {
    int[] sizes = args.length == 0 ? new int[] {100_000, 1_000_000} : java.util.Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
    dev.tollgate.agent.log.Log.setLevel(dev.tollgate.agent.log.Log.Level.DEBUG); // each doubling of the table, timed
    for (int n : sizes) {
      try (Budgets budgets = budgets()) {
        budgets.settle(budgets.reserve(calls(1)[0], 1000, true), 900); // the table exists before the baseline
        long before = usedAfterGc();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
          Dimensions d = new Dimensions(Map.of("tenant", "tenant-" + i), "gpt-4o-mini", "openai", "chat");
          budgets.settle(budgets.reserve(d, 1000, true), 900);
        }
        long fill = System.nanoTime() - t0;
        long after = usedAfterGc();
        System.out.printf("%,d tenants: %,d scopes with state, %.2f MB heap retained (%d bytes per tenant), %.1f MB off-heap table%n", n,
            budgets.size(), (after - before) / 1e6, (after - before) / n, budgets.offHeapBytes() / 1e6);
        // A new tenant's first call makes its slot; once in a while it doubles the table (the debug lines say how long calls waited).
        System.out.printf("  first calls of the new tenants: %.1f us each on average, doublings included%n", fill / 1e3 / n);
        long listed = budgets.statuses().size(); // every scope is still listed (and the budgets reachable until here)
        System.out.printf("  %,d statuses listed%n", listed);
      }
    }
  }

  private static long usedAfterGc() throws InterruptedException {
    Runtime rt = Runtime.getRuntime();
    for (int i = 0; i < 3; i++) {
      System.gc();
      Thread.sleep(100);
    }
    return rt.totalMemory() - rt.freeMemory();
  }
}
