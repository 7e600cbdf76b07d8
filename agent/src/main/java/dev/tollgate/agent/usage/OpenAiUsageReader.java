package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * OpenAI shapes (and every OpenAI-compatible host, OpenRouter included): chat completions and
 * their stream chunks ({@code usage} at the top, {@code prompt_tokens}, {@code completion_tokens},
 * {@code *_details}), the Responses API ({@code input_tokens}, {@code output_tokens}, and in
 * streams {@code response.usage} of the terminal event), embeddings, and OpenRouter's
 * authoritative {@code usage.cost}.
 */
final class OpenAiUsageReader extends UsageReader {
  private long input;
  private long output;
  private long cached;
  private long reasoning;
  private /* @Nullable */ BigDecimal cost;

  @Override
  void value(JsonPath path, JsonParser p, JsonToken t) throws IOException {
    int d = path.depth();
    String name = path.name(d);
    if (name == null) {
      return;
    }
    int base = path.is(1, "response") ? 1 : 0; // Responses API stream events nest the response
    if (d == base + 1) {
      topLevel(name, p, t, base);
    } else if (d == base + 2 && path.is(base + 1, "usage")) {
      usageField(name, p, t);
    } else if (d == base + 3 && path.is(base + 1, "usage")) {
      detailField(path.name(base + 2), name, p, t);
    }
  }

  private void topLevel(String name, JsonParser p, JsonToken t, int base) throws IOException {
    if (t != JsonToken.VALUE_STRING) {
      return;
    }
    if (name.equals("model")) {
      model = p.getText();
    } else if (name.equals("id")) {
      responseId = p.getText();
    } else if (base == 0 && name.equals("type")) {
      String type = p.getText();
      finished |= type.equals("response.completed") || type.equals("response.incomplete") || type.equals("response.failed");
    }
  }

  private void usageField(String name, JsonParser p, JsonToken t) throws IOException {
    switch (name) {
      case "prompt_tokens":
      case "input_tokens":
        input = longValue(p, t);
        sawUsage = true;
        break;
      case "completion_tokens":
      case "output_tokens":
        output = longValue(p, t);
        sawUsage = true;
        break;
      case "cost":
        if (t.isNumeric()) {
          cost = p.getDecimalValue();
        }
        break;
      default:
    }
  }

  private void detailField(/* @Nullable */ String details, String name, JsonParser p, JsonToken t) throws IOException {
    if ("prompt_tokens_details".equals(details) || "input_tokens_details".equals(details)) {
      if (name.equals("cached_tokens")) {
        cached = longValue(p, t);
      }
    } else if ("completion_tokens_details".equals(details) || "output_tokens_details".equals(details)) {
      if (name.equals("reasoning_tokens")) {
        reasoning = longValue(p, t);
      }
    }
  }

  @Override
  boolean usageIsFinal() {
    // Chat streams carry usage only in their last chunk, the Responses API only in terminal events.
    return sawUsage;
  }

  @Override
  Usage usage() {
    return new Usage(input, output, Math.min(cached, input), 0, reasoning, cost);
  }
}
