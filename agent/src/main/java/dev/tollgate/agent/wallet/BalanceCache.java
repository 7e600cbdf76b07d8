package dev.tollgate.agent.wallet;

import com.github.benmanes.caffeine.cache.CacheLoader;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import dev.tollgate.agent.bootstrap.AppThreads;
import dev.tollgate.agent.config.TollgateConfig.OnSourceFailure;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The credit source's balance, held by Caffeine: read without waiting once a value exists, and
 * refreshed in the background after {@code tollgate.balance-refresh}, one load at a time.
 *
 * <p>A failed read keeps the last value. While that value is younger than {@code
 * tollgate.balance-max-staleness} it is enforced as is (the wallet's watermark still subtracts
 * every call settled since, so the gap cannot be overspent); past that bound, or before any value
 * was read, {@code tollgate.on-source-failure} decides: {@code last-known} keeps enforcing the last
 * value (and blocks while none was ever read), {@code open} lets every call through, {@code
 * closed} blocks every metered call. Failures never throw to the caller and never reach
 * Caffeine's logger: the {@link SourceHealth} logs one line per change of state.
 */
public final class BalanceCache {
  private static final Object KEY = new Object();
  /** Large enough that no call is refused, small enough that the wallet's subtractions cannot overflow. */
  static final long UNLIMITED_NANOS = Long.MAX_VALUE / 4;

  private final LoadingCache<Object, Reading> cache;
  private final long maxStalenessNanos;
  private final OnSourceFailure policy;
  private final LongSupplier spent;
  private final LongSupplier nanoTime;
  private final SourceHealth health;
  private final CreditSource source;

  /** A cache that keeps the last value for ever (the local source, which cannot fail). */
  public BalanceCache(CreditSource source, Duration refreshAfter, Executor executor) {
    this(source, refreshAfter, Duration.ofNanos(Long.MAX_VALUE), OnSourceFailure.LAST_KNOWN, () -> 0, executor, System::nanoTime);
  }

  /**
   * @param spent the wallet's spend total, to anchor the snapshots the failure policy substitutes
   * @param nanoTime the clock for refresh and staleness ({@link System#nanoTime} outside tests)
   */
  public BalanceCache(CreditSource source, Duration refreshAfter, Duration maxStaleness, OnSourceFailure policy,
      LongSupplier spent, Executor executor, LongSupplier nanoTime) {
    this.maxStalenessNanos = maxStaleness.toNanos();
    this.policy = policy;
    this.spent = spent;
    this.nanoTime = nanoTime;
    this.health = new SourceHealth(source.name(), maxStaleness, policy);
    this.source = source;
    // One key, so no size bound: without one Caffeine keeps no frequency sketch or read buffer, and
    // a read (every metered call makes one) is a map lookup and a refresh-time check.
    this.cache = Caffeine.newBuilder()
        .refreshAfterWrite(refreshAfter)
        .executor(executor)
        .ticker(nanoTime::getAsLong)
        .build(new Loader(source));
  }

  /**
   * The snapshot to enforce: the cached one while fresh enough, else what the failure policy
   * substitutes. Loads on the caller's thread only the very first time; never throws.
   */
  public BalanceSnapshot current() {
    Reading r = cache.get(KEY);
    long now = nanoTime.getAsLong();
    if (r.snapshot != null && now - r.readAtNanos <= maxStalenessNanos && r.snapshot.isUsableAt(now)) {
      return r.snapshot;
    }
    health.stale(r.failure);
    // A lease past its expiry may already be back in the shared wallet: even last-known must not use it.
    return substitute(r.snapshot != null && r.snapshot.isUsableAt(now) ? r.snapshot : null);
  }

