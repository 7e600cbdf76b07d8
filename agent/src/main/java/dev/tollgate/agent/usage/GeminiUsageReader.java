package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Google Gemini {@code generateContent}, its SSE stream and its JSON-array stream (no {@code
 * alt=sse}): {@code usageMetadata} with prompt, candidates, cached-content and thoughts counts.
 * Stream chunks repeat running totals, so the last non-zero count of each field wins. Thoughts are
 * billed as output, tool-use prompt tokens as input.
 */
final class GeminiUsageReader extends UsageReader {
  private long prompt;
  private long candidates;
  private long cached;
  private long thoughts;
  private long toolUsePrompt;

  @Override
  void field(JsonPath path, int d, String name, JsonParser p, JsonToken t) throws IOException {
    // streamGenerateContent without alt=sse answers one JSON array of responses: one level deeper.
    int base = d > 1 && path.name(1) == null ? 1 : 0;
    if (d == base + 1 && t == JsonToken.VALUE_STRING) {
      if (name.equals("modelVersion")) {
        model = p.getText();
      } else if (name.equals("responseId")) {
        responseId = p.getText();
      }
    } else if (d == base + 2 && path.is(base + 1, "usageMetadata")) {
      usageField(name, longValue(p, t));
    } else if (name.equals("finishReason")) {
      finished = true;
    }
  }

  private void usageField(String name, long value) {
    if (value == 0) {
      return;
    }
    switch (name) {
      case "promptTokenCount":
        prompt = value;
        sawUsage = true;
        break;
      case "candidatesTokenCount":
        candidates = value;
        sawUsage = true;
        break;
      case "cachedContentTokenCount":
        cached = value;
        break;
      case "thoughtsTokenCount":
        thoughts = value;
        break;
      case "toolUsePromptTokenCount":
        toolUsePrompt = value; // results of built-in tools (search, code execution) fed back as input
        break;
      default:
    }
  }

  @Override
  Usage usage() {
    return new Usage(Usage.sum(prompt, toolUsePrompt), Usage.sum(candidates, thoughts), Math.min(cached, prompt), 0, thoughts, null);
  }
}
