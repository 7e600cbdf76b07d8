package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Collects the usage fields of one response in one provider's shape. Values are set, never added:
 * providers that repeat usage in a stream (Anthropic's cumulative {@code message_delta}, Gemini's
 * chunks) report running totals, so the last value seen is the answer.
 */
abstract class UsageReader {
  /**
   * Test only, not a configuration key: {@code -Dtollgate.internal.fault=parser} makes every usage
   * parser throw on its first value, so the forked-JVM fault matrix can prove that an internal
   * failure in a parser is contained (the body reaches the application intact, the call is recorded
   * with estimated usage, one line is logged). Read once, when the first response is parsed.
   */
  private static final boolean PARSER_FAULT = "parser".equals(System.getProperty("tollgate.internal.fault"));

  /* @Nullable */ String model;
  /* @Nullable */ String responseId;
  boolean sawUsage;
  /** The provider said the response is finished (a terminal event, a finish reason). */
  boolean finished;
  /** The provider said the response failed (a Responses API {@code response.failed}). */
  boolean providerFailed;

  /** A scalar at the current position of {@code path}; values inside arrays (no field name) are skipped. */
  final void value(JsonPath path, JsonParser p, JsonToken t) throws IOException {
    if (PARSER_FAULT) {
      throw new IllegalStateException("usage parser failure injected by tollgate.internal.fault=parser");
    }
    int depth = path.depth();
    String name = path.name(depth);
    if (name != null) {
      field(path, depth, name, p, t);
    }
  }

  /** A scalar field named {@code name} at {@code depth} (1 = a field of the root). */
  abstract void field(JsonPath path, int depth, String name, JsonParser p, JsonToken t) throws IOException;

  /** The usage read so far, normalised; only meaningful when {@link #sawUsage}. */
  abstract Usage usage();

  /** Whether the usage read so far is the provider's final figure for the call. */
  boolean usageIsFinal() {
    return sawUsage && finished;
  }

  /** A token count: a whole number, 0 or more; anything else (null, a fraction, a negative) reads as 0. */
  static long longValue(JsonParser p, JsonToken t) throws IOException {
    return t == JsonToken.VALUE_NUMBER_INT ? Math.max(0, p.getLongValue()) : 0;
  }

  /** Whether the token is a count that may replace one read before: a whole number, 0 or more. */
  static boolean isCount(JsonParser p, JsonToken t) throws IOException {
    return t == JsonToken.VALUE_NUMBER_INT && p.getLongValue() >= 0;
  }
}
