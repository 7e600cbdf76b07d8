package dev.tollgate.agent.reconcile;

import dev.tollgate.agent.bootstrap.AppThreads;
import dev.tollgate.agent.journal.Reconciliation;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.wallet.BalanceSnapshot;
import dev.tollgate.agent.wallet.CreditSource;
import dev.tollgate.api.ReconciliationDrift;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Compares, window by window, what the remote credit source says was spent with what this JVM
 * metered, records the result in the journal, and moves the enforced balance to the source's.
 *
 * <p>Each run reads the source once. The window runs from the previous good read to this one;
 * {@code remote} is {@link CreditSource#spentBetween} of the two snapshots and {@code local} is the
 * difference of their spend watermarks (the wallet's spend total taken just before each read). The
 * first read is only the baseline. The snapshot read is then handed to the balance cache, so the
 * wallet enforces {@code available = balance just read − spend settled since that read − open
 * reservations}: whatever the journal missed is in that balance, never subtracted twice.
 *
 * <p>A source that cannot be read skips the run with no record; the failure goes to the balance
 * cache, whose health logs one line per outage for the wallet and the reconciler together (the same
 * source failing once is one fault, not two). A window whose spend cannot be computed (a ledger read
 * failing after a good balance read) logs one line per streak. The next good read closes one longer
 * window, so nothing is lost. A window in which
 * neither side spent anything is not recorded.
 */
public final class Reconciler {
  /** Where reconciliations are written: the journal. */
  public interface Recorder {
    void append(Reconciliation r) throws IOException;
  }

  private final CreditSource source;
  private final Consumer<BalanceSnapshot> correct;
  private final Consumer<IOException> unreadable;
  private final Recorder recorder;
  private final DriftThreshold threshold;
  private final Consumer<ReconciliationDrift> onDrift;
  private final Clock clock;
  private final Consumer<String> warn;
  private @Nullable BalanceSnapshot previous;
  private boolean failing;

  /**
   * @param correct takes each snapshot read, to enforce it (the balance cache's {@code offer})
   * @param unreadable told of each failed read of the source (the balance cache's {@code unreadable})
   * @param onDrift told of every window whose drift goes beyond {@code threshold}
   */
  public Reconciler(CreditSource source, Consumer<BalanceSnapshot> correct, Consumer<IOException> unreadable, Recorder recorder,
      DriftThreshold threshold, Consumer<ReconciliationDrift> onDrift, Clock clock) {
    this(source, correct, unreadable, recorder, threshold, onDrift, clock, Log::warn);
  }

  Reconciler(CreditSource source, Consumer<BalanceSnapshot> correct, Consumer<IOException> unreadable, Recorder recorder,
      DriftThreshold threshold, Consumer<ReconciliationDrift> onDrift, Clock clock, Consumer<String> warn) {
    this.warn = warn;
    this.source = source;
    this.correct = correct;
    this.unreadable = unreadable;
    this.recorder = recorder;
    this.threshold = threshold;
    this.onDrift = onDrift;
    this.clock = clock;
  }

  /** Runs now and then every {@code interval} on {@code executor}; a failed run never stops the schedule. */
  public void start(ScheduledExecutorService executor, Duration interval) {
    executor.scheduleWithFixedDelay(this::runQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void runQuietly() {
    try {
      reconcile();
    } catch (RuntimeException | LinkageError e) {
      Log.once("reconcile-failure", Log.Level.ERROR, "reconciliation failed inside Tollgate; it is retried every interval", e);
    }
  }

  /**
   * Reconciles the window since the last good read. @return what was recorded, or null when nothing
   * was (the baseline read, a source that cannot be read, a window without spend)
   */
  public synchronized @Nullable Reconciliation reconcile() {
    BalanceSnapshot now = read();
    if (now == null) {
      return null;
    }
    correct.accept(now);
    BalanceSnapshot from = previous;
    if (from == null) {
      previous = now;
      return null;
    }
    long remote;
    try {
      remote = source.spentBetween(from, now);
    } catch (IOException | RuntimeException e) {
      skipped(e);
      return null; // the window stays open from the last good read
    }
    failing = false;
    previous = now;
    return record(from, now, remote, now.spentWatermarkNanos - from.spentWatermarkNanos);
  }

  private @Nullable BalanceSnapshot read() {
    try {
      return AppThreads.uninterrupted(source::fetch); // Tollgate.reconcile() runs it on the application's thread
    } catch (IOException e) {
      unreadable.accept(e);
      return null;
    } catch (RuntimeException e) {
      unreadable.accept(new IOException(source.name() + ": " + e, e));
      return null;
    }
  }

  private void skipped(Exception e) {
    if (!failing) {
      failing = true;
      warn.accept("reconciliation with " + source.name() + " skipped: " + e.getMessage() + "; the next good read covers the gap");
    }
  }

  private @Nullable Reconciliation record(BalanceSnapshot from, BalanceSnapshot to, long remote, long local) {
    if (remote == 0 && local == 0) {
      return null;
    }
    Instant end = at(to);
    Reconciliation r = new Reconciliation("reconcile-" + Long.toHexString(end.toEpochMilli()), clock.instant(), source.name(),
        at(from), end, Money.fromNanos(remote), Money.fromNanos(local));
    try {
      recorder.append(r);
    } catch (IOException | RuntimeException e) {
      Log.once("reconcile-append", Log.Level.ERROR, "could not append a reconciliation to the journal", e);
    }
    if (threshold.exceeded(remote, remote - local)) {
      warn.accept(driftMessage(r));
      onDrift.accept(new ReconciliationDrift(r.source, r.windowStart, r.windowEnd, r.remote, r.local));
    }
    return r;
  }

  private Instant at(BalanceSnapshot s) {
    return s.fetchedAt != null ? s.fetchedAt : clock.instant();
  }

  String driftMessage(Reconciliation r) {
    boolean remoteMore = r.drift.signum() > 0;
    String causes = remoteMore
        ? "unmetered traffic (a client or endpoint Tollgate does not hook) or another process spending on the same key"
        : "a price catalog out of date (set tollgate.pricing-file) or calls the provider did not bill"
            + (source.balanceOnly() ? ", or credits added to the account during the window" : "");
    return "reconciliation with " + r.source + " from " + r.windowStart + " to " + r.windowEnd + ": the source "
        + (remoteMore ? "billed more" : "billed less") + " than Tollgate metered (remote " + r.remote.toPlainString()
        + ", local " + r.local.toPlainString() + ", drift " + r.drift.toPlainString() + " credits, beyond tollgate.drift-threshold="
        + threshold + "); likely " + causes + ". The balance now follows the source";
  }
}
