package dev.tollgate.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import mockwebserver3.MockResponse;
import okio.Buffer;
import okio.BufferedSink;
import okio.GzipSink;
import okio.Okio;

/** Provider responses as the real APIs shape them, with the exact costs the catalog gives them. */
final class Fixtures {
  private Fixtures() {}

  static final String OPENAI_REQUEST = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":100}";
  static final String OPENAI_STREAM_REQUEST = "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"stream_options\":{\"include_usage\":true},"
      + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":100}";
  /**
   * What OPENAI_REQUEST reserves while credits are plentiful: its input is bounded from the body's
   * text, not counted (58 bytes in 8 strings, 3 containers: 58 + 8 × 4 + 3 × 12 + 16 = 142 tokens)
   * × 0.15 + 100 max_tokens × 0.60 per 1M = 0.0000813.
   */
  static final String OPENAI_REQUEST_RESERVATION = "0.0000813";
  /**
   * What OPENAI_REQUEST needs once counted, near the limit, in a JVM whose tokenizer has not loaded
   * yet: the heuristic's 12 input tokens (it over-reserves, never under) × 0.15 + 100 × 0.60 per 1M
   * = 0.0000618. Once o200k_base is loaded it counts 9 tokens, 0.00006135 (unit tests pin that count).
   */
  static final String OPENAI_REQUEST_COUNTED = "0.0000618";
  static final String ANTHROPIC_REQUEST = "{\"model\":\"claude-3-5-haiku-latest\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  static final String ANTHROPIC_STREAM_REQUEST = "{\"model\":\"claude-3-5-haiku-latest\",\"max_tokens\":200,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";

  /** gpt-4o-mini: 1000 uncached × 0.15 + 200 cached × 0.075 + 300 out × 0.60 per 1M = 0.000345. */
  static final String OPENAI_JSON = "{\"id\":\"chatcmpl-it1\",\"object\":\"chat.completion\",\"created\":1730000000,"
      + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello there!\"},"
      + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1200,\"completion_tokens\":300,\"total_tokens\":1500,"
      + "\"prompt_tokens_details\":{\"cached_tokens\":200},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}";
  static final String OPENAI_JSON_COST = "0.000345";

  /** gpt-4o-mini: 50 in × 0.15 + 20 out × 0.60 per 1M = 0.0000195. The usage chunk has empty choices. */
  static final String OPENAI_SSE =
      chunk("{\"role\":\"assistant\",\"content\":\"\"}", null)
      + chunk("{\"content\":\"Hel\"}", null)
      + chunk("{\"content\":\"lo!\"}", null)
      + chunk("{}", "\"stop\"")
      + "data: {\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,\"model\":\"gpt-4o-mini-2024-07-18\","
      + "\"choices\":[],\"usage\":{\"prompt_tokens\":50,\"completion_tokens\":20,\"total_tokens\":70}}\n\n"
      + "data: [DONE]\n\n";
  static final String OPENAI_SSE_COST = "0.0000195";

  /**
   * claude-3-5-haiku: 400 uncached × 0.80 + 100 cache-read × 0.08 + 35 out × 4.00 per 1M = 0.000468.
   * Two message_delta events carry cumulative output counts (10, then 35): the last wins.
   */
  static final String ANTHROPIC_SSE =
      "event: message_start\n"
      + "data: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_it1\",\"type\":\"message\",\"role\":\"assistant\","
      + "\"model\":\"claude-3-5-haiku-20241022\",\"content\":[],\"stop_reason\":null,\"stop_sequence\":null,"
      + "\"usage\":{\"input_tokens\":400,\"cache_creation_input_tokens\":0,\"cache_read_input_tokens\":100,\"output_tokens\":1}}}\n\n"
      + "event: content_block_start\n"
      + "data: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n"
      + "event: ping\ndata: {\"type\":\"ping\"}\n\n"
      + "event: content_block_delta\n"
      + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\"Hello\"}}\n\n"
      + "event: message_delta\n"
      + "data: {\"type\":\"message_delta\",\"delta\":{},\"usage\":{\"output_tokens\":10}}\n\n"
      + "event: content_block_delta\n"
      + "data: {\"type\":\"content_block_delta\",\"index\":0,\"delta\":{\"type\":\"text_delta\",\"text\":\" world\"}}\n\n"
      + "event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
      + "event: message_delta\n"
      + "data: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"output_tokens\":35}}\n\n"
      + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n";
  static final String ANTHROPIC_SSE_COST = "0.000468";

  /** claude-3-5-haiku: 1000 uncached × 0.80 + 2000 cache-write × 1.00 + 100 out × 4.00 per 1M = 0.0032. */
  static final String ANTHROPIC_JSON = "{\"id\":\"msg_j1\",\"type\":\"message\",\"role\":\"assistant\",\"model\":\"claude-3-5-haiku-20241022\","
      + "\"content\":[{\"type\":\"text\",\"text\":\"Hi!\"}],\"stop_reason\":\"end_turn\",\"stop_sequence\":null,"
      + "\"usage\":{\"input_tokens\":1000,\"cache_creation_input_tokens\":2000,\"cache_read_input_tokens\":0,\"output_tokens\":100}}";
  static final String ANTHROPIC_JSON_COST = "0.0032";

  /**
   * gemini-2.5-flash generateContent: 1000 uncached × 0.30 + 200 cached × 0.03 + (300 candidates + 200 thoughts) out
   * × 2.50 per 1M = 0.0003 + 0.000006 + 0.00125 = 0.001556. Thoughts are billed as output.
   */
  static final String GEMINI_JSON = "{\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"Hello there!\"}],\"role\":\"model\"},"
      + "\"finishReason\":\"STOP\",\"index\":0}],\"usageMetadata\":{\"promptTokenCount\":1200,\"candidatesTokenCount\":300,"
      + "\"totalTokenCount\":1700,\"cachedContentTokenCount\":200,\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":1200}],"
      + "\"cacheTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":200}],\"thoughtsTokenCount\":200},"
      + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"gj1\"}";
  static final String GEMINI_JSON_COST = "0.001556";

  /**
   * gemini-2.5-flash streamGenerateContent?alt=sse, CRLF-framed as Google sends it: every chunk repeats running
   * usageMetadata totals, the candidates count grows and the last one wins: 50 in × 0.30 + (20 candidates + 30
   * thoughts) out × 2.50 per 1M = 0.000015 + 0.000125 = 0.00014.
   */
  static final String GEMINI_SSE =
      geminiChunk("Hel", "", "\"promptTokenCount\":50,\"totalTokenCount\":80,\"thoughtsTokenCount\":30")
      + geminiChunk("lo", "", "\"promptTokenCount\":50,\"candidatesTokenCount\":8,\"totalTokenCount\":88,\"thoughtsTokenCount\":30")
      + geminiChunk("!", ",\"finishReason\":\"STOP\"",
          "\"promptTokenCount\":50,\"candidatesTokenCount\":20,\"totalTokenCount\":100,\"thoughtsTokenCount\":30");
  static final String GEMINI_SSE_COST = "0.00014";

  private static String geminiChunk(String text, String finish, String usage) {
    return "data: {\"candidates\":[{\"content\":{\"parts\":[{\"text\":\"" + text + "\"}],\"role\":\"model\"}" + finish
        + ",\"index\":0}],\"usageMetadata\":{" + usage + ",\"promptTokensDetails\":[{\"modality\":\"TEXT\",\"tokenCount\":50}]},"
        + "\"modelVersion\":\"gemini-2.5-flash\",\"responseId\":\"gs1\"}\r\n\r\n";
  }

  private static String chunk(String delta, String finish) {
    return "data: {\"id\":\"chatcmpl-s1\",\"object\":\"chat.completion.chunk\",\"created\":1730000000,\"model\":\"gpt-4o-mini-2024-07-18\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"finish_reason\":" + finish + "}]}\n\n";
  }

  /** OpenAI's answers to a rate-limited call and to a server failure: no usage, nothing billed. */
  static final String OPENAI_RATE_LIMITED = "{\"error\":{\"message\":\"Rate limit reached for gpt-4o-mini in organization org-it on "
      + "requests per min (RPM): Limit 3, Used 3, Requested 1.\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}";
  static final String OPENAI_SERVER_ERROR = "{\"error\":{\"message\":\"The server had an error while processing your request.\","
      + "\"type\":\"server_error\",\"param\":null,\"code\":null}}";

  static MockResponse error(int code, String body) {
    return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
  }

  static final String OPENROUTER_REQUEST = "{\"model\":\"openai/gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":100}";
  /** OpenRouter's answer, whose usage carries what it charged in USD: 0.123456789, whatever the tokens. */
  static final String OPENROUTER_JSON = "{\"id\":\"gen-it1\",\"provider\":\"OpenAI\",\"model\":\"openai/gpt-4o-mini\",\"object\":\"chat.completion\","
      + "\"created\":1730000000,\"choices\":[{\"finish_reason\":\"stop\",\"native_finish_reason\":\"stop\",\"index\":0,"
      + "\"message\":{\"role\":\"assistant\",\"content\":\"Hello there!\",\"refusal\":null}}],\"usage\":{\"prompt_tokens\":1200,"
      + "\"completion_tokens\":300,\"total_tokens\":1500,\"cost\":0.123456789,\"is_byok\":false,\"prompt_tokens_details\":{\"cached_tokens\":200},"
      + "\"cost_details\":{\"upstream_inference_cost\":null},\"completion_tokens_details\":{\"reasoning_tokens\":0}}}";

  /** A models listing: a GET in real life, never metered whatever the method. */
  static final String OPENAI_MODELS = "{\"object\":\"list\",\"data\":[{\"id\":\"gpt-4o-mini\",\"object\":\"model\","
      + "\"created\":1721172741,\"owned_by\":\"system\"}]}";

  static MockResponse json(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build();
  }

  /** JSON as a server sends it compressed: gzip, with {@code Content-Encoding: gzip}. */
  static MockResponse gzipJson(String body) {
    Buffer out = new Buffer();
    try (BufferedSink sink = Okio.buffer(new GzipSink(out))) {
      sink.writeUtf8(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").addHeader("Content-Encoding", "gzip")
        .body(out).build();
  }

  /** An event stream sent in small chunks, as a real provider flushes it. */
  static MockResponse sse(String body) {
    return new MockResponse.Builder().code(200).addHeader("Content-Type", "text/event-stream")
        .chunkedBody(body, 64).build();
  }
}
