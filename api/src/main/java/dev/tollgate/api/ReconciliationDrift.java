package dev.tollgate.api;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A reconciliation whose drift went beyond {@code tollgate.drift-threshold}: over one window, the
 * remote credit source's own figure for what was spent differs from what Tollgate metered.
 */
public final class ReconciliationDrift {
  private final String source;
  private final Instant windowStart;
  private final Instant windowEnd;
  private final BigDecimal remote;
  private final BigDecimal local;

  /**
   * @param source the credit source, for example {@code "openrouter"}
   * @param windowStart the window's start (exclusive): the previous reconciliation's read
   * @param windowEnd the window's end (inclusive): this reconciliation's read
   * @param remote credits the source says were spent in the window
   * @param local credits Tollgate metered in the window
   */
  public ReconciliationDrift(String source, Instant windowStart, Instant windowEnd, BigDecimal remote, BigDecimal local) {
    this.source = Objects.requireNonNull(source, "source");
    this.windowStart = Objects.requireNonNull(windowStart, "windowStart");
    this.windowEnd = Objects.requireNonNull(windowEnd, "windowEnd");
    this.remote = Objects.requireNonNull(remote, "remote");
    this.local = Objects.requireNonNull(local, "local");
  }

  /** The credit source that was compared, for example {@code "openrouter"}. */
  public String source() {
    return source;
  }

  /** The window's start (exclusive). */
  public Instant windowStart() {
    return windowStart;
  }

  /** The window's end (inclusive). */
  public Instant windowEnd() {
    return windowEnd;
  }

  /** Credits the remote source says were spent in the window. */
  public BigDecimal remote() {
    return remote;
  }

  /** Credits Tollgate metered in the window. */
  public BigDecimal local() {
    return local;
  }

  /**
   * {@code remote − local}: positive when the source billed more than was metered (unmetered
   * traffic, another process on the same key), negative when it billed less (price catalog out of
   * date, calls the provider did not bill).
   */
  public BigDecimal drift() {
    return remote.subtract(local);
  }

  @Override
  public String toString() {
    return "ReconciliationDrift{" + source + ' ' + windowStart + ".." + windowEnd + ", remote=" + remote.toPlainString()
        + ", local=" + local.toPlainString() + ", drift=" + drift().toPlainString() + '}';
  }
}
