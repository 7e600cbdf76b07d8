package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.math.BigDecimal;
import org.jspecify.annotations.Nullable;

/**
 * OpenAI shapes (and every OpenAI-compatible host, OpenRouter and Azure included): chat completions
 * and their stream chunks ({@code usage} at the top, {@code prompt_tokens}, {@code
 * completion_tokens}, {@code *_details}), the Responses API ({@code input_tokens}, {@code
 * output_tokens}, and in streams {@code response.usage} of the terminal event), embeddings.
 *
 * <p>Host quirks read here: OpenRouter's authoritative {@code usage.cost} (plus, for a BYOK call,
 * the {@code cost_details.upstream_inference_cost} the provider bills on the user's own key);
 * DeepSeek's {@code prompt_cache_hit_tokens}; Groq's stream usage under {@code x_groq.usage}; xAI's
 * reasoning tokens, which some models leave out of {@code completion_tokens} (detected by {@code
 * total_tokens} counting them separately); Azure's first stream chunk, whose model and id are empty.
 */
final class OpenAiUsageReader extends UsageReader {
  private long input;
  private long output;
  private long total;
  private long cached;
  private long reasoning;
  private @Nullable BigDecimal cost;
  private @Nullable BigDecimal upstreamCost;
  private boolean byok;

  @Override
  void field(JsonPath path, int d, String name, JsonParser p, JsonToken t) throws IOException {
    boolean groq = path.is(1, "x_groq");
    int base = groq || path.is(1, "response") ? 1 : 0; // Responses API stream events nest the response
    if (d == base + 1 && !groq) {
      topLevel(name, p, t, base);
    } else if (d == base + 2 && path.is(base + 1, "usage")) {
      usageField(name, p, t);
    } else if (d == base + 3 && path.is(base + 1, "usage")) {
      detailField(path.name(base + 2), name, p, t);
    }
  }

  private void topLevel(String name, JsonParser p, JsonToken t, int base) throws IOException {
    if (t != JsonToken.VALUE_STRING || p.getTextLength() == 0) {
      return; // Azure's first stream chunk carries "model":"" and "id":""
    }
    if (name.equals("model")) {
      model = p.getText();
    } else if (name.equals("id")) {
      responseId = p.getText();
    } else if (name.equals("status")) {
      providerFailed = p.getText().equals("failed");
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
      case "total_tokens":
        total = longValue(p, t);
        break;
      case "prompt_cache_hit_tokens":
        cached = longValue(p, t);
        break;
      case "cost":
        cost = decimalValue(p, t);
        break;
      case "is_byok":
        byok = t == JsonToken.VALUE_TRUE;
        break;
      default:
    }
  }

  private void detailField(@Nullable String details, String name, JsonParser p, JsonToken t) throws IOException {
    if ("prompt_tokens_details".equals(details) || "input_tokens_details".equals(details)) {
      if (name.equals("cached_tokens")) {
        cached = longValue(p, t);
      }
    } else if ("completion_tokens_details".equals(details) || "output_tokens_details".equals(details)) {
      if (name.equals("reasoning_tokens")) {
        reasoning = longValue(p, t);
      }
    } else if ("cost_details".equals(details) && name.equals("upstream_inference_cost")) {
      upstreamCost = decimalValue(p, t);
    }
  }

  /**
   * A cost in USD, 0 or more; anything else (negative, beyond 10^19) reads as none. A cost under
   * 10^-18 USD reads as 0: its digits are never expanded by the arithmetic that follows.
   */
  private static @Nullable BigDecimal decimalValue(JsonParser p, JsonToken t) throws IOException {
    BigDecimal d = t.isNumeric() ? p.getDecimalValue() : null;
    long integerDigits = d == null ? 0 : (long) d.precision() - d.scale();
    if (d == null || d.signum() < 0 || integerDigits > 19) {
      return null;
    }
    return integerDigits < -18 ? BigDecimal.ZERO : d;
  }

  @Override
  boolean usageIsFinal() {
    // Chat streams carry usage only in their last chunk, the Responses API only in terminal events.
    return sawUsage;
  }

  @Override
  Usage usage() {
    boolean reasoningApart = reasoning > 0 && total == input + output + reasoning;
    long billedOutput = reasoningApart ? Usage.sum(output, reasoning) : output;
    return new Usage(input, billedOutput, Math.min(cached, input), 0, reasoning, providerCost());
  }

  /** OpenRouter's charge; on a BYOK call the provider also bills the upstream cost to the user's key. */
  private @Nullable BigDecimal providerCost() {
    if (cost == null || !byok || upstreamCost == null) {
      return cost;
    }
    return cost.add(upstreamCost);
  }
}
