package dev.tollgate.benchmarks.jmh;

import java.nio.charset.StandardCharsets;

/** OpenAI and Anthropic wire bodies of typical size, as the agent's recorded fixtures look. */
final class Bodies {
  private static final String MESSAGES = "\"messages\":["
      + "{\"role\":\"system\",\"content\":\"You are a helpful, pattern-following assistant that translates corporate jargon into plain English.\"},"
      + "{\"role\":\"user\",\"content\":\"New synergies will help drive top-line growth.\"},"
      + "{\"role\":\"assistant\",\"content\":\"Things working well together will increase revenue.\"},"
      + "{\"role\":\"user\",\"content\":\"Let's circle back when we have more bandwidth to touch base on opportunities for increased leverage.\"},"
      + "{\"role\":\"assistant\",\"content\":\"Let's talk later when we're less busy about how to do better.\"},"
      + "{\"role\":\"user\",\"content\":\"This late pivot means we don't have time to boil the ocean for the client deliverable.\"}]";

  /** A chat completion request to an OpenAI model (counted with its tokenizer), ~0.8 KB. */
  static final byte[] OPENAI_REQUEST = utf8("{\"model\":\"gpt-4o-mini\",\"max_tokens\":256,\"temperature\":0," + MESSAGES + "}");

  /** The same conversation to Anthropic (counted with the chars/4 heuristic). */
  static final byte[] ANTHROPIC_REQUEST = utf8("{\"model\":\"claude-sonnet-4-20250514\",\"max_tokens\":256," + MESSAGES + "}");

  /** A non-streamed chat completion with usage, 1 KB (OpenAI's layout, pretty-printed as it is sent). */
  static final byte[] OPENAI_RESPONSE_1K = utf8(padTo(1024, "{\n"
      + "  \"id\": \"chatcmpl-C9xKq3bT1mFzr8wXhPLr0e6gk2aJd\",\n"
      + "  \"object\": \"chat.completion\",\n"
      + "  \"created\": 1756458813,\n"
      + "  \"model\": \"gpt-4o-mini-2024-07-18\",\n"
      + "  \"choices\": [\n"
      + "    {\n"
      + "      \"index\": 0,\n"
      + "      \"message\": {\n"
      + "        \"role\": \"assistant\",\n"
      + "        \"content\": \"%s\",\n"
      + "        \"refusal\": null,\n"
      + "        \"annotations\": []\n"
      + "      },\n"
      + "      \"logprobs\": null,\n"
      + "      \"finish_reason\": \"stop\"\n"
      + "    }\n"
      + "  ],\n"
      + "  \"usage\": {\n"
      + "    \"prompt_tokens\": 1921,\n"
      + "    \"completion_tokens\": 392,\n"
      + "    \"total_tokens\": 2313,\n"
      + "    \"prompt_tokens_details\": {\"cached_tokens\": 1536, \"audio_tokens\": 0},\n"
      + "    \"completion_tokens_details\": {\"reasoning_tokens\": 0, \"audio_tokens\": 0, "
      + "\"accepted_prediction_tokens\": 0, \"rejected_prediction_tokens\": 0}\n"
      + "  },\n"
      + "  \"service_tier\": \"default\",\n"
      + "  \"system_fingerprint\": \"fp_560af6e559\"\n"
      + "}\n"));

  private static final String CHUNK = "data: {\"id\":\"chatcmpl-C9yT7wQ2nV4kLd0pX8sRmZbH1fJeU\",\"object\":\"chat.completion.chunk\","
      + "\"created\":1756459001,\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_560af6e559\","
      + "\"choices\":[%s],\"usage\":null,\"obfuscation\":\"kP0aX\"}\n\n";

  private Bodies() {}

  /**
   * An OpenAI chat completion stream with {@code stream_options.include_usage}, as the network
   * delivers it: one element per event. {@code chunks} events in all: the role, the content
   * deltas, the finish reason, the usage chunk (empty choices), then {@code [DONE]}.
   */
  static byte[][] openAiStream(int chunks) {
    byte[][] events = new byte[chunks][];
    events[0] = utf8(String.format(CHUNK, choice("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null")));
    for (int i = 1; i < chunks - 3; i++) {
      events[i] = utf8(String.format(CHUNK, choice("{\"content\":\" token" + i + "\"}", "null")));
    }
    events[chunks - 3] = utf8(String.format(CHUNK, choice("{}", "\"stop\"")));
    events[chunks - 2] = utf8(("data: {\"id\":\"chatcmpl-C9yT7wQ2nV4kLd0pX8sRmZbH1fJeU\",\"object\":\"chat.completion.chunk\","
        + "\"created\":1756459001,\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":1187,"
        + "\"completion_tokens\":%d,\"total_tokens\":%d,\"prompt_tokens_details\":{\"cached_tokens\":1024,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
        + "\"rejected_prediction_tokens\":0}},\"obfuscation\":\"Xr\"}\n\n").replace("%d", String.valueOf(chunks - 4)));
    events[chunks - 1] = utf8("data: [DONE]\n\n");
    return events;
  }

  private static String choice(String delta, String finishReason) {
    return "{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}";
  }

  /** {@code template} with its one {@code %s} filled with prose so the whole is {@code size} bytes. */
  private static String padTo(int size, String template) {
    int room = size - (template.length() - 2);
    StringBuilder text = new StringBuilder();
    while (text.length() < room) {
      text.append("The invoice total is 1,284.50 EUR: three line items, a 5% discount and shipping. ");
    }
    return template.replace("%s", text.substring(0, room));
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
