package dev.tollgate.agent.source.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.List;
import dev.tollgate.agent.config.TollgateConfig.RedisSetting;
import redis.clients.jedis.ClientSetInfoConfig;
import redis.clients.jedis.DefaultJedisClientConfig;
import redis.clients.jedis.HostAndPort;
import redis.clients.jedis.JedisPooled;
import redis.clients.jedis.UnifiedJedis;
import redis.clients.jedis.exceptions.JedisException;
import redis.clients.jedis.exceptions.JedisNoScriptException;

/**
 * One shared wallet in Redis, as seen by one JVM: its keys ({@code tollgate:{name}:balance},
 * {@code :leases}, {@code :expiries}, {@code :reported}; the hash tag keeps them in one cluster
 * slot) and the one Lua script ({@code lease.lua}) that renews or releases this JVM's lease
 * atomically. The script runs by EVALSHA, falling back to EVAL when Redis does not have it cached.
 */
public final class RedisWallet implements AutoCloseable {
  static final String SCRIPT = load("lease.lua");
  static final String SHA = sha1(SCRIPT);
  static final String BUDGET_SCRIPT = load("budget.lua");
  static final String BUDGET_SHA = sha1(BUDGET_SCRIPT);

  private final UnifiedJedis jedis;
  private final List<String> keys;
  private final String prefix;
  private final String jvm;
  private final String ttlMillis;
  private final String where;
  private final /* @Nullable */ String secret;

  /**
   * @param where the server, as it may appear in messages (no credential)
   * @param secret the password, scrubbed from any message a failure carries
   */
  public RedisWallet(UnifiedJedis jedis, String name, String jvm, Duration ttl, String where, /* @Nullable */ String secret) {
    this.jedis = jedis;
    this.prefix = "tollgate:{" + name + "}:";
    this.keys = List.of(prefix + "balance", prefix + "leases", prefix + "expiries", prefix + "reported");
    this.jvm = jvm;
    this.ttlMillis = Long.toString(ttl.toMillis());
    this.where = where + " wallet " + name;
    this.secret = secret == null || secret.isEmpty() ? null : secret;
  }

  /** What the script answered: this JVM's lease, the wallet's unleased balance, whether the wallet exists. */
  public static final class Lease {
    public final long heldNanos;
    public final long balanceNanos;
    public final boolean funded;

    Lease(long heldNanos, long balanceNanos, boolean funded) {
      this.heldNanos = heldNanos;
      this.balanceNanos = balanceNanos;
      this.funded = funded;
    }
  }

  /** Connects (lazily: nothing is sent before the first command) to the wallet {@code s} names, as JVM {@code jvm}. */
  public static RedisWallet open(RedisSetting s, Duration timeout, String jvm) {
    int millis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
    DefaultJedisClientConfig.Builder config = DefaultJedisClientConfig.builder().connectionTimeoutMillis(millis).socketTimeoutMillis(millis)
        .database(s.database).ssl(s.tls).clientName("tollgate").clientSetInfoConfig(ClientSetInfoConfig.DISABLED);
    if (s.password != null) {
      config.user(s.user).password(s.password);
    }
    return new RedisWallet(new JedisPooled(new HostAndPort(s.host, s.port), config.build()), s.name, jvm, s.leaseTtl, s.where(), s.password);
  }

  /** The whole wallet as it stands: unleased balance, and what the leases hold (not yet reported as spent). */
  public static final class Totals {
    public final long balanceNanos;
    public final long leasedNanos;
    public final int leases;

    Totals(long balanceNanos, long leasedNanos, int leases) {
      this.balanceNanos = balanceNanos;
      this.leasedNanos = leasedNanos;
      this.leases = leases;
    }
  }

  /** Reads the wallet without changing it. @throws IOException when Redis cannot be read or the wallet does not exist */
  public Totals totals() throws IOException {
    try {
      String balance = jedis.get(keys.get(0));
      if (balance == null) {
        throw new IOException(where + " does not exist yet: start one JVM with tollgate.budget to fund it");
      }
      List<String> held = jedis.hvals(keys.get(1));
      return new Totals(Long.parseLong(balance), held.stream().mapToLong(Long::parseLong).sum(), held.size());
    } catch (JedisException | NumberFormatException e) {
      throw new IOException(where + ": " + scrub(e));
    }
  }

