package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Anthropic messages: {@code usage} at the top of a message, under {@code message} in the stream's
 * {@code message_start}, and at the top of each {@code message_delta}, whose counts are cumulative:
 * the last one wins. Anthropic's {@code input_tokens} excludes cache reads and writes, so the
 * normalised input adds them back.
 */
final class AnthropicUsageReader extends UsageReader {
  private long input;
  private long output;
  private long cacheRead;
  private long cacheWrite;
  private long cacheWrite1h;

  @Override
  void field(JsonPath path, int d, String name, JsonParser p, JsonToken t) throws IOException {
    int base = path.is(1, "message") ? 1 : 0;
    if (name.equals("stop_reason") && t == JsonToken.VALUE_STRING) {
      finished = true; // a message, or a message_delta's delta: the output count is now final
    } else if (d == base + 1 && t == JsonToken.VALUE_STRING) {
      topLevel(name, p.getText(), base);
    } else if (d == base + 2 && path.is(base + 1, "usage") && isCount(p, t)) {
      usageField(name, p.getLongValue()); // a null count in a message_delta means "unchanged", not 0
    } else
      if (d == base + 3 && path.is(base + 2, "cache_creation") && path.is(base + 1, "usage") && isCount(p, t)
          && name.equals("ephemeral_1h_input_tokens")) {
            cacheWrite1h = p.getLongValue(); // of cache_creation_input_tokens, the part billed at the 1-hour rate
          }
  }

  private void topLevel(String name, String text, int base) {
    if (name.equals("model")) {
      model = text;
    } else if (name.equals("id")) {
      responseId = text;
    } else if (base == 0 && name.equals("type")) {
      finished |= text.equals("message_stop");
    }
  }

  private void usageField(String name, long value) {
    switch (name) {
      case "input_tokens":
        input = value;
        sawUsage = true;
        break;
      case "output_tokens":
        output = value;
        sawUsage = true;
        break;
      case "cache_read_input_tokens":
        cacheRead = value;
        break;
      case "cache_creation_input_tokens":
        cacheWrite = value;
        break;
      default:
    }
  }

  @Override
  Usage usage() {
    return new Usage(Usage.sum(input, Usage.sum(cacheRead, cacheWrite)), output, cacheRead, cacheWrite, cacheWrite1h, 0, null);
  }
}
