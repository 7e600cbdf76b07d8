package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Ollama's native API: {@code /api/chat} and {@code /api/generate} (one JSON object, or an NDJSON
 * stream whose last line, {@code "done": true}, carries the counts) and {@code /api/embed}.
 * {@code prompt_eval_count} is the input, {@code eval_count} the output, both at the root. A prompt
 * Ollama found in its cache may leave {@code prompt_eval_count} out: then the input reads as 0.
 */
final class OllamaUsageReader extends UsageReader {
  private long input;
  private long output;

  @Override
  void field(JsonPath path, int d, String name, JsonParser p, JsonToken t) throws IOException {
    if (d != 1) {
      return;
    }
    switch (name) {
      case "model":
        model = t == JsonToken.VALUE_STRING ? p.getText() : model;
        break;
      case "prompt_eval_count":
        input = longValue(p, t);
        sawUsage = true;
        break;
      case "eval_count":
        output = longValue(p, t);
        sawUsage = true;
        break;
      case "done":
        finished = finished || t == JsonToken.VALUE_TRUE;
        break;
      default:
    }
  }

  @Override
  Usage usage() {
    return Usage.of(input, output);
  }
}
