package dev.tollgate.agent.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import org.jspecify.annotations.Nullable;

/**
 * {@code --from T} / {@code --to T} of {@code report} and {@code ledger}, both inclusive. T is an instant ({@code
 * 2026-12-07T10:00:00Z}) or a date in UTC: {@code --from 2026-12-01} starts at that day's first
 * instant, {@code --to 2026-12-07} takes in the whole of that day.
 */
final class TimeRange {
  static final TimeRange ALL = new TimeRange(null, null);

  /** Inclusive, or null for no lower bound. */
  final @Nullable Instant from;
  /** Exclusive, or null for no upper bound. */
  final @Nullable Instant until;

  private TimeRange(@Nullable Instant from, @Nullable Instant until) {
    this.from = from;
    this.until = until;
  }

  /** The range of the two options' values (either may be null). @throws IllegalArgumentException naming the bad option */
  static TimeRange of(@Nullable String from, @Nullable String to) {
    Instant start = from == null ? null : parse("--from", from, false);
    Instant end = to == null ? null : parse("--to", to, true);
    if (start != null && end != null && !start.isBefore(end)) {
      throw new IllegalArgumentException("--from " + from + " is after --to " + to);
    }
    return new TimeRange(start, end);
  }

  boolean contains(Instant t) {
    return (from == null || !t.isBefore(from)) && (until == null || t.isBefore(until));
  }

  /** The first instant past {@code t} when {@code end}: an inclusive bound made exclusive. */
  private static Instant parse(String option, String t, boolean end) {
    try {
      if (t.length() == 10) {
        LocalDate day = LocalDate.parse(t);
        return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      Instant i = Instant.parse(t);
      return end ? i.plusNanos(1) : i;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + " must be a date or an instant (2026-12-07 or 2026-12-07T10:00:00Z); was " + t);
    }
  }
}
