package dev.tollgate.agent.wallet;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongConsumer;
import java.util.function.LongSupplier;

/**
 * The local wallet shared by every JVM on one data dir: this JVM's lease of it, as a credit source,
 * with the Redis wallet's arithmetic over a file ({@link HostLeaseFile}) instead of a server. Each
 * {@link #fetch} (every {@code tollgate.balance-refresh}, in the background) reports the spend settled
 * since the last one and tops the lease up to 5% of the wallet's credits beyond the open
 * reservations; the snapshot's balance is the lease, its watermark the spend total reported, so the
 * wallet's usual arithmetic enforces the lease with no lock and no system call per call. A call the
 * lease cannot cover gets one synchronous {@link #topUp}.
 *
 * <p>The first JVM to find no live holder rebuilds the shared state from its own ledger (the
 * journal, the budget, the grants), so a restart sees exactly what a single JVM sees today. A JVM
 * that dies keeps no lease: the next JVM to change the state finds its lock free and returns its
 * lease, less what it published as spent.
 */
public final class HostCreditSource implements CreditSource {
  private final HostLeaseFile file;
  private final LocalCreditSource local;
  private final Path dataDir;
  private final long budgetNanos;
  private final LongSupplier spent;
  private final Clock clock;
  /** The spend total the state last acknowledged for this JVM (guarded by this). */
  private long acked;
  /** Whether this JVM has taken part in the shared state: only before that may it rebuild it. */
  private boolean joined;
  private List<Grant> grants = List.of();
  private long grantsStamp = -1;
  private volatile LongSupplier reserved = () -> 0;
  private volatile long leaseNanos;
  private volatile long unleased;

  /** The JVMs that had died before this one read the journal: every record of theirs is in its history. */
  private final Set<String> deadAtStart;

  HostCreditSource(HostLeaseFile file, Start start, LocalCreditSource local, Path dataDir, long budgetNanos, LongSupplier spent, Clock clock) {
    this.file = file;
    this.deadAtStart = start.deadHolders;
    this.local = local;
    this.dataDir = dataDir;
    this.budgetNanos = budgetNanos;
    this.spent = spent;
    this.clock = clock;
    this.acked = spent.getAsLong();
  }

  /** Which holders of the shared state were dead before the journal was read ({@link #probe}). */
  public static final class Start {
    final Set<String> deadHolders;

    Start(Set<String> deadHolders) {
      this.deadHolders = deadHolders;
    }
  }

  /**
   * Notes which JVMs holding leases are dead: call before reading the journal. If no live JVM holds
   * a lease at the first read, the state is rebuilt from this JVM's history only when every holder
   * was already dead here, so none of their spend is missing from that history.
   *
   * @throws IOException when the data dir cannot be read
   */
  public static Start probe(Path dataDir) throws IOException {
    return new Start(HostLeaseFile.deadHolders(dataDir));
  }

  /** {@link #probe} and {@link #open(Start, Path, long, LongSupplier, Clock, List, Duration)} at once (tests). */
  static HostCreditSource open(Path dataDir, long budgetNanos, LongSupplier spent, Clock clock, List<LocalCreditSource.Spend> history,
      Duration lockTimeout) throws IOException {
    return open(probe(dataDir), dataDir, budgetNanos, spent, clock, history, lockTimeout);
  }

