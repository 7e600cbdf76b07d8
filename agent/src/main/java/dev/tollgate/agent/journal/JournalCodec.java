package dev.tollgate.agent.journal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@link UsageRecord} per line of JSON, field names in snake_case after the OpenTelemetry GenAI
 * conventions. Money is written as plain decimals, never in exponent form.
 *
 * <p>A {@link Reconciliation} is a line of its own kind: {@code "kind":"reconciliation"} with
 * {@code remote}, {@code local} and {@code drift} and no {@code cost} or {@code status}, so a reader
 * that predates it (which requires {@code id}, {@code cost} and {@code status}) skips it as a foreign
 * line and never counts it as spend.
 */
public final class JournalCodec {
  static final int VERSION = 1;
  static final String RECONCILIATION = "reconciliation";
  // Read amounts as decimals: through a double, a cost or reservation with 16+ digits loses some.
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private JournalCodec() {}

  /** The record as one line of UTF-8 JSON ending in {@code \n}. */
  public static byte[] encode(UsageRecord r) {
    return line(r);
  }

  /** A reconciliation as one line of UTF-8 JSON ending in {@code \n}. */
  public static byte[] encode(Reconciliation r) {
    return line(r);
  }

  private static byte[] line(Object record) {
    LineEncoder encoder = new LineEncoder();
    encoder.encode(record);
    return Arrays.copyOf(encoder.bytes(), encoder.length());
  }

  /**
   * Parses one usage line. @throws IllegalArgumentException when the line is not a complete usage
   * record (a torn write, a foreign line, a reconciliation)
   */
  public static UsageRecord decode(String line) {
    Object decoded = decodeAny(line);
    if (!(decoded instanceof UsageRecord)) {
      throw new IllegalArgumentException("not a usage record");
    }
    return (UsageRecord) decoded;
  }

  /**
   * Parses one line of any kind: a {@link UsageRecord} or a {@link Reconciliation}. @throws
   * IllegalArgumentException when the line is neither (a torn write, a foreign line)
   */
  public static Object decodeAny(String line) {
    JsonNode n;
    try {
      n = MAPPER.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
    boolean reconciliation = n != null && n.isObject() && RECONCILIATION.equals(n.path("kind").asText(null));
    if (!reconciliation && (n == null || !n.isObject() || !n.has("id") || !n.has("cost") || !n.has("status"))) {
      throw new IllegalArgumentException("not a journal record");
    }
    try {
      return reconciliation ? reconciliation(n) : usage(n);
    } catch (IllegalArgumentException e) {
      throw e;
    } catch (RuntimeException e) { // a bad time, a missing field: the line is as unreadable as a torn one
      throw new IllegalArgumentException("not a journal record: " + e.getClass().getSimpleName(), e);
    }
  }

  private static Reconciliation reconciliation(JsonNode n) {
    return new Reconciliation(n.path("id").asText(), Instant.parse(n.path("time").asText()), n.path("source").asText(),
        Instant.parse(n.path("window_start").asText()), Instant.parse(n.path("window_end").asText()),
        required(n, "remote"), required(n, "local"));
  }

  private static BigDecimal required(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) {
      throw new IllegalArgumentException(field + " is not a number");
    }
    return inRange(field, v.decimalValue());
  }

  /**
   * An amount as every reader adds it up, in whole nano-credits (as the agent writes it): a damaged
   * "1e999999999" is an unreadable line, and a "1e-999999999" is 0, never a number whose digits
   * arithmetic would have to expand.
   */
  private static BigDecimal inRange(String field, BigDecimal amount) {
    try {
      return Money.fromNanos(Money.toNanos(amount));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException(field + " is out of range");
    }
  }

  private static UsageRecord usage(JsonNode n) {
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.path("attributes").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> a = it.next();
      attributes.put(a.getKey(), a.getValue().asText());
    }
    return UsageRecord.builder()
        .id(n.get("id").asText())
        .time(Instant.parse(n.path("time").asText()))
        .provider(n.path("provider").asText())
        .model(n.path("model").asText())
        .operation(n.path("operation").asText())
        .endpoint(n.path("endpoint").asText())
        .status(UsageRecord.Status.valueOf(n.get("status").asText().toUpperCase(Locale.ROOT)))
        .httpStatus(n.path("http_status").asInt())
        .inputTokens(n.path("input_tokens").asLong())
        .outputTokens(n.path("output_tokens").asLong())
        .cacheReadTokens(n.path("cache_read_tokens").asLong())
        .cacheWriteTokens(n.path("cache_write_tokens").asLong())
        .cacheWrite1hTokens(n.path("cache_write_1h_tokens").asLong()) // 0 in records written before it existed
        .reasoningTokens(n.path("reasoning_tokens").asLong())
        .cost(decimal(n, "cost"))
        .estimated(n.path("estimated").asBoolean())
        .unpriced(n.path("unpriced").asBoolean())
        .reservation(decimal(n, "reservation"))
        .latencyMillis(n.path("latency_ms").asLong())
        .stream(n.path("stream").asBoolean())
        .attributes(attributes)
        .requestId(n.hasNonNull("request_id") ? n.get("request_id").asText() : null)
        .build();
  }

  /** A cost or reservation: 0 when absent, never negative (the agent never writes one). */
  private static BigDecimal decimal(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null) {
      return BigDecimal.ZERO;
    }
    if (!v.isNumber() || v.decimalValue().signum() < 0) {
      throw new IllegalArgumentException(field + " is not an amount");
    }
    return inRange(field, v.decimalValue());
  }
}
