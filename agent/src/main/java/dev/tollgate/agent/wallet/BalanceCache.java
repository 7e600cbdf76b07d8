package dev.tollgate.agent.wallet;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.io.UncheckedIOException;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Executor;

/**
 * The credit source's balance, held by Caffeine: read without waiting once a value exists, and
 * refreshed in the background after {@code tollgate.balance-refresh}, one load at a time. A failed
 * refresh keeps the last value.
 */
public final class BalanceCache {
  private static final Object KEY = new Object();

  private final LoadingCache<Object, BalanceSnapshot> cache;

  public BalanceCache(CreditSource source, Duration refreshAfter, Executor executor) {
    this.cache = Caffeine.newBuilder()
        .maximumSize(1)
        .refreshAfterWrite(refreshAfter)
        .executor(executor)
        .build(k -> {
          try {
            return source.fetch();
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
        });
  }

  /** The cached snapshot; loads it on the caller's thread only the very first time. */
  public BalanceSnapshot current() {
    return cache.get(KEY);
  }

  /** Drops the cached value so the next read loads a fresh one. */
  public void invalidate() {
    cache.invalidateAll();
  }
}
