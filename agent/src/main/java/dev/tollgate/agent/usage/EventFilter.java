package dev.tollgate.agent.usage;

import java.nio.charset.StandardCharsets;

/**
 * Tells, without parsing, whether an SSE event can carry usage or end the call, by what follows a
 * quote: a usage key opening an object, or a terminal event's marker. OpenAI puts {@code
 * "usage":null} in every chunk when usage was requested, so only a usage <em>object</em> counts
 * ({@code "usage":{}}, {@code "usageMetadata": {}}): the other chunks are never parsed.
 */
final class EventFilter {
  private static final byte[] USAGE_KEY = ascii("usage");
  private static final byte[][] TERMINAL = {
      ascii("message_stop\""), ascii("finishReason\""), ascii("message-end\""),
      ascii("response.completed\""), ascii("response.incomplete\""), ascii("response.failed\"")};
  /** The first letters of the usage key and the terminal markers: what follows most quotes is passed over at once. */
  private static final boolean[] FIRST_LETTER = new boolean[256];
  private static final long QUOTES = ByteScan.pattern('"');

  static {
    FIRST_LETTER[USAGE_KEY[0]] = true;
    for (byte[] needle : TERMINAL) {
      FIRST_LETTER[needle[0]] = true;
    }
  }

  private EventFilter() {}

  /**
   * Whether the event {@code b[from, to)} may matter. The quotes are found eight bytes at a time,
   * and only a quote followed by one of the markers' first letters (about three of a chat chunk's
   * forty) is compared with the markers.
   */
  static boolean mayMatter(byte[] b, int from, int to) {
    int i = from;
    for (; i <= to - Long.BYTES - 1; i += Long.BYTES) { // the byte after each quote is in the event too
      for (long quotes = ByteScan.zeroBytes(ByteScan.word(b, i) ^ QUOTES); quotes != 0; quotes &= quotes - 1) {
        int next = i + ByteScan.firstFlagged(quotes) + 1;
        if (FIRST_LETTER[b[next] & 0xff] && startsMarker(b, next, to)) {
          return true;
        }
      }
    }
    for (; i < to - 1; i++) {
      if (b[i] == '"' && FIRST_LETTER[b[i + 1] & 0xff] && startsMarker(b, i + 1, to)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a usage object or a terminal marker starts at {@code i}, just after a quote. */
  private static boolean startsMarker(byte[] b, int i, int to) {
    if (startsWith(b, i, to, USAGE_KEY)) {
      return opensObject(b, i + USAGE_KEY.length, to);
    }
    for (byte[] needle : TERMINAL) {
      if (startsWith(b, i, to, needle)) {
        return true;
      }
    }
    return false;
  }

  /** After a key's name: more name letters, the closing quote, a colon, then '{' (spaces allowed). */
  private static boolean opensObject(byte[] b, int i, int to) {
    while (i < to && Character.isLetter(b[i])) {
      i++;
    }
    if (i >= to || b[i++] != '"') {
      return false;
    }
    while (i < to && b[i] == ' ') {
      i++;
    }
    if (i >= to || b[i++] != ':') {
      return false;
    }
    while (i < to && b[i] == ' ') {
      i++;
    }
    return i < to && b[i] == '{';
  }

  static boolean startsWith(byte[] b, int from, int to, byte[] prefix) {
    if (to - from < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (b[from + i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
