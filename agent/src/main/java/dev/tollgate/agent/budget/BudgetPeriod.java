package dev.tollgate.agent.budget;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.time.temporal.TemporalAdjusters;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A budget's period: a calendar hour, day, week (from Monday) or month in the budget time zone, or
 * the whole lifetime of the data dir. Boundaries are local midnights (or hours) resolved in the zone,
 * so a day across a DST change is 23 or 25 hours long and a day that starts inside a gap starts at
 * the first instant that exists.
 */
public enum BudgetPeriod {
  LIFETIME, HOUR, DAY, WEEK, MONTH;

  /** The period's name as configured and reported: {@code day}, {@code lifetime}… */
  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** {@code hour}, {@code day}, {@code week} or {@code month}; null for any other text. */
  static @Nullable BudgetPeriod parse(String text) {
    switch (text.trim().toLowerCase(Locale.ROOT)) {
      case "hour":
        return HOUR;
      case "day":
        return DAY;
      case "week":
        return WEEK;
      case "month":
        return MONTH;
      default:
        return null;
    }
  }

  /** The first instant of the period holding {@code t}; {@link Instant#EPOCH} for a lifetime budget. */
  public Instant start(Instant t, ZoneId zone) {
    if (this == LIFETIME) {
      return Instant.EPOCH;
    }
    if (this == HOUR) {
      // Truncating the zoned time keeps its offset, so the repeated hour of a DST fall-back is its own period.
      return t.atZone(zone).truncatedTo(ChronoUnit.HOURS).toInstant();
    }
    return firstDay(t.atZone(zone).toLocalDate()).atStartOfDay(zone).toInstant();
  }

  /** The first instant after the period holding {@code t}; null for a lifetime budget. */
  public @Nullable Instant end(Instant t, ZoneId zone) {
    switch (this) {
      case LIFETIME:
        return null;
      case HOUR:
        return nextHour(t.atZone(zone).truncatedTo(ChronoUnit.HOURS)).toInstant();
      case DAY:
        return next(t, zone, 1, ChronoUnit.DAYS);
      case WEEK:
        return next(t, zone, 1, ChronoUnit.WEEKS);
      default:
        return next(t, zone, 1, ChronoUnit.MONTHS);
    }
  }

  private Instant next(Instant t, ZoneId zone, long n, ChronoUnit unit) {
    return firstDay(t.atZone(zone).toLocalDate()).plus(n, unit).atStartOfDay(zone).toInstant();
  }

  /** The next local hour, on the instant time line (a 30-minute DST shift still ends at the next full hour). */
  private static ZonedDateTime nextHour(ZonedDateTime hour) {
    ZonedDateTime next = hour.plusHours(1);
    return next.truncatedTo(ChronoUnit.HOURS).toInstant().isAfter(hour.toInstant()) ? next.truncatedTo(ChronoUnit.HOURS) : next;
  }

  private LocalDate firstDay(LocalDate d) {
    switch (this) {
      case WEEK:
        return d.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
      case MONTH:
        return d.withDayOfMonth(1);
      default:
        return d;
    }
  }
}
