package dev.tollgate.agent.usage;

import static dev.tollgate.agent.usage.Corpus.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/**
 * 200 MB bodies generated as they are fed (nothing stored): what a tap holds on to must not grow
 * with the body, measured structurally with {@link RetainedBytes} (no heap or timing measurement).
 */
class UsageTapHugeBodyTest {
  private static final long HUGE = 200L << 20;
  private static final int CHUNK = 64 * 1024;

  @Test
  void feed_200MbChatStream_readsTheUsageAndRetainsTheSameAsAfterTheFirstMegabyte() {
    byte[] delta = utf8("data: {\"id\":\"chatcmpl-huge\",\"object\":\"chat.completion.chunk\",\"created\":1756459001,"
        + "\"model\":\"gpt-4.1-2025-04-14\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" tok\u00e9n\"},"
        + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null}\n\n");
    byte[] last = utf8("data: {\"id\":\"chatcmpl-huge\",\"object\":\"chat.completion.chunk\",\"created\":1756459001,"
        + "\"model\":\"gpt-4.1-2025-04-14\",\"choices\":[],\"usage\":{\"prompt_tokens\":812,\"completion_tokens\":1048576,"
        + "\"total_tokens\":1049388}}\n\ndata: [DONE]\n\n");
    UsageTap tap = UsageTap.forResponse(Formats.OPENAI, Corpus.SSE);
    byte[] chunk = repeated(delta);

    long fed = feed(tap, chunk, 1L << 20);
    long retainedEarly = RetainedBytes.of(tap);
    fed += feed(tap, chunk, HUGE - fed);
    tap.feed(last, 0, last.length);

    assertThat(tap.isComplete()).isTrue();
    assertThat(tap.failed()).isFalse();
    assertThat(tap.usage().input).isEqualTo(812);
    assertThat(tap.usage().output).isEqualTo(1_048_576);
    assertThat(tap.bytes()).isEqualTo(fed + last.length).isGreaterThanOrEqualTo(HUGE);
    assertThat(RetainedBytes.of(tap)).isLessThanOrEqualTo(retainedEarly + 1024).isLessThan(16 * 1024);
  }

  @Test
  void feed_200MbSingleEvent_isParsedAsItFlowsAndItsUsageRead() {
    // A Responses API stream repeats the whole output in response.completed: one line of 200 MB.
    byte[] head = utf8("event: response.completed\ndata: {\"type\":\"response.completed\",\"sequence_number\":7,"
        + "\"response\":{\"id\":\"resp_huge\",\"object\":\"response\",\"status\":\"completed\",\"model\":\"gpt-4.1-2025-04-14\","
        + "\"output\":[{\"id\":\"msg_huge\",\"type\":\"message\",\"content\":[{\"type\":\"output_text\",\"text\":\"");
    byte[] text = utf8("A quoted \\\"word\\\", a tab\\t, caf\u00e9 \u2603 and \\u00e9 again. ");
    byte[] tail = utf8("\"}]}],\"usage\":{\"input_tokens\":96,\"input_tokens_details\":{\"cached_tokens\":0},"
        + "\"output_tokens\":52428800,\"output_tokens_details\":{\"reasoning_tokens\":0},\"total_tokens\":52428896}}}\n\n");
    UsageTap tap = UsageTap.forResponse(Formats.OPENAI, Corpus.SSE);

    long retainedEarly = feedHugeBody(tap, head, text, tail);
    tap.end();

    assertThat(tap.failed()).isFalse();
    assertThat(tap.isComplete()).isTrue();
    assertThat(tap.usage().output).isEqualTo(52_428_800);
    assertThat(tap.model()).isEqualTo("gpt-4.1-2025-04-14");
    assertThat(RetainedBytes.of(tap)).isLessThanOrEqualTo(retainedEarly + 1024).isLessThan(256 * 1024);
  }

  @Test
  void feed_200MbJsonWithOneHugeString_readsTheUsageWithoutBufferingTheString() {
    byte[] head = utf8("{\"id\":\"chatcmpl-huge-json\",\"object\":\"chat.completion\",\"created\":1756459001,"
        + "\"model\":\"gpt-4.1-2025-04-14\",\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"");
    byte[] text = utf8("line one\\nline \\\"two\\\" \u00fcber \uD83D\uDE80 \\ud83d\\ude80 ");
    byte[] tail = utf8("\",\"refusal\":null},\"finish_reason\":\"length\"}],\"usage\":{\"prompt_tokens\":64,"
        + "\"completion_tokens\":32768,\"total_tokens\":32832}}");
    UsageTap tap = UsageTap.forResponse(Formats.OPENAI, Corpus.JSON);

    long retainedEarly = feedHugeBody(tap, head, text, tail);

    assertThat(tap.failed()).isFalse();
    assertThat(tap.isComplete()).isTrue();
    assertThat(tap.usage().input).isEqualTo(64);
    assertThat(tap.usage().output).isEqualTo(32_768);
    assertThat(tap.responseId()).isEqualTo("chatcmpl-huge-json");
    assertThat(RetainedBytes.of(tap)).isLessThanOrEqualTo(retainedEarly + 1024).isLessThan(256 * 1024);
  }

  /**
   * Feeds {@code head}, then {@code unit} repeated for {@link #HUGE} bytes, then {@code tail};
   * returns what the tap retained after the first megabyte.
   */
  private static long feedHugeBody(UsageTap tap, byte[] head, byte[] unit, byte[] tail) {
    tap.feed(head, 0, head.length);
    byte[] chunk = repeated(unit);
    long fed = feed(tap, chunk, 1L << 20);
    long retainedEarly = RetainedBytes.of(tap);
    feed(tap, chunk, HUGE - fed);
    tap.feed(tail, 0, tail.length);
    return retainedEarly;
  }

  /** {@code unit} repeated to fill about {@link #CHUNK} bytes, whole units only. */
  private static byte[] repeated(byte[] unit) {
    int times = Math.max(1, CHUNK / unit.length);
    byte[] chunk = new byte[times * unit.length];
    for (int i = 0; i < times; i++) {
      System.arraycopy(unit, 0, chunk, i * unit.length, unit.length);
    }
    return chunk;
  }

  /** Feeds {@code chunk} until at least {@code atLeast} bytes went in; returns how many did. */
  private static long feed(UsageTap tap, byte[] chunk, long atLeast) {
    long fed = 0;
    while (fed < atLeast) {
      tap.feed(chunk, 0, chunk.length);
      fed += chunk.length;
    }
    return fed;
  }
}
