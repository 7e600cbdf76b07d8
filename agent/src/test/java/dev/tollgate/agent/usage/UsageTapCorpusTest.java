package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.endpoint.Format;
import java.math.BigDecimal;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every recorded response, fed whole and in every chunking an HTTP client could produce: the
 * usage must be exact and identical however the bytes arrive.
 */
class UsageTapCorpusTest {
  /**
   * Files up to this size are split in two at every byte position; larger ones at every position
   * near a line break and in their last {@link #TAIL} bytes (where the usage is).
   */
  private static final int EVERY_POSITION_LIMIT = 4 * 1024;
  private static final int TAIL = 512;

  /** One corpus file and the outcome it must give. */
  static final class Case {
    final String path;
    final Format format;
    final Outcome expected;

    Case(String path, Format format, Outcome expected) {
      this.path = path;
      this.format = format;
      this.expected = expected;
      expected.bytes = Corpus.read(path).length;
      expected.stream = path.endsWith(".sse");
    }

    @Override
    public String toString() {
      return path;
    }
  }

  static Stream<Case> corpus() {
    return Stream.of(
        new Case("openai/chat-completion.json", Format.OPENAI,
            done("o4-mini-2025-04-16", "chatcmpl-C9xKq3bT1mFzr8wXhPLr0e6gk2aJd").usage(1921, 392, 1536, 0, 320)),
        new Case("openai/chat-stream-include-usage.sse", Format.OPENAI,
            done("gpt-4o-mini-2024-07-18", "chatcmpl-C9yT7wQ2nV4kLd0pX8sRmZbH1fJeU").usage(1187, 11, 1024, 0, 0)),
        new Case("openai/chat-stream-no-usage.sse", Format.OPENAI,
            noUsage("gpt-4o-2024-08-06", "chatcmpl-C9yWb1cR5tHqN0vLk3JmYpS8dEa2F")),
        new Case("openai/responses.json", Format.OPENAI,
            done("gpt-5-mini-2025-08-07", "resp_68b1c6f2a4e08190b3f5c1d7e2a94f0c0d6a8b3e5f7c9a1b").usage(2412, 615, 2048, 0, 448)),
        new Case("openai/responses-stream.sse", Format.OPENAI,
            done("gpt-4.1-mini-2025-04-14", "resp_68b1c7a09e6c8193a1f0b2c3d4e5f6a70e1f2a3b4c5d6e7f").usage(1830, 16, 1664, 0, 0)),
        new Case("openai/embeddings.json", Format.OPENAI,
            done("text-embedding-3-small", null).usage(14, 0, 0, 0, 0)),
        new Case("openrouter/chat-completion.json", Format.OPENAI,
            done("openai/gpt-4o-mini", "gen-1756483127-Hq2vXk9LmP4tRz8NcW3b").usage(2230, 19, 1152, 0, 0).cost("0.00021537")),
        new Case("openrouter/chat-stream.sse", Format.OPENAI,
            done("anthropic/claude-3.5-sonnet", "gen-1756483302-Tz4pQa7WnE1sYc5KbV0m").usage(5121, 9, 4608, 0, 0).cost("0.0036981")),
        // Anthropic's input_tokens excludes the cache: normalised input = 12 + 20471 read + 1843 written.
        new Case("anthropic/message.json", Format.ANTHROPIC,
            done("claude-sonnet-4-20250514", "msg_01XFDUDYJgAACzvnptvVoYEL").usage(22326, 387, 20471, 1843, 0)),
        new Case("anthropic/messages-stream.sse", Format.ANTHROPIC,
            done("claude-3-5-haiku-20241022", "msg_01Wx7mKq2VfTn8RpZ3cLbJ4d").usage(25, 15, 0, 0, 0)),
        // Three cumulative message_delta events (61, 148, 503 output): the last wins, never the sum;
        // the last one also revises input to 10682 (+ 3074 cache read).
        new Case("anthropic/messages-stream-server-tools.sse", Format.ANTHROPIC,
            done("claude-sonnet-4-5-20250929", "msg_01Hb6TzQ3kNp9VwYc2XrLm8F").usage(13756, 503, 3074, 0, 0)),
        // message_delta sends the input counts as null: message_start's 2679 + 1546 written stand.
        new Case("anthropic/messages-stream-tool-use.sse", Format.ANTHROPIC,
            done("claude-opus-4-1-20250805", "msg_014p7gG3wDgGV9EUtLvnow3U").usage(4225, 89, 0, 1546, 0)),
        // Thoughts are billed as output: 198 + 1027.
        new Case("gemini/generate-content.json", Format.GEMINI,
            done("gemini-2.5-flash", "qUS2aO_bLZTRkdUPxJ-Q6Ag").usage(2117, 1225, 1024, 0, 1027)),
        // Running totals: the last chunk's 41 candidates + 518 thoughts, not a sum over chunks.
        new Case("gemini/stream-generate-content.sse", Format.GEMINI,
            done("gemini-2.5-flash", "p0a2aPzQBLuHkdUPo7_ZqQk").usage(9, 559, 0, 0, 518)),
        new Case("gemini/stream-generate-content-array.json", Format.GEMINI,
            done("gemini-2.5-flash", "p0a2aPzQBLuHkdUPo7_ZqQk").usage(9, 559, 0, 0, 518)));
  }

