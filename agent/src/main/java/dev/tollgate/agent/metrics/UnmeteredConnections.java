package dev.tollgate.agent.metrics;

import dev.tollgate.agent.log.Log;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * What {@code tollgate.unmetered.connections} counts and {@code doctor} lists: the connections to a
 * metered endpoint that no hooked client opened, per {@code host:port} and opening class, since the
 * JVM started. At most {@link #MAX_SERIES} pairs; further ones share one overflow entry, so a scanner
 * or a client that makes a class per connection cannot grow it. Counting a connection seen before is
 * a map look-up and two increments; exporters and the data dir file read the entries when they
 * collect or save, never on a connection's path.
 */
public final class UnmeteredConnections {
  /** Distinct {@code host:port} and class pairs counted apart; past them, one overflow entry. */
  public static final int MAX_SERIES = 100;
  /** The host, and the class, of the overflow entry. */
  public static final String OTHER = "_OTHER";
  public static final String WARNED = "warned";
  public static final String REFUSED = "refused";

  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final List<Consumer<Entry>> listeners = new CopyOnWriteArrayList<>();
  private final LongSupplier clock;
  private volatile boolean changed;

  /** Times from {@link System#currentTimeMillis}. */
  public UnmeteredConnections() {
    this(new SystemClock()); // made before main: a class, not a lambda, spares it the lambda machinery
  }

  /** @param clock the epoch milliseconds of first and last sight */
  public UnmeteredConnections(LongSupplier clock) {
    this.clock = clock;
  }

  /**
   * Counts one connection.
   *
   * @param provider the metered endpoint's provider
   * @param refused whether it was refused ({@code block}) rather than warned about
   * @return the entry this connection created (its pair's first, or the first past {@link #MAX_SERIES}), for one log line; null otherwise
   */
  public @Nullable Entry add(String host, int port, String client, String provider, boolean refused) {
    String key = host + ':' + port + ' ' + client;
    Entry e = entries.get(key);
    Entry created = null;
    if (e == null) {
      boolean full = entries.size() >= MAX_SERIES;
      String k = full ? OTHER : key;
      e = entries.get(k);
      if (e == null) {
        Entry fresh = full ? new Entry(OTHER, 0, OTHER, OTHER, refused, clock.getAsLong(), true)
            : new Entry(host, port, client, provider, refused, clock.getAsLong(), false);
        e = entries.putIfAbsent(k, fresh);
        if (e == null) {
          e = created = fresh;
        }
      }
    }
    e.count.increment();
    e.lastSeen = clock.getAsLong();
    changed = true;
    if (created != null) {
      announce(created);
    }
    return created;
  }

  /** Calls {@code listener} with each entry as it is made (on the connecting thread: it must be quick and not block). */
  public void onNewEntry(Consumer<Entry> listener) {
    listeners.add(listener);
  }

  private void announce(Entry e) {
    for (Consumer<Entry> l : listeners) {
      try {
        l.accept(e);
      } catch (RuntimeException | LinkageError t) {
        Log.once("unmetered-listener", Log.Level.WARN, "could not show an unmetered connection in the metrics; it is counted", t);
      }
    }
  }

  public void forEach(Consumer<Entry> out) {
    entries.values().forEach(out);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  /** Connections counted, all entries together. */
  public long total() {
    long n = 0;
    for (Entry e : entries.values()) {
      n += e.count();
    }
    return n;
  }

  /** Whether a connection was counted since the last call: a saver's cue, cleared by asking. */
  public boolean takeChanged() {
    boolean c = changed;
    if (c) {
      changed = false; // before the caller reads the entries: a count meanwhile sets it again
    }
    return c;
  }

  private static final class SystemClock implements LongSupplier {
    @Override
    public long getAsLong() {
      return System.currentTimeMillis();
    }
  }

  /** One {@code host:port} and opening class, or the overflow ({@link #overflow}). */
  public static final class Entry {
    public final String host;
    public final int port;
    /** The class that opened the connections. */
    public final String client;
    public final String provider;
    /** {@link #WARNED} or {@link #REFUSED}. */
    public final String action;
    public final long firstSeenMillis;
    /** Whether this is the entry every pair past {@link #MAX_SERIES} shares. */
    public final boolean overflow;
    private final LongAdder count = new LongAdder();
    private volatile long lastSeen;

    Entry(String host, int port, String client, String provider, boolean refused, long now, boolean overflow) {
      this.host = host;
      this.port = port;
      this.client = client;
      this.provider = provider;
      this.action = refused ? REFUSED : WARNED;
      this.firstSeenMillis = now;
      this.lastSeen = now;
      this.overflow = overflow;
    }

    public long count() {
      return count.sum();
    }

    public long lastSeenMillis() {
      return lastSeen;
    }
  }
}
