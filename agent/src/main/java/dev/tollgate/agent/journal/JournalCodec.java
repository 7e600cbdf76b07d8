package dev.tollgate.agent.journal;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.api.UsageRecord;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One {@link UsageRecord} per line of JSON, field names in snake_case after the OpenTelemetry GenAI
 * conventions. Money is written as plain decimals, never in exponent form.
 */
public final class JournalCodec {
  static final int VERSION = 1;
  private static final JsonFactory JSON = new JsonFactory();
  // Read amounts as decimals: through a double, a cost or reservation with 16+ digits loses some.
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private JournalCodec() {}

  /** The record as one line of UTF-8 JSON ending in {@code \n}. */
  public static byte[] encode(UsageRecord r) {
    try (ByteArrayBuilder out = new ByteArrayBuilder(512);
        JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
      g.writeStartObject();
      g.writeNumberField("v", VERSION);
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
      g.writeNumberField("reasoning_tokens", r.reasoningTokens());
      g.writeFieldName("cost");
      g.writeNumber(r.cost().toPlainString());
      g.writeBooleanField("estimated", r.estimated());
      g.writeBooleanField("unpriced", r.unpriced());
      g.writeFieldName("reservation");
      g.writeNumber(r.reservation().toPlainString());
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
      g.writeEndObject();
      g.writeRaw('\n');
      g.flush();
      return out.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // in-memory: cannot happen
    }
  }

  /**
   * Parses one line. @throws IllegalArgumentException when the line is not a complete record (a
   * torn write, a foreign line)
   */
  public static UsageRecord decode(String line) {
    JsonNode n;
    try {
      n = MAPPER.readTree(line);
    } catch (IOException e) {
      throw new IllegalArgumentException("not JSON", e);
    }
    if (n == null || !n.isObject() || !n.has("id") || !n.has("cost") || !n.has("status")) {
      throw new IllegalArgumentException("not a journal record");
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.path("attributes").fields(); it.hasNext(); ) {
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

  private static BigDecimal decimal(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isNumber()) {
      if (v == null) {
        return BigDecimal.ZERO;
      }
      throw new IllegalArgumentException(field + " is not a number");
    }
    return v.decimalValue();
  }
}
