package dev.tollgate.sample;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/** OpenAI chat-completion bodies in the shape the real API sends: one JSON object, or SSE chunks. */
final class OpenAiResponses {
  private static final long PAUSE_MILLIS = 25;

  private OpenAiResponses() {}

  static String completion(String id, String model, String text, FakeProviders.Usage usage) {
    return "{\"id\":" + Json.quote(id) + ",\"object\":\"chat.completion\",\"created\":" + now()
        + ",\"model\":" + Json.quote(model)
        + ",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":" + Json.quote(text)
        + ",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}]"
        + ",\"usage\":" + usage(usage) + ",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_demo\"}";
  }

  /**
   * Streams the answer as a chunked {@code text/event-stream}: a role chunk, a few content chunks, a
   * finish chunk, then (with {@code stream_options.include_usage}) a usage chunk whose {@code
   * choices} is empty, then {@code [DONE]}. Each event is flushed on its own after a short pause.
   */
  static void stream(HttpExchange exchange, String id, String model, String text, FakeProviders.Usage usage,
      boolean includeUsage)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0); // length 0: chunked transfer encoding
    String head = "{\"id\":" + Json.quote(id) + ",\"object\":\"chat.completion.chunk\",\"created\":" + now()
        + ",\"model\":" + Json.quote(model) + ",\"system_fingerprint\":\"fp_demo\",\"choices\":";
    String tail = includeUsage ? ",\"usage\":null}" : "}";
    try (OutputStream out = exchange.getResponseBody()) {
      event(out, head + choice("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null") + tail);
      for (String piece : pieces(text)) {
        event(out, head + choice("{\"content\":" + Json.quote(piece) + "}", "null") + tail);
      }
      event(out, head + choice("{}", "\"stop\"") + tail);
      if (includeUsage) {
        event(out, head + "[],\"usage\":" + usage(usage) + "}");
      }
      event(out, "[DONE]");
    }
  }

  private static String choice(String delta, String finishReason) {
    return "[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]";
  }

  private static String usage(FakeProviders.Usage u) {
    return "{\"prompt_tokens\":" + u.input + ",\"completion_tokens\":" + u.output
        + ",\"total_tokens\":" + (u.input + u.output)
        + ",\"prompt_tokens_details\":{\"cached_tokens\":" + u.cacheRead + ",\"audio_tokens\":0}"
        + ",\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,"
        + "\"accepted_prediction_tokens\":0,\"rejected_prediction_tokens\":0}}";
  }

  /** The reply cut into four pieces of about equal length, as a model would stream it. */
  private static String[] pieces(String text) {
    int n = 4;
    String[] out = new String[n];
    for (int i = 0; i < n; i++) {
      out[i] = text.substring(text.length() * i / n, text.length() * (i + 1) / n);
    }
    return out;
  }

  private static void event(OutputStream out, String data) throws IOException {
    out.write(("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8));
    out.flush();
    try {
      Thread.sleep(PAUSE_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while streaming", e);
    }
  }

  private static long now() {
    return System.currentTimeMillis() / 1000;
  }
}
