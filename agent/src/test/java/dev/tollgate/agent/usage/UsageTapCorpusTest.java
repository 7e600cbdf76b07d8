package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.endpoint.Format;
import java.math.BigDecimal;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
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
      expected.stream = path.endsWith(".sse") || path.endsWith(".ndjson") || path.endsWith(".eventstream");
    }

    @Override
    public String toString() {
      return path;
    }
  }

  static Stream<Case> corpus() {
    return Stream.of(
        new Case("openai/chat-completion.json", Formats.OPENAI,
            done("o4-mini-2025-04-16", "chatcmpl-C9xKq3bT1mFzr8wXhPLr0e6gk2aJd").usage(1921, 392, 1536, 0, 320)),
        new Case("openai/chat-stream-include-usage.sse", Formats.OPENAI,
            done("gpt-4o-mini-2024-07-18", "chatcmpl-C9yT7wQ2nV4kLd0pX8sRmZbH1fJeU").usage(1187, 11, 1024, 0, 0)),
        new Case("openai/chat-stream-no-usage.sse", Formats.OPENAI,
            noUsage("gpt-4o-2024-08-06", "chatcmpl-C9yWb1cR5tHqN0vLk3JmYpS8dEa2F")),
        new Case("openai/responses.json", Formats.OPENAI,
            done("gpt-5-mini-2025-08-07", "resp_68b1c6f2a4e08190b3f5c1d7e2a94f0c0d6a8b3e5f7c9a1b").usage(2412, 615, 2048, 0, 448)),
        new Case("openai/responses-stream.sse", Formats.OPENAI,
            done("gpt-4.1-mini-2025-04-14", "resp_68b1c7a09e6c8193a1f0b2c3d4e5f6a70e1f2a3b4c5d6e7f").usage(1830, 16, 1664, 0, 0)),
        new Case("openai/embeddings.json", Formats.OPENAI,
            done("text-embedding-3-small", null).usage(14, 0, 0, 0, 0)),
        new Case("openrouter/chat-completion.json", Formats.OPENAI,
            done("openai/gpt-4o-mini", "gen-1756483127-Hq2vXk9LmP4tRz8NcW3b").usage(2230, 19, 1152, 0, 0).cost("0.00021537")),
        new Case("openrouter/chat-stream.sse", Formats.OPENAI,
            done("anthropic/claude-3.5-sonnet", "gen-1756483302-Tz4pQa7WnE1sYc5KbV0m").usage(5121, 9, 4608, 0, 0).cost("0.0036981")),
        // Anthropic's input_tokens excludes the cache: normalised input = 12 + 20471 read + 1843 written.
        new Case("anthropic/message.json", Formats.ANTHROPIC,
            done("claude-sonnet-4-20250514", "msg_01XFDUDYJgAACzvnptvVoYEL").usage(22326, 387, 20471, 1843, 0)),
        new Case("anthropic/messages-stream.sse", Formats.ANTHROPIC,
            done("claude-3-5-haiku-20241022", "msg_01Wx7mKq2VfTn8RpZ3cLbJ4d").usage(25, 15, 0, 0, 0)),
        // Three cumulative message_delta events (61, 148, 503 output): the last wins, never the sum;
        // the last one also revises input to 10682 (+ 3074 cache read).
        new Case("anthropic/messages-stream-server-tools.sse", Formats.ANTHROPIC,
            done("claude-sonnet-4-5-20250929", "msg_01Hb6TzQ3kNp9VwYc2XrLm8F").usage(13756, 503, 3074, 0, 0)),
        // message_delta sends the input counts as null: message_start's 2679 + 1546 written stand.
        new Case("anthropic/messages-stream-tool-use.sse", Formats.ANTHROPIC,
            done("claude-opus-4-1-20250805", "msg_014p7gG3wDgGV9EUtLvnow3U").usage(4225, 89, 0, 1546, 0)),
        // Thoughts are billed as output: 198 + 1027.
        new Case("gemini/generate-content.json", Formats.GEMINI,
            done("gemini-2.5-flash", "qUS2aO_bLZTRkdUPxJ-Q6Ag").usage(2117, 1225, 1024, 0, 1027)),
        // Running totals: the last chunk's 41 candidates + 518 thoughts, not a sum over chunks.
        new Case("gemini/stream-generate-content.sse", Formats.GEMINI,
            done("gemini-2.5-flash", "p0a2aPzQBLuHkdUPo7_ZqQk").usage(9, 559, 0, 0, 518)),
        new Case("gemini/stream-generate-content-array.json", Formats.GEMINI,
            done("gemini-2.5-flash", "p0a2aPzQBLuHkdUPo7_ZqQk").usage(9, 559, 0, 0, 518)),
        // Vertex AI: the same usageMetadata, with trafficType (a string) and per-modality details.
        new Case("vertex/generate-content.json", Formats.GEMINI,
            done("gemini-2.5-flash", "S7e2aL-dDYGrgLUPtYyB8Aw").usage(3104, 416, 2048, 0, 401)),
        new Case("vertex/stream-generate-content.sse", Formats.GEMINI,
            done("gemini-2.5-pro", "k8i2aLyxB5WSgLUP1uKP0A4").usage(57, 1232, 0, 0, 1224)),
        // The same two over gRPC (protobuf messages, gRPC framing): a gRPC body is never complete before the call closes.
        new Case("vertex/generate-content.grpc", Formats.GEMINI,
            partial("gemini-2.5-flash", "S7e2aL-dDYGrgLUPtYyB8Aw").usage(3104, 416, 2048, 0, 401)),
        new Case("vertex/stream-generate-content.grpc", Formats.GEMINI,
            partial("gemini-2.5-pro", "k8i2aLyxB5WSgLUP1uKP0A4").usage(57, 1232, 0, 0, 1224)),
        // Cut inside the last message's usage: nothing of that message counts, the earlier ones' model and id do.
        new Case("vertex/stream-generate-content-cut.grpc", Formats.GEMINI, interrupted(noUsage("gemini-2.5-pro",
            "k8i2aLyxB5WSgLUP1uKP0A4"))),
        // Azure: the model of the response (not the deployment); the first chunk's empty model and id are skipped.
        new Case("azure/chat-completion.json", Formats.OPENAI,
            done("gpt-4o-2024-11-20", "chatcmpl-CECNPq0mZb3kX7vT2yHd8sWfJ1uLa").usage(2611, 14, 2304, 0, 0)),
        new Case("azure/chat-stream-include-usage.sse", Formats.OPENAI,
            done("gpt-4o-mini-2024-07-18", "chatcmpl-CECImr5TLfMFiZN3FUlfVdBLr51Fs").usage(1342, 10, 1152, 0, 0)),
        new Case("azure/chat-stream-no-usage.sse", Formats.OPENAI,
            noUsage("gpt-4o-mini-2024-07-18", "chatcmpl-CECImr5TLfMFiZN3FUlfVdBLr51Fs")),
        new Case("mistral/chat-completion.json", Formats.OPENAI,
            done("mistral-medium-2508", "4b6f0e2a9c1d4e7fa3b5c8d2e1f09a7b").usage(41, 12, 0, 0, 0)),
        // Mistral's usage rides on the last chunk, whose choices are not empty.
        new Case("mistral/chat-stream.sse", Formats.OPENAI,
            done("mistral-small-2506", "7d2c5e0f1a3b4c6d8e9f0a1b2c3d4e5f").usage(18, 7, 0, 0, 0)),
        // Groq's timings are decimals beside the counts; in streams usage sits under x_groq.
        new Case("groq/chat-completion.json", Formats.OPENAI,
            done("llama-3.3-70b-versatile", "chatcmpl-5a0c9d1e-7f3b-4e2a-9c6d-1b8e4f2a7c30").usage(52, 11, 0, 0, 0)),
        new Case("groq/chat-stream.sse", Formats.OPENAI,
            done("llama-3.1-8b-instant", "chatcmpl-8e2b7c41-93d0-4f5a-b6e1-2c7d9f0a3b58").usage(44, 6, 0, 0, 0)),
        // DeepSeek's prompt_cache_hit_tokens; its reasoning is inside completion_tokens (total = 262 + 96).
        new Case("deepseek/chat-completion.json", Formats.OPENAI,
            done("deepseek-chat", "3f9b2c1e-6a7d-4b8e-9c0f-1d2e3f4a5b6c").usage(1583, 13, 1536, 0, 0)),
        new Case("deepseek/chat-stream-reasoner.sse", Formats.OPENAI,
            done("deepseek-reasoner", "0c5e8a2f-4b1d-47c9-a3e6-9f2b8d1c7e40").usage(262, 96, 256, 0, 89)),
        new Case("together/chat-completion.json", Formats.OPENAI,
            done("meta-llama/Llama-3.3-70B-Instruct-Turbo", "o2k7Qz1-6UHjtw-97a4c1e2f3b5d6e8").usage(47, 9, 0, 0, 0)),
        new Case("together/chat-stream.sse", Formats.OPENAI,
            done("meta-llama/Llama-3.3-70B-Instruct-Turbo", "o2k8Tn4-2kFHot-97a4c3d9e8f7a6b5").usage(39, 8, 0, 0, 0)),
        // grok-3-mini leaves its 314 reasoning tokens out of completion_tokens (total = 31 + 10 + 314): billed 324.
        new Case("xai/chat-completion-reasoning.json", Formats.OPENAI,
            done("grok-3-mini", "7f1c2a9e-4d3b-4a8f-b2c6-0e9d8c7b6a51").usage(31, 324, 6, 0, 314)),
        // grok-4 counts them inside (total = 686 + 123): not added twice.
        new Case("xai/chat-completion.json", Formats.OPENAI,
            done("grok-4-0709", "2b9e5c7a-1f0d-4e3c-8a6b-5d4c3b2a1f09").usage(686, 123, 679, 0, 112)),
        // xAI repeats running totals on every chunk: the last wins.
        new Case("xai/chat-stream.sse", Formats.OPENAI,
            done("grok-3", "e409f4cc-6be8-4920-8de4-9849e7c66cd9").usage(38, 6, 0, 0, 0)),
        new Case("fireworks/chat-completion.json", Formats.OPENAI,
            done("accounts/fireworks/models/llama-v3p1-8b-instruct", "b7a6c5d4-e3f2-4a1b-9c8d-7e6f5a4b3c2d").usage(25, 8, 0, 0, 0)),
        new Case("fireworks/chat-stream.sse", Formats.OPENAI,
            done("accounts/fireworks/models/deepseek-v3p1", "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f").usage(1212, 5, 1024, 0, 0)),
        // Cohere bills billed_units (5 in), not the 71 tokens the prompt template made; no model in responses.
        new Case("cohere/chat.json", Formats.COHERE,
            done(null, "c14c80c3-18eb-4519-9460-6c92edd8cfb4").usage(5, 12, 0, 0, 0)),
        new Case("cohere/chat-stream.sse", Formats.COHERE,
            done(null, "a8fc192e-4bb8-4e15-ae1f-a174e8b02ae8").usage(3, 6, 0, 0, 0)),
        new Case("cohere/embed.json", Formats.COHERE,
            done(null, "5807ee2e-0cda-445a-9ec8-864c60a06606").usage(4, 0, 0, 0, 0)),
        // BYOK: OpenRouter's fee 0.00018315 plus the 0.003867 the provider bills on the user's key.
        new Case("openrouter/chat-completion-byok.json", Formats.OPENAI,
            done("anthropic/claude-sonnet-4", "gen-1756484410-Vb8nR2kLq5WzT7yHc3Mx").usage(1204, 17, 0, 0, 0).cost("0.00405015")),
        // Responses API stopped by max_output_tokens: usage in response.incomplete.
        new Case("openai/responses-stream-incomplete.sse", Formats.OPENAI,
            done("o4-mini-2025-04-16", "resp_68b1d2e4f0a88190a6c3b9e1d7f2a4c60b5e8d1f3a7c9e2b").usage(1288, 64, 1024, 0, 64)),
        // response.failed with usage null: complete, failed by the provider, nothing to bill.
        new Case("openai/responses-stream-failed.sse", Formats.OPENAI,
            providerFailed(noUsage("o4-mini-2025-04-16", "resp_68b1d3a7c2e48190f1b6d4a8c3e9b7d20a4f6c8e1b3d5a7c"))),
        new Case("openai/chat-completion-no-usage.json", Formats.OPENAI,
            noUsage("gpt-4o-mini-2024-07-18", "chatcmpl-CA0fJ7u2QeX3pLr9sVb1kNd6yHt4M")),
        // A proxy's error page spliced into the body: the tap fails quietly after the 12 it read.
        new Case("openai/chat-completion-malformed.json", Formats.OPENAI,
            malformed("gpt-4o-2024-08-06", "chatcmpl-CA0gQ1w8TnY5mKz2rVc7bLe4xUs9P").usage(12, 0, 0, 0, 0)),
        // Bedrock: Converse's inputTokens exclude the cache reads and writes counted beside them.
        new Case("bedrock/converse.json", Formats.BEDROCK, done(null, null).usage(2660, 12, 2048, 512, 0)),
        new Case("bedrock/converse-stream.eventstream", Formats.BEDROCK, done(null, null).usage(1107, 7, 1024, 0, 0)),
        // A ConverseStream cut before its metadata event: no usage, never complete.
        new Case("bedrock/converse-stream-cut.eventstream", Formats.BEDROCK, cut()),
        // A modelStreamErrorException message mid-stream: the provider failed the call.
        new Case("bedrock/converse-stream-error.eventstream", Formats.BEDROCK, providerFailed(noUsage(null, null))),
        // InvokeModel's native bodies; the model stays the one the path names.
        new Case("bedrock/invoke-anthropic.json", Formats.BEDROCK,
            done(null, "msg_bdrk_01XkQ7vTn2Lc9WpRz4Hs8JmB").usage(1500, 25, 1000, 200, 0)),
        new Case("bedrock/invoke-nova.json", Formats.BEDROCK, done(null, null).usage(44, 6, 0, 0, 0)),
        new Case("bedrock/invoke-llama.json", Formats.BEDROCK, done(null, null).usage(18, 11, 0, 0, 0)),
        new Case("bedrock/invoke-titan-embed.json", Formats.BEDROCK, done(null, null).usage(7, 0, 0, 0, 0)),
        new Case("bedrock/invoke-cohere-command-r.json", Formats.BEDROCK, done(null, null).usage(9, 4, 0, 0, 0)),
        // Cohere's embeddings name no count in the body: Bedrock's response headers do (MeteredCallTest).
        new Case("bedrock/invoke-cohere-embed.json", Formats.BEDROCK, noUsage(null, "1f0b2e9c-3a4d-4e5f-8a7b-6c5d4e3f2a1b")),
        // InvokeModelWithResponseStream: base64 chunks; Bedrock's invocation metrics on the last one.
        new Case("bedrock/invoke-stream-anthropic.eventstream", Formats.BEDROCK, done(null, null).usage(512, 9, 0, 0, 0)),
        new Case("bedrock/invoke-stream-llama.eventstream", Formats.BEDROCK, done(null, null).usage(21, 4, 0, 0, 0)),
        // Overloaded mid-stream: message_start's input stands, the output count never became final.
        new Case("anthropic/messages-stream-overloaded.sse", Formats.ANTHROPIC,
            partial("claude-sonnet-4-20250514", "msg_01QbR5nWv8XkT2mJ7cLp4Hs9").usage(2041, 1, 0, 0, 0)),
        // Partner-hosted: Claude on Vertex AI (rawPredict, streamRawPredict with CRLF framing), Gemini's OpenAI-compatible API
        new Case("vertex/anthropic-raw-predict.json", Formats.ANTHROPIC,
            done("claude-sonnet-4-20250514", "msg_vrtx_01PqT4mWn8Lk2ZcR7bXsYd3F").usage(41, 16, 0, 0, 0)),
        new Case("vertex/anthropic-stream-raw-predict.sse", Formats.ANTHROPIC,
            done("claude-3-5-haiku-20241022", "msg_vrtx_01Hc9ZpQ4wKt7NbV2mLxRs5J").usage(18, 6, 0, 0, 0)),
        new Case("gemini/openai-compatible-chat.json", Formats.OPENAI,
            done("gemini-2.5-flash", "4M62aOWfK5DdkdUP8qXzwQk").usage(7, 9, 0, 0, 0)),
        // Ollama: prompt_eval_count in, eval_count out, at the root of the body or of the stream's done:true line.
        new Case("ollama/chat.json", Formats.OLLAMA, done("llama3.2", null).usage(31, 29, 0, 0, 0)),
        new Case("ollama/chat-stream.ndjson", Formats.OLLAMA, done("llama3.2", null).usage(28, 5, 0, 0, 0)),
        new Case("ollama/generate.json", Formats.OLLAMA, done("qwen2.5:7b", null).usage(36, 3, 0, 0, 0)),
        new Case("ollama/generate-stream.ndjson", Formats.OLLAMA, done("qwen2.5:7b", null).usage(36, 4, 0, 0, 0)),
        new Case("ollama/embed.json", Formats.OLLAMA, done("all-minilm", null).usage(8, 0, 0, 0, 0)),
        // The legacy /api/embeddings reports no usage at all: recorded estimated.
        new Case("ollama/embeddings-legacy.json", Formats.OLLAMA, noUsage(null, null)),
        // The connection dropped inside the third line: no done:true, no counts.
        new Case("ollama/chat-stream-interrupted.ndjson", Formats.OLLAMA, interrupted(noUsage("llama3.2", null))));
  }

  private static Outcome interrupted(Outcome o) {
    o.complete = false;
    return o;
  }

  private static Outcome cut() {
    Outcome o = noUsage(null, null);
    o.complete = false;
    return o;
  }

  private static Outcome providerFailed(Outcome o) {
    o.providerFailed = true;
    return o;
  }

  private static Outcome malformed(String model, String id) {
    Outcome o = partial(model, id);
    o.failed = true;
    return o;
  }

  private static Outcome partial(String model, String id) {
    Outcome o = done(model, id);
    o.hasFinalUsage = false;
    o.complete = false;
    return o;
  }

  private static Outcome done(@Nullable String model, @Nullable String id) {
    Outcome o = new Outcome();
    o.hasUsage = true;
    o.hasFinalUsage = true;
    o.complete = true;
    o.model = model;
    o.responseId = id;
    return o;
  }

  private static Outcome noUsage(@Nullable String model, @Nullable String id) {
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
