package dev.tollgate.agent.journal;

import dev.tollgate.api.UsageRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;

/**
 * Encodes journal lines (the format {@link JournalCodec} reads) into one reused buffer, byte for
 * byte as Jackson's UTF-8 generator wrote them: a generator per record was most of an append's
 * cost and all of its garbage, and a reused one was still slower than copying constant bytes.
 * {@code LineEncoderTest} holds it to Jackson's output. Not thread-safe: the journal's writer owns one.
 */
final class LineEncoder {
  private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);
  /** Per ASCII character, as Jackson escapes it: 0 as is, a letter for a two-character escape, -1 for {@code \}{@code u00XX}. */
  private static final int[] ESCAPES = escapes();
  /** A string is escaped in segments of this many characters, so the room it needs stays small. */
  private static final int SEGMENT = 1024;
  private static final int INITIAL = 1024;
  /** One huge record does not pin its size for the journal's life. */
  private static final int KEPT = 64 * 1024;

  // Everything between two values, encoded once.
  private static final byte[] V_ID = ascii("{\"v\":" + JournalCodec.VERSION + ",\"id\":");
  private static final byte[] TIME = name("time");
  private static final byte[] PROVIDER = name("provider");
  private static final byte[] MODEL = name("model");
  private static final byte[] OPERATION = name("operation");
  private static final byte[] ENDPOINT = name("endpoint");
  private static final byte[] STATUS = name("status");
  private static final byte[] HTTP_STATUS = name("http_status");
  private static final byte[] INPUT_TOKENS = name("input_tokens");
  private static final byte[] OUTPUT_TOKENS = name("output_tokens");
  private static final byte[] CACHE_READ_TOKENS = name("cache_read_tokens");
  private static final byte[] CACHE_WRITE_TOKENS = name("cache_write_tokens");
  private static final byte[] REASONING_TOKENS = name("reasoning_tokens");
  private static final byte[] COST = name("cost");
  private static final byte[] ESTIMATED = name("estimated");
  private static final byte[] UNPRICED = name("unpriced");
  private static final byte[] RESERVATION = name("reservation");
  private static final byte[] LATENCY_MS = name("latency_ms");
  private static final byte[] STREAM = name("stream");
  private static final byte[] ATTRIBUTES = ascii(",\"attributes\":{");
  private static final byte[] REQUEST_ID = name("request_id");
  private static final byte[] END = ascii("}\n");
  private static final byte[] V_KIND = ascii("{\"v\":" + JournalCodec.VERSION + ",\"kind\":");
  private static final byte[] ID = name("id");
  private static final byte[] SOURCE = name("source");
  private static final byte[] WINDOW_START = name("window_start");
  private static final byte[] WINDOW_END = name("window_end");
  private static final byte[] REMOTE = name("remote");
  private static final byte[] LOCAL = name("local");
  private static final byte[] DRIFT = name("drift");
  private static final byte[] TRUE = ascii("true");
  private static final byte[] FALSE = ascii("false");
  private static final byte[] MIN_LONG = ascii(Long.toString(Long.MIN_VALUE));
  private static final byte[][] STATUS_VALUES =
      Arrays.stream(UsageRecord.Status.values()).map(s -> ascii('"' + s.wireName() + '"')).toArray(byte[][]::new);

  private byte[] b = new byte[INITIAL];
  private int n;

  /** The encoded line's bytes, from 0 to {@link #length()}; valid until the next encode. */
  byte[] bytes() {
    return b;
  }

  int length() {
    return n;
  }

  /** Encodes {@code record}, a {@link UsageRecord} or a {@link Reconciliation}, as one line ending in {@code \n}. */
  void encode(Object record) {
    if (b.length > KEPT) {
      b = new byte[INITIAL];
    }
    n = 0;
    try {
      if (record instanceof UsageRecord) {
        usage((UsageRecord) record);
      } else {
        reconciliation((Reconciliation) record);
      }
      raw(END);
    } catch (RuntimeException e) {
      n = 0;
      throw e;
    }
  }

  private void usage(UsageRecord r) {
    raw(V_ID);
    string(r.id());
    raw(TIME);
    time(r.time());
    raw(PROVIDER);
    string(r.provider());
    raw(MODEL);
    string(r.model());
    raw(OPERATION);
    string(r.operation());
    raw(ENDPOINT);
    string(r.endpoint());
    raw(STATUS);
    raw(STATUS_VALUES[r.status().ordinal()]);
    number(HTTP_STATUS, r.httpStatus());
    number(INPUT_TOKENS, r.inputTokens());
    number(OUTPUT_TOKENS, r.outputTokens());
    number(CACHE_READ_TOKENS, r.cacheReadTokens());
    number(CACHE_WRITE_TOKENS, r.cacheWriteTokens());
    number(REASONING_TOKENS, r.reasoningTokens());
    amount(COST, r.cost());
    bool(ESTIMATED, r.estimated());
    bool(UNPRICED, r.unpriced());
    amount(RESERVATION, r.reservation());
    number(LATENCY_MS, r.latencyMillis());
    bool(STREAM, r.stream());
    attributes(r.attributes());
    if (r.requestId() != null) {
      raw(REQUEST_ID);
      string(r.requestId());
    }
  }

  private void attributes(Map<String, String> attributes) {
    raw(ATTRIBUTES);
    boolean first = true;
    for (Map.Entry<String, String> a : attributes.entrySet()) {
      if (!first) {
        raw((byte) ',');
      }
      first = false;
      string(a.getKey());
      raw((byte) ':');
      string(a.getValue());
    }
    raw((byte) '}');
  }

  private void reconciliation(Reconciliation r) {
    raw(V_KIND);
    string(JournalCodec.RECONCILIATION);
    raw(ID);
    string(r.id);
    raw(TIME);
    string(r.time.toString());
    raw(SOURCE);
    string(r.source);
    raw(WINDOW_START);
    string(r.windowStart.toString());
    raw(WINDOW_END);
    string(r.windowEnd.toString());
    amount(REMOTE, r.remote);
    amount(LOCAL, r.local);
    amount(DRIFT, r.drift);
  }

  private void number(byte[] field, long value) {
    raw(field);
    if (value == Long.MIN_VALUE) {
      raw(MIN_LONG); // the one long whose digits do not fit a positive long
      return;
    }
    ensure(20);
    if (value < 0) {
      b[n++] = '-';
      value = -value;
    }
    n = Digits.write(b, n, value);
  }

  private void bool(byte[] field, boolean value) {
    raw(field);
    raw(value ? TRUE : FALSE);
  }

  private void amount(byte[] field, BigDecimal value) {
    raw(field);
    if (!PlainAmount.spells(value)) {
      raw(ascii(value.toPlainString()));
      return;
    }
    ensure(PlainAmount.MAX_LENGTH);
    n = PlainAmount.write(b, n, value);
  }

  private void time(Instant t) {
    if (!IsoInstant.spells(t)) {
      string(t.toString());
      return;
    }
    ensure(IsoInstant.MAX_LENGTH + 2);
    b[n++] = '"';
    n = IsoInstant.write(b, n, t);
    b[n++] = '"';
  }

  /** {@code s} as a JSON string: quoted, escaped and UTF-8 encoded as Jackson writes it. */
  private void string(String s) {
    raw((byte) '"');
    for (int from = 0; from < s.length(); from += SEGMENT) {
      segment(s, from, Math.min(s.length(), from + SEGMENT));
    }
    raw((byte) '"');
  }

  private void segment(String s, int from, int to) {
    ensure(6 * (to - from)); // the most a character takes: a \\uXXXX escape
    byte[] b = this.b;
    int n = this.n;
    for (int i = from; i < to; i++) {
      char c = s.charAt(i);
      if (c < 0x80 && ESCAPES[c] == 0) {
        b[n++] = (byte) c;
      } else if (c < 0x80) {
        n = escape(b, n, c);
      } else if (c < 0x800) {
        b[n++] = (byte) (0xC0 | c >> 6);
        b[n++] = (byte) (0x80 | c & 0x3F);
      } else if (Character.isSurrogate(c)) {
        n = unicodeEscape(b, n, c); // Jackson escapes each half of a pair, and a lone half, alike
      } else {
        b[n++] = (byte) (0xE0 | c >> 12);
        b[n++] = (byte) (0x80 | c >> 6 & 0x3F);
        b[n++] = (byte) (0x80 | c & 0x3F);
      }
    }
    this.n = n;
  }

  private static int escape(byte[] b, int n, char c) {
    int escape = ESCAPES[c];
    if (escape < 0) {
      return unicodeEscape(b, n, c);
    }
    b[n++] = '\\';
    b[n++] = (byte) escape;
    return n;
  }

  private static int unicodeEscape(byte[] b, int n, char c) {
    b[n++] = '\\';
    b[n++] = 'u';
    b[n++] = HEX[c >> 12 & 0xF];
    b[n++] = HEX[c >> 8 & 0xF];
    b[n++] = HEX[c >> 4 & 0xF];
    b[n++] = HEX[c & 0xF];
    return n;
  }

  private void raw(byte[] bytes) {
    ensure(bytes.length);
    System.arraycopy(bytes, 0, b, n, bytes.length);
    n += bytes.length;
  }

  private void raw(byte c) {
    ensure(1);
    b[n++] = c;
  }

  private void ensure(int more) {
    if (b.length - n < more) {
      b = Arrays.copyOf(b, Math.max(b.length * 2, n + more));
    }
  }

  private static int[] escapes() {
    int[] e = new int[0x80];
    Arrays.fill(e, 0, 0x20, -1);
    e['\b'] = 'b';
    e['\t'] = 't';
    e['\n'] = 'n';
    e['\f'] = 'f';
    e['\r'] = 'r';
    e['"'] = '"';
    e['\\'] = '\\';
    return e;
  }

  private static byte[] name(String field) {
    return ascii(",\"" + field + "\":");
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