  /**
   * Joins the JVMs sharing {@code dataDir}: registers this JVM (nothing is leased before the first
   * read).
   *
   * @param start what {@link #probe} found before the journal was read
   * @param budgetNanos {@code tollgate.budget}, or -1 for none
   * @param history the journal's spend at start-up; its total must be what {@code spent} starts at
   * @param lockTimeout how long a read waits for another JVM's change of the state
   * @throws IOException when the data dir cannot hold the shared files (the caller falls back to a wallet of its own)
   */
  public static HostCreditSource open(Start start, Path dataDir, long budgetNanos, LongSupplier spent, Clock clock,
      List<LocalCreditSource.Spend> history, Duration lockTimeout) throws IOException {
    LocalCreditSource local = new LocalCreditSource(dataDir, budgetNanos, spent, clock, history);
    String jvm = ProcessHandle.current().pid() + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong() >>> 16);
    HostLeaseFile file = HostLeaseFile.open(dataDir, jvm, spent.getAsLong(), lockTimeout);
    return new HostCreditSource(file, start, local, dataDir, budgetNanos, spent, clock);
  }

  /** Counts the wallet's open reservations into each refresh, so calls in flight do not eat the headroom of the next ones. */
  @Override
  public void countReservations(LongSupplier reservedNanos) {
    this.reserved = reservedNanos;
  }

  /** {@link #publish}, for every settle. */
  @Override
  public LongConsumer spendMirror() {
    return this::publish;
  }

  /** Publishes this JVM's spend total where a JVM reclaiming its lease after a crash reads it: a memory store, for every settle. */
  public void publish(long spentTotal) {
    file.publish(spentTotal);
  }

  @Override
  public synchronized BalanceSnapshot fetch() throws IOException {
    return lease(reserved.getAsLong(), 0);
  }

  @Override
  public synchronized BalanceSnapshot topUp(long shortNanos) throws IOException {
    return lease(0, Math.max(0, shortNanos));
  }

  private BalanceSnapshot lease(long beyond, long extra) throws IOException {
    Instant now = clock.instant();
    long total = spent.getAsLong(); // before the change: spend settled meanwhile is subtracted locally, and reported next time
    BalanceSnapshot s = file.update((lines, out) -> {
      HostLeaseBook book = shared(lines, total, now);
      long credits = 0;
      for (LocalLedger.Bucket b : book.ledger.live(now)) {
        credits += b.grant.amountNanos;
      }
      leaseNanos = Math.max(1, credits / 20);
      long held = book.lease(file.jvm, acked, total, leaseNanos + beyond, extra, now);
      unleased = book.unleased(now);
      out.addAll(book.encode());
      return snapshot(book, held, total, now);
    });
    acked = total;
    joined = true;
    return s;
  }

  /**
   * The shared state with dead JVMs' leases returned; rebuilt from this JVM's ledger (as a single JVM
   * starts) when it joins a state whose every holder had died before its journal was read.
   */
  private HostLeaseBook shared(/* @Nullable */ List<String> lines, long total, Instant now) throws IOException {
    HostLeaseBook book = null;
    if (lines != null) {
      try {
        book = HostLeaseBook.decode(lines, grants());
      } catch (RuntimeException e) {
        book = null; // unreadable (a hand edit): rebuilt below, as if there were none
      }
    }
    List<String> before = book == null ? List.of() : book.holders();
    if (book != null) {
      for (String other : before) {
        if (!file.isAlive(other)) {
          book.reclaim(other, file.publishedTotal(other), now);
          file.forget(other);
        }
      }
    }
    if (book == null || (!joined && deadAtStart.containsAll(before))) {
      book = rebuilt(total, now);
    }
    return book;
  }

  private HostLeaseBook rebuilt(long total, Instant now) throws IOException {
    local.fetch(); // draws this JVM's spend since start-up and picks up new grants
    HostLeaseBook book = HostLeaseBook.decode(new HostLeaseBook(local.ledger()).encode(), grants());
    book.report(file.jvm, total, total, now); // that spend is in the ledger already
    for (String stranger : file.deadStrangers(book.holders())) {
      file.forget(stranger);
    }
    return book;
  }

  private BalanceSnapshot snapshot(HostLeaseBook book, long held, long total, Instant now) {
    List<BalanceSnapshot.Bucket> buckets = new ArrayList<>();
    for (LocalLedger.Bucket b : book.ledger.live(now)) {
      buckets.add(new BalanceSnapshot.Bucket(b.grant.sourceType, b.remainingNanos(), b.grant.expiresAt));
    }
    // What is not leased may be negative: JVMs that together spent past the budget show the overdraft, as one JVM does.
    return new BalanceSnapshot(held, total, buckets, now, null, false, Long.MAX_VALUE, book.unleased(now));
  }

  /** The budget and the data dir's grants, re-read when {@code grants.jsonl} changed. */
  private List<Grant> grants() throws IOException {
    Path f = Grants.file(dataDir);
    long stamp = Files.exists(f) ? Files.size(f) * 31 + Files.getLastModifiedTime(f).toMillis() : 0;
    if (stamp != grantsStamp) {
      List<Grant> g = new ArrayList<>();
      if (budgetNanos >= 0) {
        g.add(Grant.budget(budgetNanos));
      }
      g.addAll(Grants.read(dataDir));
      grants = g;
      grantsStamp = stamp;
    }
    return grants;
  }

  /** Below half a lease, while the shared wallet has credits to lend. */
  @Override
  public boolean wantsRefill(long availableNanos) {
    return availableNanos < leaseNanos / 2 && unleased > 0;
  }

  /** Drops this JVM's lock as its death would (tests); the next JVM to change the state returns the lease. */
  void crash() throws IOException {
    file.close();
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
}
