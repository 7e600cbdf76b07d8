package dev.tollgate.agent.budget;

import dev.tollgate.agent.bootstrap.AppThreads;
import dev.tollgate.agent.journal.PrivateFiles;
import dev.tollgate.agent.log.Log;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongPredicate;
import org.jspecify.annotations.Nullable;

/**
 * Every budget scope's state in its period, off the heap: an open-addressing hash table in a
 * memory-mapped file ({@code <data-dir>/budgets/scopes-<pid>-<n>.tbl}, owner-only), so the heap
 * holds nothing per scope however many tenants spend. It is a cache derived from the journal,
 * rebuilt at every start from the recovered period spend: it needs no crash consistency, is deleted
 * at exit, and files left by JVMs that died are deleted by the next one to open a table there.
 *
 * <p>A slot is 64 bytes: the key's 64-bit hash (0 marks an empty slot), the offset of the key's
 * bytes (period, start, dimensions and values, kept in the name area after the slots and compared
 * in full on every look-up, so two scopes never share a slot whatever their hashes), then spent,
 * reserved, late, others' holds, seed and the alerts reported. A slot is read and changed under one
 * of {@value #STRIPES} locks chosen by the key's hash: calls on different scopes almost never share
 * one, and the per-call path makes no system call (mapped memory only). The table grows by
 * rehashing into a file twice the size when 70% full; {@link #sweep} rebuilds it without the idle
 * scopes of ended periods. Both take every stripe lock, so no slot changes while it is copied.
 */
final class SpendTable implements AutoCloseable {
  static final int SLOT = 64;
  static final int HASH = 0;
  static final int NAME = 8;
  static final int SPENT = 16;
  static final int RESERVED = 24;
  static final int LATE = 32;
  static final int OTHERS = 40;
  static final int SEED = 48;
  static final int ALERTED = 56;
  /** Bit of {@link #ALERTED}: thresholds reached before this JVM counted the scope are marked reported (not news). */
  static final long PRIMED = Long.MIN_VALUE;

  private static final VarHandle LONGS = MethodHandles.byteBufferViewVarHandle(long[].class, ByteOrder.nativeOrder());
  private static final int STRIPES = 512;
  private static final int INITIAL_SLOTS = 1024;
  /** 1 GiB of slots: about 11 million scopes in one JVM's current periods. */
  static final int MAX_SLOTS = 1 << 24;
  private static final int MAX_NAMES = 1 << 30;
  /** Per JVM: a table's hashes are only compared within the JVM, and a seed nobody knows spreads crafted keys. */
  private static final long HASH_SEED = Double.doubleToLongBits(Math.random()) ^ System.nanoTime();
  private static final AtomicInteger FILES = new AtomicInteger();
  private static final String PREFIX = "scopes-";
  private static final String SUFFIX = ".tbl";

  /** No room for a new scope's slot: the table is at its largest size. */
  static final class Full extends RuntimeException {
    private static final long serialVersionUID = 1L;

    Full(String message) {
      super(message, null, false, false);
    }
  }

  /** One size of the table: its slots and key bytes, in one file (or off-heap memory when no file can be made). */
  private static final class Gen {
    final ByteBuffer slots;
    final ByteBuffer names;
    final int capacity;
    final int namesCapacity;
    final @Nullable Path file;
    /** Guarded by the insert lock. */
    int count;
    int namesUsed;

    Gen(ByteBuffer slots, ByteBuffer names, int capacity, int namesCapacity, @Nullable Path file) {
      this.slots = slots.order(ByteOrder.nativeOrder());
      this.names = names.order(ByteOrder.nativeOrder());
      this.capacity = capacity;
      this.namesCapacity = namesCapacity;
      this.file = file;
    }
  }

  private final @Nullable Path dir;
  private final ReentrantLock[] stripes = new ReentrantLock[STRIPES];
  private final Object insertLock = new Object();
  /** Scopes per (period, start): {@link #sweep} rebuilds only when one of them ended. Guarded by the insert lock. */
  private final Map<Long, int[]> periods = new HashMap<>();
  private volatile Gen gen;
  private volatile boolean closed;
  /** The most slots the table grows to ({@link #MAX_SLOTS}; a test's table may stop sooner). */
  private final int maxSlots;

