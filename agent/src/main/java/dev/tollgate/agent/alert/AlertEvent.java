package dev.tollgate.agent.alert;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.api.BlockedCall;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * One alert as posted: {@code {"text": …, "event": {"type": …, "time": …, "pid": …, …}}}. The
 * {@code text} is what Slack (and most chat webhooks) show; {@code event} is for machines.
 */
final class AlertEvent {
  // Amounts as plain decimals (0.0000001, not 1E-7), like the CLI's JSON.
  static final ObjectMapper JSON = JsonMapper.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

  final String type;
  final String text;
  final ObjectNode event;

  private AlertEvent(String type, String text, ObjectNode event) {
    this.type = type;
    this.text = text;
    this.event = event;
  }

  /** A new event of {@code type}, stamped with {@code time} and this process's id; add fields with {@link #put}. */
  static AlertEvent of(String type, Instant time, String text) {
    ObjectNode event = JSON.createObjectNode().put("type", type).put("time", time.toString()).put("pid", ProcessHandle.current().pid());
    return new AlertEvent(type, "Tollgate: " + text, event);
  }

  AlertEvent put(String name, @Nullable Object value) {
    if (value == null) {
      event.putNull(name);
    } else if (value instanceof BigDecimal) {
      event.put(name, amount((BigDecimal) value));
    } else if (value instanceof Number) {
      event.put(name, ((Number) value).longValue());
    } else if (value instanceof ObjectNode) {
      event.set(name, (ObjectNode) value);
    } else {
      event.put(name, value.toString());
    }
    return this;
  }

  /** A budget as {@code tollgate budgets --json} lists it; absent figures are null. */
  static ObjectNode budget(Map<String, String> scope, String period, @Nullable BigDecimal limit, @Nullable BigDecimal spent,
      @Nullable BigDecimal remaining, @Nullable Instant resetsAt) {
    ObjectNode n = JSON.createObjectNode();
    ObjectNode s = n.putObject("scope");
    scope.forEach(s::put);
    n.put("period", period).put("limit", amount(limit)).put("spent", amount(spent)).put("remaining", amount(remaining));
    n.put("resets_at", resetsAt == null ? null : resetsAt.toString());
    return n;
  }

  /** What a blocked call needed and what was available. */
  static ObjectNode blocked(BlockedCall call) {
    return JSON.createObjectNode().put("provider", call.provider()).put("model", call.model()).put("endpoint", call.endpoint())
        .put("required", amount(call.required())).put("available", amount(call.available()));
  }

  /** An amount as posted: without trailing zeros ({@code 0}, not {@code 0.0000}); null stays null. */
  private static @Nullable BigDecimal amount(@Nullable BigDecimal d) {
    return d == null ? null : Money.stripped(d);
  }

  /** The POST body. */
  byte[] body() {
    ObjectNode root = JSON.createObjectNode().put("text", text);
    root.set("event", event);
    try {
      return JSON.writeValueAsString(root).getBytes(StandardCharsets.UTF_8);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write an alert", e); // a tree of strings and numbers always writes
    }
  }
}