  private static Outcome done(String model, /* @Nullable */ String id) {
    Outcome o = new Outcome();
    o.hasUsage = true;
    o.hasFinalUsage = true;
    o.complete = true;
    o.model = model;
    o.responseId = id;
    return o;
  }

  private static Outcome noUsage(String model, String id) {
    Outcome o = done(model, id);
    o.hasUsage = false;
    o.hasFinalUsage = false;
    return o;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void feed_wholeBody_readsExactUsage(Case c) {
    byte[] data = Corpus.read(c.path);

    UsageTap tap = Corpus.tap(c.format, Corpus.contentType(c.path), data);

    assertThat(Outcome.of(tap)).isEqualTo(c.expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void feed_oneByteAtATime_givesTheSameUsage(Case c) {
    byte[] data = Corpus.read(c.path);

    UsageTap tap = Corpus.feed(c.format, Corpus.contentType(c.path), data, Corpus.everyByte(data.length), false);

    assertThat(Outcome.of(tap)).isEqualTo(c.expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void feed_randomSplits_giveTheSameUsage(Case c) {
    byte[] data = Corpus.read(c.path);
    int[] maxChunks = {2, 7, 64, 512, 8192};
    for (long seed = 1; seed <= 40; seed++) {
      int[] cuts = Corpus.randomCuts(data.length, seed, maxChunks[(int) (seed % maxChunks.length)]);

      UsageTap tap = Corpus.feed(c.format, Corpus.contentType(c.path), data, cuts, false);

      assertThat(Outcome.of(tap)).as("seed %d", seed).isEqualTo(c.expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void feed_splitInTwoAtEveryPosition_givesTheSameUsage(Case c) {
    byte[] data = Corpus.read(c.path);
    for (int at = 1; at < data.length; at++) {
      if (data.length > EVERY_POSITION_LIMIT && at < data.length - TAIL && !nearLineBreak(data, at)) {
        continue;
      }
      UsageTap tap = Corpus.feed(c.format, Corpus.contentType(c.path), data, new int[] {at}, false);

      assertThat(Outcome.of(tap)).as("split at %d", at).isEqualTo(c.expected);
    }
  }

  private static boolean nearLineBreak(byte[] data, int at) {
    for (int i = Math.max(0, at - 3); i < Math.min(data.length, at + 3); i++) {
      if (data[i] == '\n') {
        return true;
      }
    }
    return false;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void feed_readBufferReusedByTheApplication_givesTheSameUsage(Case c) {
    byte[] data = Corpus.read(c.path);
    for (long seed = 1; seed <= 10; seed++) {
      int[] cuts = Corpus.randomCuts(data.length, seed, 1 + (int) seed * 37);

      UsageTap tap = Corpus.feed(c.format, Corpus.contentType(c.path), data, cuts, true);

      assertThat(Outcome.of(tap)).as("seed %d", seed).isEqualTo(c.expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void feed_crlfLineEndings_givesTheSameUsage(Case c) {
    if (!c.path.endsWith(".sse") || Corpus.text(c.path).contains("\r\n")) {
      return;
    }
    byte[] data = Corpus.utf8(Corpus.text(c.path).replace("\n", "\r\n"));

    UsageTap tap = Corpus.feed(c.format, Corpus.SSE, data, Corpus.randomCuts(data.length, 7, 33), false);

    Outcome outcome = Outcome.of(tap);
    outcome.bytes = c.expected.bytes;
    assertThat(outcome).isEqualTo(c.expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void usage_providerCost_isTheExactDecimalSent(Case c) {
    if (c.expected.cost == null) {
      return;
    }
    UsageTap tap = Corpus.tap(c.format, Corpus.contentType(c.path), Corpus.read(c.path));

    BigDecimal cost = tap.usage().providerCostUsd;
    assertThat(cost).isEqualByComparingTo(new BigDecimal(c.expected.cost));
    assertThat(cost.toPlainString()).isEqualTo(c.expected.cost);
  }
}
