package dev.tollgate.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The hand-written encoder must write exactly the bytes Jackson's generator wrote (the journal's
 * format is a contract): random records, with every kind of character and amount, against the
 * Jackson encoding the journal used before, and against what Jackson reads back.
 */
class LineEncoderTest {
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  /** Characters that take each path of the escaping: plain, short and unicode escapes, 2 and 3 bytes, surrogates. */
  private static final String SPECIAL = "\"\\/\b\f\n\r\t\u0000\u0001\u001f\u007f\u0080é\u00ff\u07ff\u0800€\u2028\uffff\ud83d\ude00\ud800\udfff";

  @Test
  void encode_randomRecords_isByteForByteJacksonsLine() throws IOException {
    Random random = new Random(7);
    LineEncoder encoder = new LineEncoder(); // one encoder for all: what one record leaves must not leak into the next
    for (int i = 0; i < 5_000; i++) {
      UsageRecord r = randomRecord(random);

      byte[] line = encoded(encoder, r);

      assertThat(latin1(line)).as("record %d: %s", i, r).isEqualTo(latin1(jackson(r)));
      assertReadsBack(line, r);
    }
  }

  @Test
  void encode_randomReconciliations_isByteForByteJacksonsLine() throws IOException {
    Random random = new Random(11);
    LineEncoder encoder = new LineEncoder();
    for (int i = 0; i < 5_000; i++) {
      Reconciliation r = new Reconciliation(string(random), instant(random), string(random), instant(random), instant(random),
          amount(random), amount(random));

      assertThat(latin1(encoded(encoder, r))).as("reconciliation %d", i).isEqualTo(latin1(jackson(r)));
    }
  }

  @Test
  void encode_stringsLongerThanASegmentOrJacksonsBuffer_isJacksonsLine() throws IOException {
    Random random = new Random(5);
    for (int length : new int[] {1023, 1024, 1025, 8000, 20_000, 70_000}) {
      StringBuilder s = new StringBuilder();
      while (s.length() < length) {
        s.append(random.nextInt(4) == 0 ? SPECIAL.charAt(random.nextInt(SPECIAL.length())) : 'a');
      }
      UsageRecord r = JournalCodecTest.fullRecord().toBuilder().model(s.toString()).attributes(Map.of(s.toString(), s.toString())).build();

      assertThat(latin1(encoded(new LineEncoder(), r))).as("length %d", length).isEqualTo(latin1(jackson(r)));
    }
  }

  @Test
  void encode_afterAHugeRecord_isStillExact() throws IOException {
    LineEncoder encoder = new LineEncoder();
    UsageRecord huge = JournalCodecTest.fullRecord().toBuilder().model("m".repeat(200_000)).build();
    UsageRecord small = JournalCodecTest.fullRecord();

    encoded(encoder, huge);

    assertThat(latin1(encoded(encoder, small))).isEqualTo(latin1(jackson(small)));
  }

  private static byte[] encoded(LineEncoder encoder, Object record) {
    encoder.encode(record);
    return Arrays.copyOf(encoder.bytes(), encoder.length());
  }

  /** Compares bytes while failures stay readable: ISO-8859-1 maps each byte to one character. */
  private static String latin1(byte[] bytes) {
    return new String(bytes, StandardCharsets.ISO_8859_1);
  }

  private static void assertReadsBack(byte[] line, UsageRecord r) throws IOException {
    JsonNode n = MAPPER.readTree(line);
    assertThat(n.get("id").asText()).isEqualTo(r.id());
    assertThat(n.get("model").asText()).isEqualTo(r.model());
    assertThat(n.get("endpoint").asText()).isEqualTo(r.endpoint());
    assertThat(n.get("input_tokens").asLong()).isEqualTo(r.inputTokens());
    assertThat(n.get("cost").decimalValue()).isEqualByComparingTo(r.cost());
    assertThat(n.get("reservation").decimalValue()).isEqualByComparingTo(r.reservation());
    assertThat(n.has("request_id")).isEqualTo(r.requestId() != null);
    assertThat(MAPPER.convertValue(n.get("attributes"), Map.class)).isEqualTo(r.attributes());
  }

