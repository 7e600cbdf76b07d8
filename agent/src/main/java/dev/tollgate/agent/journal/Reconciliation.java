package dev.tollgate.agent.journal;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * One reconciliation as the journal holds it: over the window {@code (windowStart, windowEnd]}, what
 * the remote credit source says was spent ({@code remote}), what this data dir's journal spent
 * ({@code local}), and {@code drift = remote − local}, all in credits. A line of its own kind
 * ({@code "kind":"reconciliation"}) that spend readers never count.
 */
public final class Reconciliation {
  public final String id;
  public final Instant time;
  public final String source;
  public final Instant windowStart;
  public final Instant windowEnd;
  public final BigDecimal remote;
  public final BigDecimal local;
  public final BigDecimal drift;

  public Reconciliation(String id, Instant time, String source, Instant windowStart, Instant windowEnd, BigDecimal remote,
      BigDecimal local) {
    this.id = Objects.requireNonNull(id, "id");
    this.time = Objects.requireNonNull(time, "time");
    this.source = Objects.requireNonNull(source, "source");
    this.windowStart = Objects.requireNonNull(windowStart, "windowStart");
    this.windowEnd = Objects.requireNonNull(windowEnd, "windowEnd");
    this.remote = Objects.requireNonNull(remote, "remote");
    this.local = Objects.requireNonNull(local, "local");
    this.drift = remote.subtract(local);
  }

  @Override
  public String toString() {
    return "reconciliation " + source + " " + windowStart + ".." + windowEnd + " remote=" + remote.toPlainString()
        + " local=" + local.toPlainString() + " drift=" + drift.toPlainString();
  }
}
