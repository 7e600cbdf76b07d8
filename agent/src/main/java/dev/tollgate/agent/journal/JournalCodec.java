package dev.tollgate.agent.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
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
import org.jspecify.annotations.Nullable;

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
  private static final JsonFactory FACTORY = MAPPER.getFactory();

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
    UsageRecord r = usageAsWritten(line);
    return r != null ? r : decodeTree(line);
  }

  /** {@link #decodeAny} by way of Jackson's tree: the reference reading, for every line. */
  static Object decodeTree(String line) {
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

  /**
   * A usage line as the agent writes it, read token by token (no tree, no name or value it does
   * not need): the common case, and a start, the upkeep and {@code report} read every line. Every
   * field must have the type the agent writes; anything else (a reconciliation, an unexpected type,
   * a torn or foreign line, a value out of range) returns null and the line goes to {@link
   * #decodeTree}, so this reading never differs from it (a property test holds them equal on
   * random and damaged lines).
   */
  static @Nullable UsageRecord usageAsWritten(String line) {
    try (JsonParser p = FACTORY.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return null;
      }
      // what the tree reading gives a missing field ("" for text, 0, false, no request id)
      UsageRecord.Builder b = UsageRecord.builder().provider("").model("").operation("").endpoint("");
      String id = null;
      String time = null;
      String status = null;
      BigDecimal cost = null;
      BigDecimal reservation = BigDecimal.ZERO;
      Map<String, String> attributes = new LinkedHashMap<>();
      for (JsonToken t; (t = p.nextToken()) != JsonToken.END_OBJECT;) {
        if (t != JsonToken.FIELD_NAME) {
          return null;
        }
        String name = p.currentName();
        t = p.nextToken();
        switch (name) {
          case "id":
            id = text(p, t);
            break;
          case "time":
            time = text(p, t);
            break;
          case "status":
            status = text(p, t);
            break;
          case "provider":
            b.provider(text(p, t));
            break;
          case "model":
            b.model(text(p, t));
            break;
          case "operation":
            b.operation(text(p, t));
            break;
          case "endpoint":
            b.endpoint(text(p, t));
            break;
          case "request_id":
            b.requestId(t == JsonToken.VALUE_NULL ? null : text(p, t));
            break;
          case "http_status":
            b.httpStatus((int) whole(p, t));
            break;
          case "input_tokens":
            b.inputTokens(whole(p, t));
            break;
          case "output_tokens":
            b.outputTokens(whole(p, t));
            break;
          case "cache_read_tokens":
            b.cacheReadTokens(whole(p, t));
            break;
          case "cache_write_tokens":
            b.cacheWriteTokens(whole(p, t));
            break;
          case "cache_write_1h_tokens":
            b.cacheWrite1hTokens(whole(p, t));
            break;
          case "reasoning_tokens":
            b.reasoningTokens(whole(p, t));
            break;
          case "latency_ms":
            b.latencyMillis(whole(p, t));
            break;
          case "cost":
            cost = amount(p, t, "cost");
            break;
          case "reservation":
            reservation = amount(p, t, "reservation");
            break;
          case "estimated":
            b.estimated(flag(t));
            break;
          case "unpriced":
            b.unpriced(flag(t));
            break;
          case "stream":
            b.stream(flag(t));
            break;
          case "attributes":
            attributes = new LinkedHashMap<>();
            if (t != JsonToken.START_OBJECT) {
              return null;
            }
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
              String key = p.currentName();
              attributes.put(key, text(p, p.nextToken()));
            }
            break;
          case "kind":
            return null; // a reconciliation, or a kind this reader does not know
          default:
            p.skipChildren(); // "v", and fields a newer agent adds
        }
      }
      if (id == null || time == null || status == null || cost == null) {
        return null;
      }
      return b.id(id).time(Instant.parse(time)).status(UsageRecord.Status.valueOf(status.toUpperCase(Locale.ROOT))).cost(cost)
          .reservation(reservation).attributes(attributes).build();
    } catch (IOException | RuntimeException e) {
      return null; // the tree reading decides, and names what is wrong
    }
  }

  private static String text(JsonParser p, @Nullable JsonToken t) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      throw new IllegalStateException("not as written");
    }
    return p.getText();
  }

  private static long whole(JsonParser p, @Nullable JsonToken t) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
      throw new IllegalStateException("not as written");
    }
    return p.getLongValue();
  }

  private static boolean flag(@Nullable JsonToken t) {
    if (t != JsonToken.VALUE_TRUE && t != JsonToken.VALUE_FALSE) {
      throw new IllegalStateException("not as written");
    }
    return t == JsonToken.VALUE_TRUE;
  }

  private static BigDecimal amount(JsonParser p, @Nullable JsonToken t, String field) throws IOException {
    if (t != JsonToken.VALUE_NUMBER_INT && t != JsonToken.VALUE_NUMBER_FLOAT) {
      throw new IllegalStateException("not as written");
    }
    BigDecimal v = p.getDecimalValue();
    if (v.signum() < 0) {
      throw new IllegalStateException("not as written");
    }
    return inRange(field, v);
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
