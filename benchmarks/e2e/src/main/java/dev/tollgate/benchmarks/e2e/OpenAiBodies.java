package dev.tollgate.benchmarks.e2e;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** What the workload sends and the loopback server answers: OpenAI chat completions as the real API shapes them. */
final class OpenAiBodies {
  private OpenAiBodies() {}

  static final int JSON_BYTES = 1024;
  /** Content events in the stream; a finish event, a usage event and {@code [DONE]} follow them. */
  static final int STREAM_CONTENT_CHUNKS = 50;
  /** Every {@code data:} line of the stream, {@code [DONE]} included. */
  static final int STREAM_EVENTS = STREAM_CONTENT_CHUNKS + 3;

  private static final String MESSAGES = "\"messages\":[{\"role\":\"system\",\"content\":\"You are a concise assistant for a "
      + "travel booking site. Answer in two short paragraphs and never invent prices.\"},{\"role\":\"user\",\"content\":"
      + "\"I land in Lisbon at 7am on a Saturday and fly out Sunday night. Which neighbourhoods should I walk through, "
      + "and is the airport metro open that early?\"}]";

  static final String REQUEST = "{\"model\":\"gpt-4o-mini\"," + MESSAGES + ",\"max_tokens\":256,\"temperature\":0.2}";
  static final String STREAM_REQUEST = "{\"model\":\"gpt-4o-mini\"," + MESSAGES
      + ",\"max_tokens\":256,\"temperature\":0.2,\"stream\":true,\"stream_options\":{\"include_usage\":true}}";

  /** A {@code chat.completion} of exactly {@link #JSON_BYTES} bytes (the content is padded to fit). */
  static final byte[] JSON = json();

  /** The stream's events, one {@code data: …\n\n} each, as a provider flushes them. */
  static final List<byte[]> STREAM = stream();

  static boolean isStreamRequest(byte[] body, int length) {
    String text = new String(body, 0, length, StandardCharsets.UTF_8);
    return text.contains("\"stream\":true");
  }

  private static byte[] json() {
    String head = "{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion\",\"created\":1741569952,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"";
    String tail = "\",\"refusal\":null,\"annotations\":[]},\"logprobs\":null,\"finish_reason\":\"stop\"}],"
        + "\"usage\":{\"prompt_tokens\":71,\"completion_tokens\":152,\"total_tokens\":223,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0,\"accepted_prediction_tokens\":0,"
        + "\"rejected_prediction_tokens\":0}},\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\"}";
    String prose = "Start in Alfama early, before the tour groups, then walk up to the Graca viewpoint and down through "
        + "Mouraria. In the afternoon cross to Chiado and Bairro Alto; Sunday morning suits Belem and the riverside. "
        + "The airport metro (red line) opens at 6:30, so you can ride straight into the centre when you land. ";
    StringBuilder content = new StringBuilder();
    while (content.length() < JSON_BYTES - head.length() - tail.length()) {
      content.append(prose);
    }
    content.setLength(JSON_BYTES - head.length() - tail.length());
    return (head + content + tail).getBytes(StandardCharsets.UTF_8);
  }

  private static List<byte[]> stream() {
    List<byte[]> events = new ArrayList<>();
    events.add(event(chunk("{\"role\":\"assistant\",\"content\":\"\",\"refusal\":null}", "null")));
    for (int i = 1; i < STREAM_CONTENT_CHUNKS; i++) {
      events.add(event(chunk("{\"content\":\" word" + i + "\"}", "null")));
    }
    events.add(event(chunk("{}", "\"stop\"")));
    events.add(event("{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\",\"choices\":[],"
        + "\"usage\":{\"prompt_tokens\":71,\"completion_tokens\":50,\"total_tokens\":121,"
        + "\"prompt_tokens_details\":{\"cached_tokens\":0,\"audio_tokens\":0},"
        + "\"completion_tokens_details\":{\"reasoning_tokens\":0,\"audio_tokens\":0}}}"));
    events.add(event("[DONE]"));
    return events;
  }

  private static String chunk(String delta, String finishReason) {
    return "{\"id\":\"chatcmpl-B9MBs8CjcvOU2jLn4n570S5qMJKcT\",\"object\":\"chat.completion.chunk\",\"created\":1741569952,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"service_tier\":\"default\",\"system_fingerprint\":\"fp_06737a9306\","
        + "\"choices\":[{\"index\":0,\"delta\":" + delta + ",\"logprobs\":null,\"finish_reason\":" + finishReason + "}]}";
  }

  private static byte[] event(String data) {
    return ("data: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }
}