  /** A table in {@code dir} (created owner-only), or in off-heap memory when {@code dir} is null or cannot be used. */
  SpendTable(@Nullable Path dir) {
    this(dir, MAX_SLOTS);
  }

  /** The same, growing to at most {@code maxSlots} slots (a power of two, at least the initial 1024). */
  SpendTable(@Nullable Path dir, int maxSlots) {
    if (maxSlots < INITIAL_SLOTS || maxSlots > MAX_SLOTS || Integer.bitCount(maxSlots) != 1) {
      throw new IllegalArgumentException("maxSlots must be a power of two from " + INITIAL_SLOTS + " to " + MAX_SLOTS + ": " + maxSlots);
    }
    this.maxSlots = maxSlots;
    for (int i = 0; i < STRIPES; i++) {
      stripes[i] = new ReentrantLock();
    }
    this.dir = dir;
    if (dir != null) {
      removeStale(dir);
    }
    this.gen = newGen(INITIAL_SLOTS, INITIAL_SLOTS * 64);
  }

  /** Where tables go when no data dir is given (the CLI, tests, benchmarks): the system's temporary directory. */
  static Path defaultDir() {
    return Paths.get(System.getProperty("java.io.tmpdir"), "tollgate-budgets-" + System.getProperty("user.name", "user"));
  }

  static long hash(BudgetPeriod period, long startSecond, String[] dimensions, String[] values) {
    long h = HASH_SEED ^ period.ordinal();
    h = (h ^ startSecond) * 0x100000001b3L;
    for (int i = 0; i < dimensions.length; i++) {
      h = chars(chars((h ^ 0x10000) * 0x100000001b3L, dimensions[i]), values[i]);
    }
    h ^= h >>> 33; // murmur3's finaliser, so the low bits (the slot) depend on every char
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    h *= 0xc4ceb9fe1a85ec53L;
    h ^= h >>> 33;
    return h == 0 ? 1 : h;
  }

  private static long chars(long h, String s) {
    for (int i = 0; i < s.length(); i++) {
      h = (h ^ s.charAt(i)) * 0x100000001b3L;
    }
    return (h ^ 0x10001) * 0x100000001b3L; // a separator no char can be
  }

  // ---- one scope's slot, under its stripe's lock ----

  /**
   * Locks {@code t}'s stripe and returns the table with {@code t.off} at its slot, inserting it
   * (spent from {@code t}'s source) when absent. The caller must {@link #unlock} it.
   */
  ByteBuffer lock(Tally t) {
    ReentrantLock lock = stripes[stripe(t.hash)];
    for (;;) {
      lock.lock();
      Gen g = gen;
      if (t.gen == g) {
        return g.slots;
      }
      boolean grow = false;
      try {
        int off = find(g, t);
        if (off < 0) {
          off = insert(g, t);
        }
        if (off >= 0) {
          t.gen = g;
          t.off = off;
          prime(g.slots, off, t.alertNanos);
          return g.slots;
        }
        grow = true;
      } finally {
        if (grow) {
          lock.unlock();
        }
      }
      grow(g);
    }
  }

  void unlock(Tally t) {
    stripes[stripe(t.hash)].unlock();
  }

  /** This scope's spent, or 0 when the table does not hold it (nothing inserted). */
  long spentIfPresent(Tally t) {
    ReentrantLock lock = stripes[stripe(t.hash)];
    lock.lock();
    try {
      Gen g = gen;
      int off = find(g, t);
      return off < 0 ? 0 : g.slots.getLong(off + SPENT);
    } finally {
      lock.unlock();
    }
  }

  private static int stripe(long hash) {
    return (int) (hash >>> 40) & (STRIPES - 1);
  }

  /** Thresholds reached before the first call of this JVM on the scope are not news (the recovered spend). */
  private static void prime(ByteBuffer slots, int off, long @Nullable [] alertNanos) {
    long alerted = slots.getLong(off + ALERTED);
    if (alertNanos == null || (alerted & PRIMED) != 0) {
      return;
    }
    slots.putLong(off + ALERTED, alerted | PRIMED | Tally.reached(slots.getLong(off + SPENT), alertNanos));
  }

