package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * Google Gemini {@code generateContent} and its SSE stream: {@code usageMetadata} with prompt,
 * candidates, cached-content and thoughts counts. Stream chunks repeat running totals, so the last
 * non-zero count of each field wins. Thoughts are billed as output.
 */
final class GeminiUsageReader extends UsageReader {
  private long prompt;
  private long candidates;
  private long cached;
  private long thoughts;

  @Override
  void value(JsonPath path, JsonParser p, JsonToken t) throws IOException {
    int d = path.depth();
    String name = path.name(d);
    if (name == null) {
      return;
    }
    if (d == 1 && t == JsonToken.VALUE_STRING) {
      if (name.equals("modelVersion")) {
        model = p.getText();
      } else if (name.equals("responseId")) {
        responseId = p.getText();
      }
    } else if (d == 2 && path.is(1, "usageMetadata")) {
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
      default:
    }
  }

  @Override
  Usage usage() {
    return new Usage(prompt, candidates + thoughts, Math.min(cached, prompt), 0, thoughts, null);
  }
}
