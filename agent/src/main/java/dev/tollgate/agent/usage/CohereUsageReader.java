package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Cohere's v2 API: a chat response's {@code usage}, the stream's {@code message-end} event's {@code
 * delta.usage}, and an embed response's {@code meta}. Each holds {@code billed_units} (what Cohere
 * bills) and {@code tokens} (what the model processed, the prompt template included); billing
 * follows {@code billed_units}, and {@code tokens} stands in only when no billed units came.
 * Cohere does not name the model in its responses: the request's model stands.
 */
final class CohereUsageReader extends UsageReader {
  private final long[] billed = new long[2];
  private final long[] processed = new long[2];
  private boolean sawBilled;
  private long cached;

  @Override
  void field(JsonPath path, int d, String name, JsonParser p, JsonToken t) throws IOException {
    int base = path.is(1, "delta") ? 1 : 0; // message-end nests its usage in the delta
    boolean usage = path.is(base + 1, "usage") || path.is(base + 1, "meta");
    if (name.equals("finish_reason") && t == JsonToken.VALUE_STRING) {
      finished = true;
    } else if (d == 1 && name.equals("id") && t == JsonToken.VALUE_STRING) {
      responseId = p.getText();
    } else if (d == base + 2 && usage && name.equals("cached_tokens")) {
      cached = longValue(p, t);
    } else if (d == base + 3 && usage && isCount(p, t)) {
      count(path.name(base + 2), name, p.getLongValue());
    }
  }

  private void count(@Nullable String group, String name, long value) {
    int i = name.equals("input_tokens") ? 0 : name.equals("output_tokens") ? 1 : -1;
    if (i < 0) {
      return;
    }
    if ("billed_units".equals(group)) {
      billed[i] = value;
      sawBilled = true;
      sawUsage = true;
    } else if ("tokens".equals(group)) {
      processed[i] = value;
      sawUsage = true;
    }
  }

  @Override
  Usage usage() {
    long[] counts = sawBilled ? billed : processed;
    return new Usage(counts[0], counts[1], Math.min(cached, counts[0]), 0, 0, null);
  }
}