  private static int find(Gen g, Tally t) {
    int mask = g.capacity - 1;
    for (int i = (int) t.hash & mask;; i = (i + 1) & mask) {
      int off = i * SLOT;
      long h = (long) LONGS.getAcquire(g.slots, off);
      if (h == 0) {
        return -1;
      }
      if (h == t.hash && sameKey(g.names, (int) g.slots.getLong(off + NAME), t)) {
        return off;
      }
    }
  }

  /** The slot of a new key, or -1 when the table must grow first. */
  private int insert(Gen g, Tally t) {
    long spent = t.initialSpent();
    synchronized (insertLock) {
      int need = nameBytes(t);
      boolean slotsFull = (g.count + 1) * 10L > g.capacity * 7L;
      boolean namesFull = g.namesUsed + need > g.namesCapacity;
      if ((slotsFull && g.capacity < maxSlots) || (namesFull && g.namesCapacity < MAX_NAMES)) {
        return -1;
      }
      if (namesFull || g.count + 2 >= g.capacity) {
        throw new Full("budget state is full: " + g.count + " scopes in the current periods");
      }
      int name = g.namesUsed;
      writeName(g.names, name, t);
      g.namesUsed += need;
      int off = place(g, t.hash, name, spent, spent, 0, 0, 0);
      count(t.period.ordinal(), t.startSecond, 1);
      return off;
    }
  }

  /** Writes a slot for a key known to be absent; returns its offset. Under the insert lock (or every lock). */
  private static int place(Gen g, long hash, int name, long spent, long seed, long reserved, long late, long alerted) {
    int mask = g.capacity - 1;
    int i = (int) hash & mask;
    while ((long) LONGS.getAcquire(g.slots, i * SLOT) != 0) {
      i = (i + 1) & mask;
    }
    int off = i * SLOT;
    ByteBuffer s = g.slots;
    s.putLong(off + NAME, name);
    s.putLong(off + SPENT, spent);
    s.putLong(off + RESERVED, reserved);
    s.putLong(off + LATE, late);
    s.putLong(off + OTHERS, 0);
    s.putLong(off + SEED, seed);
    s.putLong(off + ALERTED, alerted);
    LONGS.setRelease(s, off, hash); // last: a look-up that sees the hash sees the whole slot
    g.count++;
    return off;
  }

  private void count(int ordinal, long startSecond, int n) {
    periods.computeIfAbsent(startSecond * 8 + ordinal, k -> new int[1])[0] += n;
  }

  // ---- key bytes: int length, short period, long start, int dimensions, then (int length, chars) per name and value ----

  private static int nameBytes(Tally t) {
    int n = 4 + 2 + 8 + 4;
    for (int i = 0; i < t.dimensions.length; i++) {
      n += 8 + 2 * (t.dimensions[i].length() + t.values[i].length());
    }
    return n;
  }

  private static void writeName(ByteBuffer b, int at, Tally t) {
    int p = at;
    b.putInt(p, nameBytes(t));
    b.putShort(p + 4, (short) t.period.ordinal());
    b.putLong(p + 6, t.startSecond);
    b.putInt(p + 14, t.dimensions.length);
    p += 18;
    for (int i = 0; i < t.dimensions.length; i++) {
      p = writeString(b, p, t.dimensions[i]);
      p = writeString(b, p, t.values[i]);
    }
  }

  private static int writeString(ByteBuffer b, int at, String s) {
    b.putInt(at, s.length());
    for (int i = 0; i < s.length(); i++) {
      b.putChar(at + 4 + 2 * i, s.charAt(i));
    }
    return at + 4 + 2 * s.length();
  }

  private static boolean sameKey(ByteBuffer b, int at, Tally t) {
    if (b.getShort(at + 4) != t.period.ordinal() || b.getLong(at + 6) != t.startSecond || b.getInt(at + 14) != t.dimensions.length) {
      return false;
    }
    int p = at + 18;
    for (int i = 0; i < t.dimensions.length; i++) {
      if (!sameString(b, p, t.dimensions[i])) {
        return false;
      }
      p += 4 + 2 * t.dimensions[i].length();
      if (!sameString(b, p, t.values[i])) {
        return false;
      }
      p += 4 + 2 * t.values[i].length();
    }
    return true;
  }