  /**
   * Reports spend ({@code total} now; {@code acked} is the total Redis last acknowledged, used only
   * if it has none for this JVM, so a report retried after a lost answer is not counted twice),
   * returns expired leases to the balance, and tops this JVM's lease up to {@code max(target,
   * held + extra)} as far as the balance goes.
   *
   * @param fundNanos the balance to create the wallet with if it does not exist, or -1
   */
  public Lease lease(long acked, long total, long target, long extra, long fundNanos) throws IOException {
    return run(acked, total, target, extra, fundNanos, "lease");
  }

  /** Reports spend and gives this JVM's whole lease back (at shutdown). */
  public Lease release(long acked, long total) throws IOException {
    return run(acked, total, 0, 0, -1, "release");
  }

  private Lease run(long acked, long total, long target, long extra, long fundNanos, String mode) throws IOException {
    List<String> args = List.of(jvm, Long.toString(acked), Long.toString(total), Long.toString(target), Long.toString(extra),
        ttlMillis, fundNanos < 0 ? "" : Long.toString(fundNanos), mode);
    try {
      List<?> r = (List<?>) eval(SCRIPT, SHA, keys, args);
      return new Lease((Long) r.get(0), (Long) r.get(1), ((Long) r.get(2)) == 1);
    } catch (JedisException | ClassCastException | IndexOutOfBoundsException e) {
      // No cause attached: only the scrubbed text leaves this class.
      throw new IOException(where + ": " + scrub(e));
    }
  }

  /**
   * Runs {@code budget.lua} (shared scoped budgets) as this JVM with {@code args} after its mode,
   * on keys under this wallet's prefix ({@link #budgetKey}); returns its answer as numbers.
   */
  long[] budgets(String mode, List<String> budgetKeys, List<String> args) throws IOException {
    List<String> all = new java.util.ArrayList<>(args.size() + 3);
    all.add(mode);
    all.add(jvm);
    all.add(ttlMillis);
    all.addAll(args);
    try {
      List<?> r = (List<?>) eval(BUDGET_SCRIPT, BUDGET_SHA, budgetKeys, all);
      long[] answer = new long[r.size()];
      for (int i = 0; i < answer.length; i++) {
        answer[i] = Long.parseLong(String.valueOf(r.get(i)));
      }
      return answer;
    } catch (JedisException | ClassCastException | NumberFormatException e) {
      throw new IOException(where + ": " + scrub(e));
    }
  }

  /** The key of one budget scope and period: in the wallet's cluster slot, readable with redis-cli. */
  String budgetKey(String scopeAndPeriod) {
    return prefix + "budget:" + scopeAndPeriod;
  }

  private Object eval(String script, String sha, List<String> scriptKeys, List<String> args) {
    try {
      return jedis.evalsha(sha, scriptKeys, args);
    } catch (JedisNoScriptException e) {
      return jedis.eval(script, scriptKeys, args); // caches it, so the next EVALSHA finds it
    }
  }

  /** The failure's class and message (and its cause's), with the password cut out wherever it appears. */
  private String scrub(Throwable e) {
    StringBuilder b = new StringBuilder();
    for (Throwable t = e; t != null && b.length() < 400; t = t.getCause() == t ? null : t.getCause()) {
      b.append(b.length() == 0 ? "" : " (").append(t.getClass().getSimpleName()).append(t.getMessage() == null ? "" : ": " + t.getMessage());
      if (t != e) {
        b.append(')');
      }
    }
    String text = b.toString();
    return secret == null ? text : text.replace(secret, "…");
  }

  /** The server and wallet name, without credentials. */
  @Override
  public String toString() {
    return where;
  }

  @Override
  public void close() {
    jedis.close();
  }

  private static String load(String resource) {
    try (InputStream in = RedisWallet.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IllegalStateException("missing " + resource + " next to " + RedisWallet.class.getName());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha1(String text) {
    try {
      StringBuilder hex = new StringBuilder();
      for (byte b : MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8))) {
        hex.append(Character.forDigit((b >> 4) & 0xf, 16)).append(Character.forDigit(b & 0xf, 16));
      }
      return hex.toString();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