  private static UsageRecord randomRecord(Random random) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      attributes.put(string(random), string(random));
    }
    UsageRecord.Status[] statuses = UsageRecord.Status.values();
    return UsageRecord.builder()
        .id(string(random)).time(instant(random)).provider(string(random)).model(string(random)).operation(string(random))
        .endpoint(string(random)).status(statuses[random.nextInt(statuses.length)]).httpStatus(random.nextInt(1000) - 100)
        .inputTokens(count(random)).outputTokens(count(random)).cacheReadTokens(count(random)).cacheWriteTokens(count(random))
        .cacheWrite1hTokens(random.nextBoolean() ? 0 : count(random)).reasoningTokens(count(random)).cost(amount(random)).estimated(random
            .nextBoolean()).unpriced(random.nextBoolean())
        .reservation(amount(random)).latencyMillis(count(random)).stream(random.nextBoolean()).attributes(attributes)
        .requestId(random.nextBoolean() ? null : string(random))
        .build();
  }

  private static String string(Random random) {
    StringBuilder s = new StringBuilder();
    for (int i = random.nextInt(40); i > 0; i--) {
      switch (random.nextInt(4)) {
        case 0:
          s.append(SPECIAL.charAt(random.nextInt(SPECIAL.length())));
          break;
        case 1:
          s.append((char) random.nextInt(0x80));
          break;
        case 2:
          s.append((char) random.nextInt(0x10000));
          break; // any UTF-16 unit, lone surrogates too
        default:
          s.append((char) (' ' + random.nextInt(95)));
      }
    }
    return s.toString();
  }

  private static long count(Random random) {
    long[] edges = {0, 1, -1, 9, 10, Long.MAX_VALUE, Long.MIN_VALUE, Integer.MAX_VALUE};
    return random.nextInt(5) == 0 ? edges[random.nextInt(edges.length)] : random.nextLong() >> random.nextInt(64);
  }

  /** Amounts as the agent makes them (nano-credits) and any other: huge, tiny, negative, exponent scales. */
  private static BigDecimal amount(Random random) {
    switch (random.nextInt(4)) {
      case 0:
        return BigDecimal.valueOf(random.nextLong() >> random.nextInt(64), 9).stripTrailingZeros();
      case 1:
        return BigDecimal.valueOf(random.nextLong() >> random.nextInt(64), random.nextInt(40) - 10);
      case 2:
        return new BigDecimal(new BigInteger(random.nextInt(120) + 1, random), random.nextInt(60) - 20);
      default:
        return new BigDecimal(random.nextInt(100)).movePointLeft(random.nextInt(25));
    }
  }

  private static Instant instant(Random random) {
    long seconds = random.nextInt(10) == 0 ? random.nextLong() % Instant.MAX.getEpochSecond() : random.nextLong() % 400_000_000_000L;
    int[] nanos = {0, random.nextInt(1000) * 1_000_000, random.nextInt(1_000_000) * 1_000, random.nextInt(1_000_000_000)};
    return Instant.ofEpochSecond(seconds, nanos[random.nextInt(nanos.length)]);
  }

  /** How the journal encoded a record before this encoder: a Jackson generator per record. */
  private static byte[] jackson(UsageRecord r) throws IOException {
    return jackson(g -> {
      g.writeStringField("id", r.id());
      g.writeStringField("time", r.time().toString());
      g.writeStringField("provider", r.provider());
      g.writeStringField("model", r.model());
      g.writeStringField("operation", r.operation());
      g.writeStringField("endpoint", r.endpoint());
      g.writeStringField("status", r.status().wireName());
      g.writeNumberField("http_status", r.httpStatus());
      g.writeNumberField("input_tokens", r.inputTokens());
      g.writeNumberField("output_tokens", r.outputTokens());
      g.writeNumberField("cache_read_tokens", r.cacheReadTokens());
      g.writeNumberField("cache_write_tokens", r.cacheWriteTokens());
      if (r.cacheWrite1hTokens() != 0) { // written only when there were 1-hour writes
        g.writeNumberField("cache_write_1h_tokens", r.cacheWrite1hTokens());
      }
      g.writeNumberField("reasoning_tokens", r.reasoningTokens());
      plain(g, "cost", r.cost());
      g.writeBooleanField("estimated", r.estimated());
      g.writeBooleanField("unpriced", r.unpriced());
      plain(g, "reservation", r.reservation());
      g.writeNumberField("latency_ms", r.latencyMillis());
      g.writeBooleanField("stream", r.stream());
      g.writeObjectFieldStart("attributes");
      for (Map.Entry<String, String> a : r.attributes().entrySet()) {
        g.writeStringField(a.getKey(), a.getValue());
      }
      g.writeEndObject();
      if (r.requestId() != null) {
        g.writeStringField("request_id", r.requestId());
      }
    });
  }

  private static byte[] jackson(Reconciliation r) throws IOException {
    return jackson(g -> {
      g.writeStringField("kind", JournalCodec.RECONCILIATION);
      g.writeStringField("id", r.id);
      g.writeStringField("time", r.time.toString());
      g.writeStringField("source", r.source);
      g.writeStringField("window_start", r.windowStart.toString());
      g.writeStringField("window_end", r.windowEnd.toString());
      plain(g, "remote", r.remote);
      plain(g, "local", r.local);
      plain(g, "drift", r.drift);
    });
  }

  private interface Fields {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] jackson(Fields fields) throws IOException {
    try (ByteArrayBuilder out = new ByteArrayBuilder(512); JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeNumberField("v", JournalCodec.VERSION);
      fields.write(g);
      g.writeEndObject();
      g.writeRaw('\n');
      g.flush();
      return out.toByteArray();
    }
  }

  private static void plain(JsonGenerator g, String field, BigDecimal amount) throws IOException {
    g.writeFieldName(field);
    g.writeNumber(amount.toPlainString());
  }
}
