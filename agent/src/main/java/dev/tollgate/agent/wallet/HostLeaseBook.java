package dev.tollgate.agent.wallet;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The shared state of the JVMs on one data dir, as its state file holds it: the wallet's buckets
 * (the local ledger, with every JVM's reported spend drawn from them) and each JVM's lease. The
 * arithmetic is the Redis wallet's ({@code lease.lua}): the unleased balance is the ledger's
 * balance less every lease; a JVM's report draws its spend from its lease and, beyond it, from the
 * unleased balance; a lease is topped up from the unleased balance, never beyond it.
 *
 * <p>Pure and not thread-safe: {@link HostLeaseFile} reads it, changes it and writes it back under
 * an exclusive file lock. All amounts in nano-credits.
 */
final class HostLeaseBook {
  private static final String HEADER = "tollgate-host-wallet 1";

  final LocalLedger ledger;
  private final Map<String, Holder> holders = new LinkedHashMap<>();

  /** One JVM's lease: what it holds, and the spend total it last reported. */
  static final class Holder {
    long held;
    long reported;

    Holder(long held, long reported) {
      this.held = held;
      this.reported = reported;
    }
  }

  HostLeaseBook(LocalLedger ledger) {
    this.ledger = ledger;
  }

  /**
   * Reads a state file's lines onto {@code grants} (the budget and {@code grants.jsonl}): a grant
   * the file does not name yet (made since with {@code tollgate grant}) counts in full.
   *
   * @throws IllegalArgumentException when the text is not a state file
   */
  static HostLeaseBook decode(List<String> lines, List<Grant> grants) {
    if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
      throw new IllegalArgumentException("not a host wallet state");
    }
    HostLeaseBook book = new HostLeaseBook(new LocalLedger(grants));
    for (String line : lines.subList(1, lines.size())) {
      String[] f = line.split(" ");
      switch (f[0]) {
        case "bucket":
          book.ledger.restore(f[1], Long.parseLong(f[2]), f[3].equals("1"), Long.parseLong(f[4]));
          break;
        case "overdraft":
          book.ledger.restoreOverdraft(Long.parseLong(f[1]));
          break;
        case "holder":
          book.holders.put(f[1], new Holder(Long.parseLong(f[2]), Long.parseLong(f[3])));
          break;
        default:
          throw new IllegalArgumentException("unknown line in host wallet state: " + f[0]);
      }
    }
    return book;
  }

  /** The state file's lines. Grant ids are {@code budget} or {@code grant-<hex>}, never with spaces. */
  List<String> encode() {
    List<String> lines = new ArrayList<>();
    lines.add(HEADER);
    for (LocalLedger.Bucket b : ledger.all()) {
      lines.add("bucket " + b.grant.id + " " + b.remaining + " " + (b.isExpired ? 1 : 0) + " " + b.expired);
    }
    lines.add("overdraft " + ledger.overdraftNanos());
    holders.forEach((jvm, h) -> lines.add("holder " + jvm + " " + h.held + " " + h.reported));
    return lines;
  }

  /** The JVMs holding a lease. */
  List<String> holders() {
    return new ArrayList<>(holders.keySet());
  }

  /** What {@code jvm} holds, 0 if none. */
  long held(String jvm) {
    Holder h = holders.get(jvm);
    return h == null ? 0 : h.held;
  }

  /** The wallet's balance less every lease: what may still be lent. Negative when buckets expired under leases. */
  long unleased(Instant now) {
    long sum = 0;
    for (Holder h : holders.values()) {
      sum += h.held;
    }
    return ledger.balanceNanos(now) - sum;
  }

  /**
   * Draws {@code jvm}'s spend since its last report from the buckets at {@code now}: from its lease
   * first, beyond it from the unleased balance (never lost).
   *
   * @param acked the total this JVM last had acknowledged, used when the book has no report of it
   * @param total its spend total now
   */
  void report(String jvm, long acked, long total, Instant now) {
    Holder h = holders.computeIfAbsent(jvm, j -> new Holder(0, acked));
    long spent = Math.max(0, total - h.reported);
    ledger.debit(now, spent);
    h.held = Math.max(0, h.held - spent);
    h.reported = Math.max(h.reported, total);
  }

  /**
   * Reports spend, then tops the lease up to {@code max(target, held + extra)} as far as the
   * unleased balance goes; when buckets expired under the leases (the unleased balance is negative),
   * gives back what it can instead. Returns what {@code jvm} holds.
   */
  long lease(String jvm, long acked, long total, long target, long extra, Instant now) {
    report(jvm, acked, total, now);
    Holder h = Objects.requireNonNull(holders.get(jvm), "report adds the holder");
    long unleased = unleased(now);
    if (unleased < 0) {
      h.held = Math.max(0, h.held + unleased);
    } else {
      long add = Math.min(Math.max(target, h.held + extra) - h.held, unleased);
      h.held += Math.max(0, add);
    }
    return h.held;
  }

  /**
   * The lease of a JVM that died: its spend since its last report is drawn ({@code deadTotal}, the
   * spend total it had published; -1 when unknown, as after a lost report in Redis) and the rest
   * returns to the unleased balance.
   */
  void reclaim(String jvm, long deadTotal, Instant now) {
    Holder h = holders.get(jvm);
    if (h != null && deadTotal >= 0) {
      report(jvm, h.reported, deadTotal, now);
    }
    holders.remove(jvm);
  }
}