  /**
   * One synchronous attempt to get the credits a call lacks ({@link CreditSource#topUp}); true when a
   * fresh snapshot replaced the cached one. Never throws: a failure is reported through this cache's
   * health.
   */
  public boolean topUp(long shortNanos) {
    Reading r = cache.getIfPresent(KEY);
    if (r == null || r.failure != null) {
      return false; // the source is failing: the background refresh keeps trying, calls do not wait on it
    }
    try {
      // On the calling thread: the application's interrupt must not fail it.
      Optional<BalanceSnapshot> s = AppThreads.uninterrupted(() -> Optional.ofNullable(source.topUp(shortNanos)));
      if (s.isEmpty()) {
        return false;
      }
      offer(s.get());
      return true;
    } catch (IOException | RuntimeException e) {
      unreadable(e instanceof IOException ? (IOException) e : new IOException(source.name() + ": " + e, e));
      return false;
    }
  }

  /**
   * Refreshes in the background, once per reading, when the source wants it with {@code
   * availableNanos} left ({@link CreditSource#wantsRefill}); otherwise a field read or two.
   */
  public void refreshIfLow(long availableNanos) {
    if (!source.wantsRefill(availableNanos)) {
      return;
    }
    Reading r = cache.getIfPresent(KEY);
    if (r != null && r.failure == null && r.refillAsked.compareAndSet(false, true)) {
      cache.refresh(KEY);
    }
  }

  private BalanceSnapshot substitute(@Nullable BalanceSnapshot last) {
    if (policy == OnSourceFailure.LAST_KNOWN && last != null) {
      return last;
    }
    long now = spent.getAsLong();
    return new BalanceSnapshot(policy == OnSourceFailure.OPEN ? UNLIMITED_NANOS : 0, now);
  }

  /** Starts the first load in the background, so the first metered call finds a value. */
  public void prefetch() {
    cache.refresh(KEY);
  }

  /** The source this cache reads. */
  public CreditSource source() {
    return source;
  }

  /**
   * Replaces the cached balance with {@code s}, a snapshot just read from the source by someone
   * else (the reconciler), as if the cache had refreshed now: enforcement moves to the remote truth
   * without a second read.
   */
  public void offer(BalanceSnapshot s) {
    health.succeeded(s);
    cache.put(KEY, new Reading(s, nanoTime.getAsLong(), null));
  }

  /**
   * Someone else (the reconciler) failed to read the source: reported through this cache's health,
   * so one outage is one log line whoever meets it.
   */
  public void unreadable(IOException failure) {
    Reading r = cache.getIfPresent(KEY);
    health.failed(failure, r != null && r.snapshot != null);
  }

  /** Drops the cached value so the next read loads a fresh one. */
  public void invalidate() {
    cache.invalidateAll();
  }

  /** The last read of the source: the last good snapshot (if any) and the last failure (if the last read failed). */
  static final class Reading {
    final @Nullable BalanceSnapshot snapshot;
    final long readAtNanos;
    final @Nullable IOException failure;
    /** Whether an early refresh was already asked for on this reading ({@link #refreshIfLow}). */
    final java.util.concurrent.atomic.AtomicBoolean refillAsked = new java.util.concurrent.atomic.AtomicBoolean();

    Reading(@Nullable BalanceSnapshot snapshot, long readAtNanos, @Nullable IOException failure) {
      this.snapshot = snapshot;
      this.readAtNanos = readAtNanos;
      this.failure = failure;
    }
  }

  /** Never throws: a failure becomes a reading that keeps the previous snapshot and its age. */
  private final class Loader implements CacheLoader<Object, Reading> {
    private final CreditSource source;

    Loader(CreditSource source) {
      this.source = source;
    }

    @Override
    public Reading load(Object key) {
      return read(null);
    }

    @Override
    public Reading reload(Object key, Reading old) {
      return read(old);
    }

    private Reading read(@Nullable Reading old) {
      try {
        // The first read runs on the calling thread: the application's interrupt must not fail it.
        BalanceSnapshot s = AppThreads.uninterrupted(source::fetch);
        health.succeeded(s);
        return new Reading(s, nanoTime.getAsLong(), null);
      } catch (IOException | RuntimeException e) {
        IOException failure = e instanceof IOException ? (IOException) e : new IOException(source.name() + ": " + e, e);
        health.failed(failure, old != null && old.snapshot != null);
        return old == null ? new Reading(null, 0, failure) : new Reading(old.snapshot, old.readAtNanos, failure);
      }
    }
  }
}
