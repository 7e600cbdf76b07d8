package dev.tollgate.agent.journal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;

/**
 * Encodes journal lines (the format {@link JournalCodec} reads) with one Jackson generator kept for
 * the encoder's life, into one reused buffer: a generator and its buffers per record were most of an
 * append's cost and all of its garbage. Not thread-safe: the journal's writer owns one.
 */
final class LineEncoder {
  // No separator between root values: each line ends in the '\n' written after its object.
  private static final JsonFactory JSON = new JsonFactoryBuilder().rootValueSeparator((String) null).build();

  // Field names and status values quoted and UTF-8 encoded once: copied, never escaped again.
  private static final SerializableString V = name("v");
  private static final SerializableString ID = name("id");
  private static final SerializableString TIME = name("time");
  private static final SerializableString PROVIDER = name("provider");
  private static final SerializableString MODEL = name("model");
  private static final SerializableString OPERATION = name("operation");
  private static final SerializableString ENDPOINT = name("endpoint");
  private static final SerializableString STATUS = name("status");
  private static final SerializableString HTTP_STATUS = name("http_status");
  private static final SerializableString INPUT_TOKENS = name("input_tokens");
  private static final SerializableString OUTPUT_TOKENS = name("output_tokens");
  private static final SerializableString CACHE_READ_TOKENS = name("cache_read_tokens");
  private static final SerializableString CACHE_WRITE_TOKENS = name("cache_write_tokens");
  private static final SerializableString CACHE_WRITE_1H_TOKENS = name("cache_write_1h_tokens");
  private static final SerializableString REASONING_TOKENS = name("reasoning_tokens");
  private static final SerializableString COST = name("cost");
  private static final SerializableString ESTIMATED = name("estimated");
  private static final SerializableString UNPRICED = name("unpriced");
  private static final SerializableString RESERVATION = name("reservation");
  private static final SerializableString LATENCY_MS = name("latency_ms");
  private static final SerializableString STREAM = name("stream");
  private static final SerializableString ATTRIBUTES = name("attributes");
  private static final SerializableString REQUEST_ID = name("request_id");
  private static final SerializableString KIND = name("kind");
  private static final SerializableString SOURCE = name("source");
  private static final SerializableString WINDOW_START = name("window_start");
  private static final SerializableString WINDOW_END = name("window_end");
  private static final SerializableString REMOTE = name("remote");
  private static final SerializableString LOCAL = name("local");
  private static final SerializableString DRIFT = name("drift");
  private static final SerializableString[] STATUS_NAMES = Arrays.stream(UsageRecord.Status.values()).map(s -> name(s.wireName()))
      .toArray(SerializableString[]::new);

  private final Buffer out = new Buffer();
  /** Where times and amounts are spelled before the generator copies them. */
  private final char[] scratch = new char[Math.max(IsoInstant.MAX_LENGTH, PlainAmount.MAX_LENGTH)];
  private JsonGenerator g = generator();

  /** The encoded line's bytes, from 0 to {@link #length()}; valid until the next encode. */
  byte[] bytes() {
    return out.bytes;
  }

  int length() {
    return out.size;
  }

  /** Encodes {@code record}, a {@link UsageRecord} or a {@link Reconciliation}, as one line ending in {@code \n}. */
  void encode(Object record) {
    out.reset();
    try {
      g.writeStartObject();
      number(V, JournalCodec.VERSION);
      if (record instanceof UsageRecord) {
        usage((UsageRecord) record);
      } else {
        reconciliation((Reconciliation) record);
      }
      g.writeEndObject();
      g.writeRaw('\n');
      g.flush();
    } catch (IOException | RuntimeException e) {
      g = generator(); // the old one holds half an object
      out.reset();
      throw e instanceof IOException ? new UncheckedIOException((IOException) e) : (RuntimeException) e;
    }
  }

  private void usage(UsageRecord r) throws IOException {
    string(ID, r.id());
    g.writeFieldName(TIME);
    IsoInstant.write(g, r.time(), scratch);
    string(PROVIDER, r.provider());
    string(MODEL, r.model());
    string(OPERATION, r.operation());
    string(ENDPOINT, r.endpoint());
    g.writeFieldName(STATUS);
    g.writeString(STATUS_NAMES[r.status().ordinal()]);
    number(HTTP_STATUS, r.httpStatus());
    number(INPUT_TOKENS, r.inputTokens());
    number(OUTPUT_TOKENS, r.outputTokens());
    number(CACHE_READ_TOKENS, r.cacheReadTokens());
    number(CACHE_WRITE_TOKENS, r.cacheWriteTokens());
    if (r.cacheWrite1hTokens() != 0) { // additive: a record without 1-hour writes is written as before
      number(CACHE_WRITE_1H_TOKENS, r.cacheWrite1hTokens());
    }
    number(REASONING_TOKENS, r.reasoningTokens());
    amount(COST, r.cost());
    bool(ESTIMATED, r.estimated());
    bool(UNPRICED, r.unpriced());
    amount(RESERVATION, r.reservation());
    number(LATENCY_MS, r.latencyMillis());
    bool(STREAM, r.stream());
    g.writeFieldName(ATTRIBUTES);
    g.writeStartObject();
    for (Map.Entry<String, String> a : r.attributes().entrySet()) {
      g.writeStringField(a.getKey(), a.getValue());
    }
    g.writeEndObject();
    if (r.requestId() != null) {
      string(REQUEST_ID, r.requestId());
    }
  }

  private void reconciliation(Reconciliation r) throws IOException {
    string(KIND, JournalCodec.RECONCILIATION);
    string(ID, r.id);
    string(TIME, r.time.toString());
    string(SOURCE, r.source);
    string(WINDOW_START, r.windowStart.toString());
    string(WINDOW_END, r.windowEnd.toString());
    amount(REMOTE, r.remote);
    amount(LOCAL, r.local);
    amount(DRIFT, r.drift);
  }

  private void string(SerializableString field, String value) throws IOException {
    g.writeFieldName(field);
    g.writeString(value);
  }

  private void number(SerializableString field, long value) throws IOException {
    g.writeFieldName(field);
    g.writeNumber(value);
  }

  private void bool(SerializableString field, boolean value) throws IOException {
    g.writeFieldName(field);
    g.writeBoolean(value);
  }

  private void amount(SerializableString field, BigDecimal value) throws IOException {
    g.writeFieldName(field);
    PlainAmount.write(g, value, scratch);
  }

  private static SerializableString name(String text) {
    return new SerializedString(text);
  }

  private JsonGenerator generator() {
    try {
      return JSON.createGenerator(out, JsonEncoding.UTF8);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory: cannot happen
    }
  }

  /** A growable byte array the generator flushes into. */
  private static final class Buffer extends OutputStream {
    private static final int INITIAL = 1024;
    private static final int KEPT = 64 * 1024;
    byte[] bytes = new byte[INITIAL];
    int size;

    void reset() {
      size = 0;
      if (bytes.length > KEPT) {
        bytes = new byte[INITIAL]; // one huge record does not pin its size for the journal's life
      }
    }

    @Override
    public void write(int b) {
      ensure(1);
      bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      ensure(len);
      System.arraycopy(b, off, bytes, size, len);
      size += len;
    }

    private void ensure(int more) {
      if (bytes.length - size < more) {
        bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + more));
      }
    }
  }
}
