package dev.tollgate.sample;

/** Anthropic message bodies in the shape the real API sends. */
final class AnthropicResponses {
  private AnthropicResponses() {}

  /**
   * A finished message. Anthropic's {@code input_tokens} counts only the uncached input; cache reads
   * and writes are reported beside it.
   */
  static String message(String id, String model, String text, FakeProviders.Usage u) {
    long uncached = u.input - u.cacheRead - u.cacheWrite;
    return "{\"id\":" + Json.quote(id) + ",\"type\":\"message\",\"role\":\"assistant\",\"model\":" + Json.quote(model)
        + ",\"content\":[{\"type\":\"text\",\"text\":" + Json.quote(text) + "}]"
        + ",\"stop_reason\":\"end_turn\",\"stop_sequence\":null"
        + ",\"usage\":{\"input_tokens\":" + uncached + ",\"cache_creation_input_tokens\":" + u.cacheWrite
        + ",\"cache_read_input_tokens\":" + u.cacheRead + ",\"output_tokens\":" + u.output
        + ",\"service_tier\":\"standard\"}}";
  }
}