  private static boolean sameString(ByteBuffer b, int at, String s) {
    if (b.getInt(at) != s.length()) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      if (b.getChar(at + 4 + 2 * i) != s.charAt(i)) {
        return false;
      }
    }
    return true;
  }

  private static String readString(ByteBuffer b, int at) {
    char[] c = new char[b.getInt(at)];
    for (int i = 0; i < c.length; i++) {
      c[i] = b.getChar(at + 4 + 2 * i);
    }
    return new String(c);
  }

  // ---- listing, growing, sweeping ----

  /** One scope as listed: its key and its numbers, read under its lock. */
  interface Entry {
    void accept(BudgetPeriod period, long startSecond, String[] dimensions, String[] values, long spent, long reserved, long othersHeld);
  }

  /** Every scope in the table (not on the per-call path: it allocates the names). */
  void forEach(Entry each) {
    while (!forEachIn(gen, each)) {
      // grown or swept meanwhile: list the new table (from the start: an entry may be listed twice, never missed)
    }
  }

  private boolean forEachIn(Gen g, Entry each) {
    BudgetPeriod[] periodValues = BudgetPeriod.values();
    for (int i = 0; i < g.capacity; i++) {
      int off = i * SLOT;
      long h = (long) LONGS.getAcquire(g.slots, off);
      if (h == 0) {
        continue;
      }
      ReentrantLock lock = stripes[stripe(h)];
      lock.lock();
      long spent;
      long reserved;
      long others;
      try {
        if (gen != g) {
          return false;
        }
        spent = g.slots.getLong(off + SPENT);
        reserved = g.slots.getLong(off + RESERVED);
        others = g.slots.getLong(off + OTHERS);
      } finally {
        lock.unlock();
      }
      int at = (int) g.slots.getLong(off + NAME);
      String[] dimensions = new String[g.names.getInt(at + 14)];
      String[] values = new String[dimensions.length];
      int p = at + 18;
      for (int d = 0; d < dimensions.length; d++) {
        dimensions[d] = readString(g.names, p);
        p += 4 + 2 * dimensions[d].length();
        values[d] = readString(g.names, p);
        p += 4 + 2 * values[d].length();
      }
      each.accept(periodValues[g.names.getShort(at + 4)], g.names.getLong(at + 6), dimensions, values, spent, reserved, others);
    }
    return true;
  }

  /** Scopes in the table. */
  int size() {
    synchronized (insertLock) {
      return gen.count;
    }
  }

  /** Bytes the table takes off the heap (its file, or direct memory). */
  long bytes() {
    Gen g = gen;
    return (long) g.capacity * SLOT + g.namesCapacity;
  }

  /**
   * Doubles the slots or the name area, whichever is full. The new file is made, mapped and its
   * pages touched before any lock is taken: calls wait only for the copy (the names in one block,
   * then each slot, rehashed).
   */
  private void grow(Gen from) {
    int slots;
    int names;
    synchronized (insertLock) {
      if (gen != from) {
        return;
      }
      slots = from.count * 10L >= from.capacity * 6L ? Math.min(from.capacity * 2, maxSlots) : from.capacity;
      names = from.namesUsed * 4L >= from.namesCapacity * 3L ? (int) Math.min(from.namesCapacity * 2L, MAX_NAMES) : from.namesCapacity;
    }
    long t0 = System.nanoTime();
    Gen to = newGen(slots, names);
    long t1 = System.nanoTime();
    lockAll();
    try {
      synchronized (insertLock) {
        if (gen == from) {
          copyAll(from, to);
          gen = to;
          delete(from.file);
          if (Log.isDebug()) {
            Log.debug("budget state grown to " + slots + " slots for " + to.count + " scopes: made in " + (t1 - t0) / 1_000_000
                + " ms, copied in " + (System.nanoTime() - t1) / 1_000_000 + " ms (budgeted calls waited for the copy)");
          }
          return;
        }
      }
    } finally {
      unlockAll();
    }
    delete(to.file); // another call grew it first
  }

  /** Copies every slot, the names kept where they are; under every lock. */
  private static void copyAll(Gen from, Gen to) {
    ByteBuffer names = from.names.duplicate();
    names.position(0).limit(from.namesUsed);
    ByteBuffer into = to.names.duplicate();
    into.position(0);
    into.put(names);
    to.namesUsed = from.namesUsed;
    ByteBuffer s = from.slots;
    for (int i = 0; i < from.capacity; i++) {
      int off = i * SLOT;
      long h = s.getLong(off + HASH);
      if (h != 0) {
        int placed = place(to, h, (int) s.getLong(off + NAME), s.getLong(off + SPENT), s.getLong(off + SEED), s.getLong(off + RESERVED),
            s.getLong(off + LATE), s.getLong(off + ALERTED));
        to.slots.putLong(placed + OTHERS, s.getLong(off + OTHERS));
      }
    }
  }

  /**
   * Drops the idle scopes (nothing reserved, nothing owed to a shared store) of the periods
   * {@code ended} says are over, given {@code startSecond * 8 + period ordinal}. Rebuilds the table
   * only when one of its periods ended; returns the scopes left.
   */
  int sweep(LongPredicate ended) {
    long[] gone;
    Gen from;
    int slots;
    int names;
    synchronized (insertLock) {
      // Which periods ended is decided once per period here, not per slot under the locks (zone arithmetic).
      gone = periods.keySet().stream().filter(ended::test).mapToLong(Long::longValue).toArray();
      if (gone.length == 0) {
        return gen.count;
      }
      from = gen;
      slots = slotsFor(keep(gone));
      names = Math.max(INITIAL_SLOTS * 64, Math.min(from.namesCapacity, slots * 64));
    }
    LongPredicate isGone = k -> {
      for (long g : gone) {
        if (g == k) {
          return true;
        }
      }
      return false;
    };
    Gen to = newGen(slots, names); // made before the locks, as for a doubling
    lockAll();
    try {
      synchronized (insertLock) {
        int need = slotsFor(keep(gone)); // before a copy, which recounts the periods as it goes
        if (gen == from && need <= slots && copy(from, to, isGone)) {
          gen = to;
          delete(from.file);
        } else { // it grew meanwhile, or the kept names need more room: size it again under the locks
          delete(to.file);
          rebuild(gen, need, Math.max(names, gen.namesCapacity), isGone);
        }
        return gen.count;
      }
    } finally {
      unlockAll();
    }
  }

  /** Scopes not in the {@code gone} periods (and at most the few of them still held); under the insert lock. */
  private int keep(long[] gone) {
    int keep = 0;
    for (Map.Entry<Long, int[]> e : periods.entrySet()) {
      boolean ended = false;
      for (long g : gone) {
        ended |= g == e.getKey();
      }
      keep += ended ? 0 : e.getValue()[0];
    }
    return keep;
  }

  /** Slots for {@code scopes} at most half full (room for the ended ones still held, and for growth). */
  private int slotsFor(int scopes) {
    int slots = INITIAL_SLOTS;
    while (slots < maxSlots && slots * 5L < scopes * 10L) {
      slots *= 2;
    }
    return slots;
  }

  /** Copies every slot to a new table of this size, but idle slots of ended periods; under every lock. */
  private void rebuild(Gen from, int slots, int namesCapacity, LongPredicate ended) {
    Gen to = null;
    for (int names = namesCapacity;; names = (int) Math.min(names * 2L, MAX_NAMES)) {
      to = newGen(slots, names);
      if (copy(from, to, ended) || names == MAX_NAMES) {
        break;
      }
      delete(to.file); // the kept names did not fit (a sweep that shrank): twice the room
    }
    gen = to;
    delete(from.file);
  }

  private boolean copy(Gen from, Gen to, LongPredicate ended) {
    periods.clear();
    ByteBuffer s = from.slots;
    for (int i = 0; i < from.capacity; i++) {
      int off = i * SLOT;
      long h = s.getLong(off + HASH);
      if (h == 0) {
        continue;
      }
      int at = (int) s.getLong(off + NAME);
      int ordinal = from.names.getShort(at + 4);
      long startSecond = from.names.getLong(at + 6);
      long reserved = s.getLong(off + RESERVED);
      long late = s.getLong(off + LATE);
      if (reserved == 0 && late == 0 && ended.test(startSecond * 8 + ordinal)) {
        continue;
      }
      int length = from.names.getInt(at);
      if (to.namesUsed + length > to.namesCapacity) {
        return false;
      }
      ByteBuffer name = from.names.duplicate();
      name.position(at).limit(at + length);
      ByteBuffer into = to.names.duplicate();
      into.position(to.namesUsed);
      into.put(name);
      int placed = place(to, h, to.namesUsed, s.getLong(off + SPENT), s.getLong(off + SEED), reserved, late, s.getLong(off + ALERTED));
      to.slots.putLong(placed + OTHERS, s.getLong(off + OTHERS));
      to.namesUsed += length;
      count(ordinal, startSecond, 1);
    }
    return true;
  }

  private void lockAll() {
    for (ReentrantLock l : stripes) {
      l.lock();
    }
  }

  private void unlockAll() {
    for (ReentrantLock l : stripes) {
      l.unlock();
    }
  }

  // ---- files ----

  private Gen newGen(int slots, int names) {
    // The table grows on the calling thread: FileChannel.map would fail on the application's interrupt.
    return AppThreads.uninterrupted(() -> newGenUninterrupted(slots, names));
  }

  private Gen newGenUninterrupted(int slots, int names) {
    long bytes = (long) slots * SLOT + names;
    if (dir != null && !closed) {
      Path file = dir.resolve(PREFIX + ProcessHandle.current().pid() + "-" + FILES.incrementAndGet() + SUFFIX);
      try {
        PrivateFiles.privateDirectory(dir);
        try (FileChannel ch = FileChannel.open(file, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.READ,
            StandardOpenOption.WRITE), PrivateFiles.ownerOnly())) {
          file.toFile().deleteOnExit(); // a cache: nothing in it outlives the JVM
          // The mappings stay valid once the channel is closed (and once the file is deleted, where the OS allows it).
          return new Gen(touched(ch.map(FileChannel.MapMode.READ_WRITE, 0, (long) slots * SLOT)),
              touched(ch.map(FileChannel.MapMode.READ_WRITE, (long) slots * SLOT, names)), slots, names, file);
        }
      } catch (IOException | RuntimeException e) {
        delete(file);
        Log.once("budget-table", Log.Level.WARN, "budget state cannot be kept in " + dir + " (" + e.getMessage()
            + "); it is kept in off-heap memory instead (" + bytes / 1_000_000 + " MB now)", null);
      }
    }
    return new Gen(ByteBuffer.allocateDirect(slots * SLOT), ByteBuffer.allocateDirect(names), slots, names, null);
  }

  /** Writes each page once, so the file's blocks are allocated now rather than by a call under a lock. */
  private static ByteBuffer touched(ByteBuffer mapped) {
    for (int p = 0; p < mapped.capacity(); p += 4096) {
      mapped.put(p, (byte) 0);
    }
    return mapped;
  }

  /** Deletes the tables of JVMs that are no longer running (they cannot delete them when killed). */
  static void removeStale(Path dir) {
    if (!Files.isDirectory(dir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, PREFIX + "*" + SUFFIX)) {
      for (Path f : files) {
        String name = f.getFileName().toString();
        int dash = name.indexOf('-', PREFIX.length());
        try {
          long pid = Long.parseLong(name.substring(PREFIX.length(), dash < 0 ? name.length() - SUFFIX.length() : dash));
          if (pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true)) {
            Files.deleteIfExists(f);
          }
        } catch (NumberFormatException | IOException e) {
          // not one of ours, or already gone
        }
      }
    } catch (IOException e) {
      Log.debug("budget tables in " + dir + " could not be listed: " + e.getMessage());
    }
  }

  private static void delete(@Nullable Path file) {
    if (file != null) {
      try {
        Files.deleteIfExists(file);
      } catch (IOException e) {
        // removed at exit or by the next JVM's start
      }
    }
  }

  /** The file this table is in now, if any. */
  @Nullable
  Path file() {
    return gen.file;
  }

  /** Deletes the table's file; the mapping stays usable by calls still finishing (off-heap memory after this). */
  @Override
  public void close() {
    closed = true;
    delete(gen.file);
  }
}
