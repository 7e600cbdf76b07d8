package dev.tollgate.agent.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;

/**
 * Writes an {@link Instant} as {@link Instant#toString()} spells it ({@code 2025-09-02T10:00:00.123456Z}:
 * the fraction in groups of three digits, none when zero) without {@code DateTimeFormatter}, whose
 * cost was a large part of a journal append. Years outside 0000–9999 take {@code toString()}.
 */
final class IsoInstant {
  private static final long FIRST_SECOND = -62_167_219_200L; // 0000-01-01T00:00:00Z
  private static final long END_SECOND = 253_402_300_800L; // 10000-01-01T00:00:00Z
  private static final int SECONDS_PER_DAY = 86_400;
  /** {@code 9999-12-31T23:59:59.999999999Z}: the room a caller's scratch array needs. */
  static final int MAX_LENGTH = 30;

  private IsoInstant() {}

  /** Writes {@code t} as a JSON string value, spelled in {@code c} (at least {@link #MAX_LENGTH} long). */
  static void write(JsonGenerator g, Instant t, char[] c) throws IOException {
    long seconds = t.getEpochSecond();
    if (seconds < FIRST_SECOND || seconds >= END_SECOND) {
      g.writeString(t.toString());
      return;
    }
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    int n = Digits.padded(c, 0, date.getYear(), 4);
    c[n++] = '-';
    n = Digits.padded(c, n, date.getMonthValue(), 2);
    c[n++] = '-';
    n = Digits.padded(c, n, date.getDayOfMonth(), 2);
    c[n++] = 'T';
    n = Digits.padded(c, n, secondOfDay / 3600, 2);
    c[n++] = ':';
    n = Digits.padded(c, n, secondOfDay / 60 % 60, 2);
    c[n++] = ':';
    n = Digits.padded(c, n, secondOfDay % 60, 2);
    n = fraction(c, n, t.getNano());
    c[n++] = 'Z';
    g.writeString(c, 0, n);
  }

  private static int fraction(char[] c, int n, int nanos) {
    if (nanos == 0) {
      return n;
    }
    c[n++] = '.';
    if (nanos % 1_000_000 == 0) {
      return Digits.padded(c, n, nanos / 1_000_000, 3);
    }
    if (nanos % 1_000 == 0) {
      return Digits.padded(c, n, nanos / 1_000, 6);
    }
    return Digits.padded(c, n, nanos, 9);
  }
}
