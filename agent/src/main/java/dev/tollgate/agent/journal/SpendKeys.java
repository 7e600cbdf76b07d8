package dev.tollgate.agent.journal;

import dev.tollgate.api.UsageRecord;
import java.util.function.Consumer;

/**
 * Which keyed spend sums recovery keeps besides the wallet's: each record's cost is added to every
 * key this names for it (for a scoped budget, for example {@code "tenant=acme|day|2026-12-07"}).
 * The sums are saved in the checkpoint, so a start finds them without reading history.
 *
 * <p>The seam for period budgets: give recovery the budgets' keys, read {@link Tally#sums()} at
 * start. A checkpoint made with other keys ({@link #id()} differs) is not reused: recovery reads
 * the whole journal once and saves a checkpoint with the new keys.
 */
public interface SpendKeys {
  /** No keyed sums: the wallet's spend only. */
  SpendKeys NONE = new SpendKeys() {
    @Override
    public String id() {
      return "";
    }

    @Override
    public void keys(UsageRecord record, Consumer<String> key) {}
  };

  /** Names these keys: the same id must mean the same keys for the same record. */
  String id();

  /** Passes each key {@code record}'s cost counts toward to {@code key}. */
  void keys(UsageRecord record, Consumer<String> key);
}
