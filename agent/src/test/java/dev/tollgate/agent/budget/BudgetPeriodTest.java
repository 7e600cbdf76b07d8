package dev.tollgate.agent.budget;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** Calendar periods: time zones, DST changes, month ends and leap days. */
class BudgetPeriodTest {
  private static final ZoneId UTC = ZoneOffset.UTC;
  private static final ZoneId NEW_YORK = ZoneId.of("America/New_York");
  private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
  private static final ZoneId KOLKATA = ZoneId.of("Asia/Kolkata");

  @Test
  void day_inUtc_isMidnightToMidnight() {
    Instant t = Instant.parse("2026-12-07T13:45:00Z");
    assertThat(BudgetPeriod.DAY.start(t, UTC)).isEqualTo("2026-12-07T00:00:00Z");
    assertThat(BudgetPeriod.DAY.end(t, UTC)).isEqualTo("2026-12-08T00:00:00Z");
  }

  @Test
  void day_inAnotherZone_followsItsLocalMidnight() {
    // 02:00 UTC on the 7th is still the 6th in New York (UTC−5) and already the 7th in Kolkata (UTC+5:30).
    Instant t = Instant.parse("2026-12-07T02:00:00Z");
    assertThat(BudgetPeriod.DAY.start(t, NEW_YORK)).isEqualTo("2026-12-06T05:00:00Z");
    assertThat(BudgetPeriod.DAY.end(t, NEW_YORK)).isEqualTo("2026-12-07T05:00:00Z");
    assertThat(BudgetPeriod.DAY.start(t, KOLKATA)).isEqualTo("2026-12-06T18:30:00Z");
    assertThat(BudgetPeriod.DAY.end(t, KOLKATA)).isEqualTo("2026-12-07T18:30:00Z");
  }

  @Test
  void day_ofSpringForward_is23Hours_andOfFallBack_25() {
    Instant spring = Instant.parse("2026-03-08T12:00:00Z"); // New York moves to EDT at 02:00 local that day
    assertThat(Duration.between(BudgetPeriod.DAY.start(spring, NEW_YORK), BudgetPeriod.DAY.end(spring, NEW_YORK))).hasHours(23);
    Instant fall = Instant.parse("2026-11-01T12:00:00Z"); // and back to EST
    assertThat(Duration.between(BudgetPeriod.DAY.start(fall, NEW_YORK), BudgetPeriod.DAY.end(fall, NEW_YORK))).hasHours(25);
    assertThat(BudgetPeriod.DAY.start(fall, NEW_YORK)).isEqualTo("2026-11-01T04:00:00Z");
    assertThat(BudgetPeriod.DAY.end(fall, NEW_YORK)).isEqualTo("2026-11-02T05:00:00Z");
  }

  @Test
  void hour_repeatedByFallBack_isTwoPeriods() {
    // 01:30 EDT and 01:30 EST are both local 01:30 on 2026-11-01: two different hours.
    Instant first = Instant.parse("2026-11-01T05:30:00Z");
    Instant second = Instant.parse("2026-11-01T06:30:00Z");
    assertThat(BudgetPeriod.HOUR.start(first, NEW_YORK)).isEqualTo("2026-11-01T05:00:00Z");
    assertThat(BudgetPeriod.HOUR.end(first, NEW_YORK)).isEqualTo("2026-11-01T06:00:00Z");
    assertThat(BudgetPeriod.HOUR.start(second, NEW_YORK)).isEqualTo("2026-11-01T06:00:00Z");
    assertThat(BudgetPeriod.HOUR.end(second, NEW_YORK)).isEqualTo("2026-11-01T07:00:00Z");
  }

  @Test
  void hour_beforeSpringForwardGap_endsWhereTheNextExistingHourStarts() {
    Instant t = Instant.parse("2026-03-29T00:30:00Z"); // 01:30 CET; 02:00 local does not exist in Berlin that night
    assertThat(BudgetPeriod.HOUR.start(t, BERLIN)).isEqualTo("2026-03-29T00:00:00Z");
    assertThat(BudgetPeriod.HOUR.end(t, BERLIN)).isEqualTo("2026-03-29T01:00:00Z"); // 03:00 CEST
  }

  @Test
  void hour_inAHalfHourZone_startsAtItsLocalHour() {
    Instant t = Instant.parse("2026-12-07T02:10:00Z"); // 07:40 in Kolkata
    assertThat(BudgetPeriod.HOUR.start(t, KOLKATA)).isEqualTo("2026-12-07T01:30:00Z");
    assertThat(BudgetPeriod.HOUR.end(t, KOLKATA)).isEqualTo("2026-12-07T02:30:00Z");
  }

