package dev.tollgate.agent.wallet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * The embedded default: {@code tollgate.budget} credits plus the grants in the data dir
 * ({@code tollgate grant}), each a bucket. Spend is the journal (replayed at start-up, in time
 * order, onto the buckets) plus what this JVM settles, drawn at each refresh; buckets expire on
 * time. A grant made while the app runs is picked up at the next refresh.
 */
public final class LocalCreditSource implements CreditSource {
  private final /* @Nullable */ Path dataDir;
  private final long budgetNanos;
  private final LongSupplier spentNanos;
  private final Clock clock;
  private final LocalLedger ledger;
  private long drawnNanos;
  private long grantsStamp;

  /**
   * @param dataDir where grants are kept; null for a budget alone
   * @param budgetNanos {@code tollgate.budget}, or -1 for none
   * @param recovered the journal's spend at start-up, any order; its total must be what {@code spentNanos} starts at
   */
  public LocalCreditSource(/* @Nullable */ Path dataDir, long budgetNanos, LongSupplier spentNanos, Clock clock,
      List<Spend> recovered) throws IOException {
    this.dataDir = dataDir;
    this.budgetNanos = budgetNanos;
    this.spentNanos = spentNanos;
    this.clock = clock;
    List<Grant> grants = new ArrayList<>();
    if (budgetNanos >= 0) {
      grants.add(Grant.budget(budgetNanos));
    }
    if (dataDir != null) {
      grants.addAll(Grants.read(dataDir));
      grantsStamp = stamp();
    }
    this.ledger = new LocalLedger(grants);
    List<Spend> inOrder = new ArrayList<>(recovered);
    inOrder.sort((a, b) -> a.at.compareTo(b.at));
    for (Spend s : inOrder) {
      ledger.debit(s.at, s.nanos);
      drawnNanos += s.nanos;
    }
  }

  /** One recorded cost: when, and how many nano-credits. */
  public static final class Spend {
    final Instant at;
    final long nanos;

    public Spend(Instant at, long nanos) {
      this.at = at;
      this.nanos = nanos;
    }
  }

  /** A budget alone, no grants, no history: for tests and the simplest setups. */
  public LocalCreditSource(long budgetNanos, LongSupplier spentNanos) {
    this.dataDir = null;
    this.budgetNanos = budgetNanos;
    this.spentNanos = spentNanos;
    this.clock = Clock.systemUTC();
    this.ledger = new LocalLedger(List.of(Grant.budget(budgetNanos)));
    this.drawnNanos = spentNanos.getAsLong();
    ledger.debit(Instant.EPOCH, drawnNanos);
  }

  /** Whether the data dir holds grants, which make a wallet limited even without a budget. */
  public static boolean hasGrants(Path dataDir) throws IOException {
    return !Grants.read(dataDir).isEmpty();
  }

  @Override
  public synchronized BalanceSnapshot fetch() throws IOException {
    Instant now = clock.instant();
    pickUpNewGrants();
    long spent = spentNanos.getAsLong();
    ledger.debit(now, spent - drawnNanos);
    drawnNanos = spent;
    List<BalanceSnapshot.Bucket> buckets = new ArrayList<>();
    for (LocalLedger.Bucket b : ledger.live(now)) {
      buckets.add(new BalanceSnapshot.Bucket(b.grant.sourceType, b.remainingNanos(), b.grant.expiresAt));
    }
    return new BalanceSnapshot(ledger.balanceNanos(now), spent, buckets, now, null);
  }

  private void pickUpNewGrants() throws IOException {
    if (dataDir == null) {
      return;
    }
    long s = stamp();
    if (s != grantsStamp) {
      for (Grant g : Grants.read(dataDir)) {
        ledger.add(g);
      }
      grantsStamp = s; // only once read: a failed read is retried at the next refresh
    }
  }

  private long stamp() throws IOException {
    Path f = Grants.file(dataDir);
    return Files.exists(f) ? Files.size(f) * 31 + Files.getLastModifiedTime(f).toMillis() : 0;
  }

  /** The ledger as of the last {@link #fetch}: what the JVMs sharing the data dir start from. */
  LocalLedger ledger() {
    return ledger;
  }

  /** It counts spend itself: a drift is never a top-up. */
  @Override
  public boolean balanceOnly() {
    return false;
  }

  @Override
  public String name() {
    return "local";
  }

  public long budgetNanos() {
    return budgetNanos;
  }
}
