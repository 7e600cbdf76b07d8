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

  private IsoInstant() {}

  /** Writes {@code t} as a JSON string value. */
  static void write(JsonGenerator g, Instant t) throws IOException {
    long seconds = t.getEpochSecond();
    if (seconds < FIRST_SECOND || seconds >= END_SECOND) {
      g.writeString(t.toString());
      return;
    }
    char[] c = new char[30];
    LocalDate date = LocalDate.ofEpochDay(Math.floorDiv(seconds, SECONDS_PER_DAY));
    int secondOfDay = (int) Math.floorMod(seconds, SECONDS_PER_DAY);
    int n = digits(c, 0, date.getYear(), 4);
    c[n++] = '-';
    n = digits(c, n, date.getMonthValue(), 2);
    c[n++] = '-';
    n = digits(c, n, date.getDayOfMonth(), 2);
    c[n++] = 'T';
    n = digits(c, n, secondOfDay / 3600, 2);
    c[n++] = ':';
    n = digits(c, n, secondOfDay / 60 % 60, 2);
    c[n++] = ':';
    n = digits(c, n, secondOfDay % 60, 2);
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
      return digits(c, n, nanos / 1_000_000, 3);
    }
    if (nanos % 1_000 == 0) {
      return digits(c, n, nanos / 1_000, 6);
    }
    return digits(c, n, nanos, 9);
  }

  /** {@code value} in {@code width} decimal digits, zero-padded, at {@code c[n]}; returns the end. */
  private static int digits(char[] c, int n, int value, int width) {
    for (int i = n + width - 1; i >= n; i--) {
      c[i] = (char) ('0' + value % 10);
      value /= 10;
    }
    return n + width;
  }
}