  @Test
  void week_startsOnMonday_acrossAYearEnd() {
    Instant t = Instant.parse("2027-01-01T10:00:00Z"); // a Friday
    assertThat(BudgetPeriod.WEEK.start(t, UTC)).isEqualTo("2026-12-28T00:00:00Z");
    assertThat(BudgetPeriod.WEEK.end(t, UTC)).isEqualTo("2027-01-04T00:00:00Z");
    Instant monday = Instant.parse("2026-12-28T00:00:00Z");
    assertThat(BudgetPeriod.WEEK.start(monday, UTC)).isEqualTo(monday);
  }

  @Test
  void week_acrossDst_endsAtLocalMondayMidnight() {
    Instant t = Instant.parse("2026-10-29T12:00:00Z"); // the week Berlin leaves summer time (Sunday 25 Oct was the change)
    assertThat(BudgetPeriod.WEEK.start(t, BERLIN)).isEqualTo("2026-10-25T23:00:00Z"); // Monday 26th, 00:00 CET
    Instant sunday = Instant.parse("2026-10-25T12:00:00Z");
    assertThat(BudgetPeriod.WEEK.start(sunday, BERLIN)).isEqualTo("2026-10-18T22:00:00Z"); // Monday 19th, 00:00 CEST
    assertThat(BudgetPeriod.WEEK.end(sunday, BERLIN)).isEqualTo("2026-10-25T23:00:00Z");
  }

  @Test
  void month_endsOnItsLastDay_including31stAndFebruary() {
    assertThat(BudgetPeriod.MONTH.end(Instant.parse("2026-01-31T23:59:59Z"), UTC)).isEqualTo("2026-02-01T00:00:00Z");
    assertThat(BudgetPeriod.MONTH.start(Instant.parse("2026-02-01T00:00:00Z"), UTC)).isEqualTo("2026-02-01T00:00:00Z");
    assertThat(BudgetPeriod.MONTH.end(Instant.parse("2026-02-15T00:00:00Z"), UTC)).isEqualTo("2026-03-01T00:00:00Z");
    assertThat(BudgetPeriod.MONTH.end(Instant.parse("2026-12-31T12:00:00Z"), UTC)).isEqualTo("2027-01-01T00:00:00Z");
  }

  @Test
  void leapDay_belongsToFebruary_andIsADay() {
    Instant leap = Instant.parse("2028-02-29T18:00:00Z");
    assertThat(BudgetPeriod.MONTH.start(leap, UTC)).isEqualTo("2028-02-01T00:00:00Z");
    assertThat(BudgetPeriod.MONTH.end(leap, UTC)).isEqualTo("2028-03-01T00:00:00Z");
    assertThat(BudgetPeriod.DAY.start(leap, UTC)).isEqualTo("2028-02-29T00:00:00Z");
    assertThat(BudgetPeriod.DAY.end(leap, UTC)).isEqualTo("2028-03-01T00:00:00Z");
    assertThat(BudgetPeriod.WEEK.start(leap, UTC)).isEqualTo("2028-02-28T00:00:00Z"); // Tuesday 29th → Monday 28th
  }

  @Test
  void month_inAZoneAheadOfUtc_startsTheDayBeforeInUtc() {
    Instant t = Instant.parse("2026-02-28T23:30:00Z"); // already 1 March in Berlin
    assertThat(BudgetPeriod.MONTH.start(t, BERLIN)).isEqualTo("2026-02-28T23:00:00Z");
    assertThat(BudgetPeriod.MONTH.end(t, BERLIN)).isEqualTo("2026-03-31T22:00:00Z"); // 1 April 00:00 CEST
  }

  @Test
  void dayStartingInAGap_startsAtTheFirstInstantThatExists() {
    ZoneId santiago = ZoneId.of("America/Santiago"); // clocks jump from 00:00 to 01:00 on 2026-09-06
    Instant t = Instant.parse("2026-09-06T12:00:00Z");
    assertThat(BudgetPeriod.DAY.start(t, santiago)).isEqualTo("2026-09-06T04:00:00Z"); // 01:00 −03:00
  }

  @Test
  void lifetime_neverEnds() {
    Instant t = Instant.parse("2026-12-07T13:45:00Z");
    assertThat(BudgetPeriod.LIFETIME.start(t, UTC)).isEqualTo(Instant.EPOCH);
    assertThat(BudgetPeriod.LIFETIME.end(t, UTC)).isNull();
  }
}
