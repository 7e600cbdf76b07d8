package dev.tollgate.agent.cli;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * {@code --from T} / {@code --to T} of {@code report}: both inclusive; {@code T} is an instant
 * ({@code 2026-12-07T10:00:00Z}) or a UTC date ({@code 2026-12-07}), which as {@code --to} takes in
 * the whole day.
 */
final class TimeRange {
  static final TimeRange ALL = new TimeRange(Instant.MIN, Instant.MAX);

  /** Inclusive start; exclusive end. */
  private final Instant from;
  private final Instant until;

  private TimeRange(Instant from, Instant until) {
    this.from = from;
    this.until = until;
  }

  /** @throws IllegalArgumentException naming the option whose value is neither a date nor an instant, or when they are reversed */
  static TimeRange of(/* @Nullable */ String from, /* @Nullable */ String to) {
    Instant start = from == null ? Instant.MIN : parse("--from", from, false);
    Instant end = to == null ? Instant.MAX : parse("--to", to, true);
    if (!end.isAfter(start)) {
      throw new IllegalArgumentException("--to " + to + " is before --from " + from);
    }
    return new TimeRange(start, end);
  }

  /** {@code text} as the start of its range, or (for {@code --to}) the first instant after it. */
  private static Instant parse(String option, String text, boolean end) {
    try {
      if (text.length() == 10) {
        LocalDate day = LocalDate.parse(text);
        return (end ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
      }
      Instant at = Instant.parse(text);
      return end ? at.plusNanos(1) : at;
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(option + " must be a date or an instant (2026-12-07 or 2026-12-07T10:00:00Z), was '" + text + "'");
    }
  }

  boolean contains(Instant t) {
    return !t.isBefore(from) && t.isBefore(until);
  }
}
