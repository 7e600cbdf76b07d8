package dev.tollgate.agent.usage;

import static dev.tollgate.agent.usage.Corpus.utf8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import dev.tollgate.agent.endpoint.Format;
import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The ugly cases: truncated, malformed, interrupted and very long responses. */
class UsageTapTest {

  @ParameterizedTest
  @ValueSource(strings = {"text/event-stream", "text/event-stream; charset=utf-8", "TEXT/EVENT-STREAM;charset=UTF-8"})
  void forResponse_eventStreamContentType_givesStreamTap(String contentType) {
    assertThat(UsageTap.forResponse(Formats.OPENAI, contentType).isStream()).isTrue();
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "text/plain", "text/event"})
  void forResponse_otherContentType_givesJsonTap(String contentType) {
    assertThat(UsageTap.forResponse(Formats.OPENAI, contentType).isStream()).isFalse();
  }

  @Test
  void forResponse_noContentType_givesJsonTap() {
    assertThat(UsageTap.forResponse(Formats.ANTHROPIC, null).isStream()).isFalse();
  }

  @ParameterizedTest
  @CsvSource({
      "openai/chat-completion.json, OPENAI, \"usage\"",
      "openai/responses.json, OPENAI, \"usage\"",
      "openai/embeddings.json, OPENAI, \"usage\"",
      "openrouter/chat-completion.json, OPENAI, \"usage\"",
      "anthropic/message.json, ANTHROPIC, \"usage\"",
      "gemini/generate-content.json, GEMINI, \"usageMetadata\"",
      "gemini/stream-generate-content-array.json, GEMINI, \"usageMetadata\""})
  void feed_jsonTruncatedBeforeUsage_hasNoUsageAndDoesNotFail(String path, Format format, String marker) {
    String body = Corpus.text(path);
    byte[] truncated = utf8(body.substring(0, body.indexOf(marker)));

    UsageTap tap = Corpus.feed(format, Corpus.JSON, truncated, Corpus.randomCuts(truncated.length, 3, 50), false);

    assertThat(tap.hasUsage()).isFalse();
    assertThat(tap.hasFinalUsage()).isFalse();
    assertThat(tap.isComplete()).isFalse();
    assertThat(tap.failed()).isFalse();
    assertThat(tap.bytes()).isEqualTo(truncated.length);
  }

  @Test
  void feed_htmlErrorPageInsteadOfJson_marksFailedWithoutThrowing() {
    byte[] html = utf8("<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n");

    UsageTap tap = Corpus.tap(Formats.OPENAI, "text/html", html);

    assertThat(tap.failed()).isTrue();
    assertThat(tap.hasUsage()).isFalse();
    assertThat(tap.isComplete()).isFalse();
  }

  @Test
  void feed_invalidUtf8InsideJson_marksFailedWithoutThrowing() {
    byte[] body = utf8("{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"caf\u00e9\"}}],\"usage\":{\"prompt_tokens\":5}}");
    int e = indexOf(body, (byte) 0xC3);
    body[e + 1] = (byte) 0x28; // a lead byte followed by an ASCII byte: not UTF-8

    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.JSON, body);

    assertThat(tap.failed()).isTrue();
    assertThat(tap.hasUsage()).isFalse();
  }

  static java.util.List<Format> formats() {
    return Formats.ALL;
  }

  @ParameterizedTest
  @MethodSource("formats")
  void feed_randomBytes_neverThrows(Format format) {
    Random random = new Random(Formats.ALL.indexOf(format));
    for (int round = 0; round < 200; round++) {
      byte[] garbage = new byte[1 + random.nextInt(2000)];
      random.nextBytes(garbage);
      String contentType = round % 2 == 0 ? Corpus.JSON : Corpus.SSE;

      assertThatCode(() -> Corpus.feed(format, contentType, garbage, Corpus.randomCuts(garbage.length, 9, 100), false))
          .doesNotThrowAnyException();
    }
  }

  @Test
  void feed_afterFailure_isIgnoredButCounted() {
    UsageTap tap = UsageTap.forResponse(Formats.OPENAI, Corpus.JSON);
    tap.feed(utf8("]]"), 0, 2);
    assertThat(tap.failed()).isTrue();
    byte[] good = Corpus.read("openai/chat-completion.json");

    tap.feed(good, 0, good.length);

    assertThat(tap.hasUsage()).isFalse();
    assertThat(tap.bytes()).isEqualTo(2L + good.length);
  }

  @Test
  void feed_malformedSseEvent_marksFailedWithoutThrowing() {
    byte[] stream = utf8("data: {\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o-mini\",\"choices\":[\n\n"
        + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}\n\ndata: [DONE]\n\n");

    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.SSE, stream);

    assertThat(tap.failed()).isTrue();
    assertThat(tap.hasUsage()).isFalse();
  }

  @Test
  void feed_sseLineSplitInsideDataPrefixAndCrlf_parsesTheLine() {
    String usage = "data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":7,\"completion_tokens\":2}}\r\n\r\n";
    String done = "data: [DONE]\r\n\r\n";
    byte[] all = utf8(usage + done);
    int[] cuts = {2, usage.length() - 3, usage.length() - 1, usage.length() + 9};

    UsageTap tap = Corpus.feed(Formats.OPENAI, Corpus.SSE, all, cuts, true);

    assertThat(tap.usage().input).isEqualTo(7);
    assertThat(tap.usage().output).isEqualTo(2);
    assertThat(tap.isComplete()).isTrue();
    assertThat(tap.hasFinalUsage()).isTrue();
  }

  @Test
  void feed_sseDataWithoutSpaceAfterColon_isParsed() {
    byte[] stream = utf8("data:{\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\ndata:[DONE]\n\n");

    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.SSE, stream);

    assertThat(tap.usage().input).isEqualTo(1);
    assertThat(tap.isComplete()).isTrue();
  }

  @Test
  void end_lastLineWithoutNewline_isParsed() {
    byte[] stream = utf8("data: {\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":6}}\n\ndata: [DONE]");
    UsageTap tap = UsageTap.forResponse(Formats.OPENAI, Corpus.SSE);
    tap.feed(stream, 0, stream.length);
    assertThat(tap.isComplete()).isFalse();

    tap.end();

    assertThat(tap.isComplete()).isTrue();
    assertThat(tap.usage().output).isEqualTo(6);
  }

  @Test
  void feed_chatStreamCutBeforeUsageChunk_hasNoUsage() {
    String stream = Corpus.text("openai/chat-stream-include-usage.sse");
    byte[] cut = utf8(stream.substring(0, stream.indexOf("data: {", stream.indexOf("\"finish_reason\":\"stop\""))));

    UsageTap tap = Corpus.feed(Formats.OPENAI, Corpus.SSE, cut, Corpus.randomCuts(cut.length, 5, 40), false);

    assertThat(tap.hasUsage()).isFalse();
    assertThat(tap.hasFinalUsage()).isFalse();
    assertThat(tap.isComplete()).isFalse();
    assertThat(tap.failed()).isFalse();
    assertThat(tap.model()).isEqualTo("gpt-4o-mini-2024-07-18");
    assertThat(tap.responseId()).isEqualTo("chatcmpl-C9yT7wQ2nV4kLd0pX8sRmZbH1fJeU");
  }

  @Test
  void feed_chatStreamCutAfterUsageChunkBeforeDone_hasFinalUsage() {
    String stream = Corpus.text("openai/chat-stream-include-usage.sse");
    byte[] cut = utf8(stream.substring(0, stream.indexOf("data: [DONE]")));

    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.SSE, cut);

    assertThat(tap.isComplete()).isFalse();
    assertThat(tap.hasFinalUsage()).isTrue();
    assertThat(tap.usage().input).isEqualTo(1187);
    assertThat(tap.usage().output).isEqualTo(11);
  }

  @Test
  void feed_responsesStreamCutBeforeCompleted_hasNoUsage() {
    String stream = Corpus.text("openai/responses-stream.sse");
    byte[] cut = utf8(stream.substring(0, stream.indexOf("event: response.completed")));

    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.SSE, cut);

    assertThat(tap.hasUsage()).isFalse();
    assertThat(tap.isComplete()).isFalse();
    assertThat(tap.model()).isEqualTo("gpt-4.1-mini-2025-04-14");
  }

  @Test
  void feed_anthropicStreamCutAfterMessageStart_hasInputButNotFinalUsage() {
    String stream = Corpus.text("anthropic/messages-stream.sse");
    byte[] cut = utf8(stream.substring(0, stream.indexOf("event: content_block_delta")));

    UsageTap tap = Corpus.tap(Formats.ANTHROPIC, Corpus.SSE, cut);

    assertThat(tap.hasUsage()).isTrue();
    assertThat(tap.hasFinalUsage()).isFalse();
    assertThat(tap.isComplete()).isFalse();
    assertThat(tap.usage().input).isEqualTo(25);
    assertThat(tap.usage().output).isEqualTo(1);
  }

  @Test
  void feed_anthropicStreamCutBetweenCumulativeDeltas_hasLatestCountNotFinal() {
    String stream = Corpus.text("anthropic/messages-stream-server-tools.sse");
    byte[] cut = utf8(stream.substring(0, stream.indexOf("\"index\":3")));

    UsageTap tap = Corpus.tap(Formats.ANTHROPIC, Corpus.SSE, cut);

    assertThat(tap.hasFinalUsage()).isFalse();
    assertThat(tap.usage().output).isEqualTo(148);
    assertThat(tap.usage().input).isEqualTo(10682 + 3074);
  }

  @Test
  void feed_geminiStreamCutBeforeFinishReason_hasRunningTotalsNotFinal() {
    String stream = Corpus.text("gemini/stream-generate-content.sse");
    byte[] cut = utf8(stream.substring(0, stream.lastIndexOf("data: ")));

    UsageTap tap = Corpus.tap(Formats.GEMINI, Corpus.SSE, cut);

    assertThat(tap.hasUsage()).isTrue();
    assertThat(tap.hasFinalUsage()).isFalse();
    assertThat(tap.usage().output).isEqualTo(27 + 518);
  }

  @Test
  void end_tornLastEvent_keepsWhatWasReadWithoutThrowing() {
    String stream = Corpus.text("anthropic/messages-stream.sse");
    int lastDelta = stream.indexOf("data: {\"type\":\"message_delta\"");
    byte[] torn = utf8(stream.substring(0, lastDelta + 40));

    UsageTap tap = Corpus.tap(Formats.ANTHROPIC, Corpus.SSE, torn);

    assertThat(tap.hasFinalUsage()).isFalse();
    assertThat(tap.usage().input).isEqualTo(25);
  }

  @Test
  void feed_bytesAfterCompleteJson_areIgnored() {
    byte[] body = utf8(Corpus.text("openai/chat-completion.json") + "\n\n{\"usage\":{\"prompt_tokens\":1}}");

    UsageTap tap = Corpus.feed(Formats.OPENAI, Corpus.JSON, body, Corpus.everyByte(body.length), false);

    assertThat(tap.failed()).isFalse();
    assertThat(tap.usage().input).isEqualTo(1921);
    assertThat(tap.bytes()).isEqualTo(body.length);
  }

  @Test
  void feed_eventsAfterDone_areIgnored() {
    byte[] stream = utf8(Corpus.text("openai/chat-stream-include-usage.sse")
        + "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":1,\"completion_tokens\":1}}\n\n");

    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.SSE, stream);

    assertThat(tap.usage().input).isEqualTo(1187);
  }

  @Test
  void feed_usageWordInsideGeneratedText_doesNotChangeUsage() {
    byte[] stream = utf8(
        "data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini\",\"choices\":[{\"delta\":{\"content\":\"{\\\"usage\\\":{\\\"prompt_tokens\\\":999}}\"}}],\"usage\":null}\n\n"
            + "data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":20}}\n\n"
            + "data: [DONE]\n\n");

    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.SSE, stream);

    assertThat(tap.usage().input).isEqualTo(10);
    assertThat(tap.usage().output).isEqualTo(20);
  }

  @Test
  void usage_openRouterCostWithMoreDigitsThanADouble_isExact() {
    String cost = "0.000012345678901234567890123";
    byte[] body = utf8("{\"id\":\"gen-1\",\"model\":\"openai/gpt-4o\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"cost\":" + cost + "}}");

    UsageTap tap = Corpus.feed(Formats.OPENAI, Corpus.JSON, body, Corpus.everyByte(body.length), false);

    assertThat(tap.usage().providerCostUsd).isEqualByComparingTo(new BigDecimal(cost));
    assertThat(tap.usage().providerCostUsd.toPlainString()).isEqualTo(cost);
  }

  @ParameterizedTest
  @CsvSource({"0, 0", "1.5e-7, 0.00000015", "2, 2"})
  void usage_openRouterCostAsIntegerOrExponent_isExact(String sent, String expected) {
    byte[] body = utf8("{\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"cost\":" + sent + "}}");

    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.JSON, body);

    assertThat(tap.usage().providerCostUsd).isEqualByComparingTo(expected);
  }

  @Test
  void usage_noProviderCost_isNull() {
    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.JSON, Corpus.read("openai/chat-completion.json"));

    assertThat(tap.usage().providerCostUsd).isNull();
  }

  @Test
  void usage_cachedTokensAboveInput_areCappedAtInput() {
    byte[] body = utf8("{\"usage\":{\"prompt_tokens\":100,\"completion_tokens\":1,\"prompt_tokens_details\":{\"cached_tokens\":4096}}}");

    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.JSON, body);

    assertThat(tap.usage().cacheRead).isEqualTo(100);
  }

  @Test
  void usage_geminiChunkWithZeroCount_keepsLastNonZero() {
    byte[] stream = utf8(
        "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"a\"}],\"role\": \"model\"},\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 12,\"candidatesTokenCount\": 5,\"totalTokenCount\": 17},\"modelVersion\": \"gemini-2.0-flash\"}\r\n\r\n"
            + "data: {\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],\"usageMetadata\": {\"promptTokenCount\": 0,\"candidatesTokenCount\": 0,\"totalTokenCount\": 0},\"modelVersion\": \"gemini-2.0-flash\"}\r\n\r\n");

    UsageTap tap = Corpus.tap(Formats.GEMINI, Corpus.SSE, stream);

    assertThat(tap.usage().input).isEqualTo(12);
    assertThat(tap.usage().output).isEqualTo(5);
    assertThat(tap.hasFinalUsage()).isTrue();
  }

  @Test
  void usage_geminiToolUsePromptTokens_countAsInput() {
    // Regression: tokens of built-in tool results (grounding, code execution) were not billed.
    byte[] body = utf8("{\"candidates\": [{\"content\": {\"parts\": [{\"text\": \"42\"}],\"role\": \"model\"},\"finishReason\": \"STOP\",\"index\": 0}],"
        + "\"usageMetadata\": {\"promptTokenCount\": 500,\"candidatesTokenCount\": 120,\"totalTokenCount\": 930,"
        + "\"cachedContentTokenCount\": 400,\"toolUsePromptTokenCount\": 300,\"thoughtsTokenCount\": 10},\"modelVersion\": \"gemini-2.5-pro\"}");

    Usage usage = Corpus.tap(Formats.GEMINI, Corpus.JSON, body).usage();

    assertThat(usage.input).isEqualTo(800);
    assertThat(usage.output).isEqualTo(130);
    assertThat(usage.input + usage.output).isEqualTo(930);
    assertThat(usage.cacheRead).isEqualTo(400);
  }

  @ParameterizedTest
  @CsvSource({
      "openai/chat-completion.json, OPENAI, \"completion_tokens\"",
      "openai/responses.json, OPENAI, \"output_tokens\"",
      "anthropic/message.json, ANTHROPIC, \"output_tokens\"",
      "gemini/generate-content.json, GEMINI, \"candidatesTokenCount\""})
  void hasFinalUsage_jsonCutInsideUsage_isNotFinal(String path, Format format, String marker) {
    // Regression: a body cut after the input count reported it as final usage with 0 output tokens.
    String body = Corpus.text(path);
    byte[] cut = utf8(body.substring(0, body.indexOf(marker)));

    UsageTap tap = Corpus.tap(format, Corpus.JSON, cut);

    assertThat(tap.hasUsage()).isTrue();
    assertThat(tap.hasFinalUsage()).isFalse();
  }

  @Test
  void usage_anthropicMessageDeltaWithNullInputCounts_keepsMessageStartCounts() {
    // Regression: a null count in message_delta was read as 0 and wiped the input and cache counts.
    UsageTap tap = Corpus.tap(Formats.ANTHROPIC, Corpus.SSE, Corpus.read("anthropic/messages-stream-tool-use.sse"));

    assertThat(tap.usage().input).isEqualTo(2679 + 1546);
    assertThat(tap.usage().cacheWrite).isEqualTo(1546);
    assertThat(tap.usage().output).isEqualTo(89);
  }

  @Test
  void usage_anthropicMessageDeltaWithExplicitZero_takesTheZero() {
    byte[] stream = utf8(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_1\",\"model\":\"claude-haiku-4-5\",\"stop_reason\":null,\"usage\":{\"input_tokens\":40,\"cache_read_input_tokens\":7,\"output_tokens\":1}}}\n\n"
            + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\",\"stop_sequence\":null},\"usage\":{\"input_tokens\":40,\"cache_read_input_tokens\":0,\"output_tokens\":9}}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");

    UsageTap tap = Corpus.tap(Formats.ANTHROPIC, Corpus.SSE, stream);

    assertThat(tap.usage().cacheRead).isZero();
    assertThat(tap.usage().input).isEqualTo(40);
  }

  @Test
  void usage_geminiStreamAsJsonArray_readsTheLastChunksUsage() {
    // Regression: streamGenerateContent without alt=sse answers one JSON array; no usage was read.
    UsageTap tap = Corpus.tap(Formats.GEMINI, Corpus.JSON, Corpus.read("gemini/stream-generate-content-array.json"));

    assertThat(tap.hasFinalUsage()).isTrue();
    assertThat(tap.usage().input).isEqualTo(9);
    assertThat(tap.usage().output).isEqualTo(41 + 518);
    assertThat(tap.model()).isEqualTo("gemini-2.5-flash");
  }

  @Test
  void feed_deepNestingBeforeUsage_stillReadsUsage() {
    StringBuilder deep = new StringBuilder("{\"id\":\"c1\",\"choices\":[{\"message\":{\"tool_calls\":");
    for (int i = 0; i < 15; i++) {
      deep.append("{\"usage\":[{\"prompt_tokens\":").append(i).append(",\"x\":");
    }
    deep.append("0");
    for (int i = 0; i < 15; i++) {
      deep.append("}]}");
    }
    deep.append("}}],\"usage\":{\"prompt_tokens\":321,\"completion_tokens\":45}}");
    byte[] body = utf8(deep.toString());

    UsageTap tap = Corpus.feed(Formats.OPENAI, Corpus.JSON, body, Corpus.randomCuts(body.length, 1, 9), false);

    assertThat(tap.failed()).isFalse();
    assertThat(tap.isComplete()).isTrue();
    assertThat(tap.usage().input).isEqualTo(321);
    assertThat(tap.usage().output).isEqualTo(45);
  }

  @Test
  void feed_nestingBeyondParserLimit_marksFailedWithoutThrowing() {
    byte[] body = utf8("{\"a\":" + "[".repeat(500) + "]".repeat(500) + ",\"usage\":{\"prompt_tokens\":1}}");

    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.JSON, body);

    assertThat(tap.failed()).isTrue();
    assertThat(tap.hasUsage()).isFalse();
  }

  @Test
  void feed_veryLongStream_completesWithoutKeepingTheBody() {
    byte[] start = utf8("event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_long\",\"type\":\"message\","
        + "\"role\":\"assistant\",\"model\":\"claude-sonnet-4-5-20250929\",\"content\":[],\"stop_reason\":null,"
        + "\"stop_sequence\":null,\"usage\":{\"input_tokens\":52,\"cache_read_input_tokens\":0,\"output_tokens\":1}}}\n\n"
        + "event: content_block_start\ndata: {\"type\":\"content_block_start\",\"index\":0,\"content_block\":{\"type\":\"text\",\"text\":\"\"}}\n\n");
    byte[] delta = utf8("event: content_block_delta\ndata: {\"type\":\"content_block_delta\",\"index\":0,"
        + "\"delta\":{\"type\":\"text_delta\",\"text\":\" token\"}}\n\n");
    byte[] end = utf8("event: content_block_stop\ndata: {\"type\":\"content_block_stop\",\"index\":0}\n\n"
        + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"max_tokens\","
        + "\"stop_sequence\":null},\"usage\":{\"output_tokens\":100000}}\n\n"
        + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n");
    UsageTap tap = UsageTap.forResponse(Formats.ANTHROPIC, Corpus.SSE);
    tap.feed(start, 0, start.length);
    feedRepeatedly(tap, delta, 1_000);
    long retainedEarly = RetainedBytes.of(tap);

    feedRepeatedly(tap, delta, 99_000);
    tap.feed(end, 0, end.length);
    tap.end();

    assertThat(tap.isComplete()).isTrue();
    assertThat(tap.failed()).isFalse();
    assertThat(tap.usage().input).isEqualTo(52);
    assertThat(tap.usage().output).isEqualTo(100_000);
    assertThat(tap.bytes()).isEqualTo(start.length + 100_000L * delta.length + end.length);
    assertThat(RetainedBytes.of(tap)).isLessThanOrEqualTo(retainedEarly + 1024).isLessThan(16 * 1024);
  }

  @Test
  void feed_longStreamWithUsageNullOnEveryChunk_readsTheFinalUsageChunk() {
    byte[] delta = utf8("data: {\"id\":\"chatcmpl-long\",\"object\":\"chat.completion.chunk\",\"created\":1756459001,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token\"},"
        + "\"logprobs\":null,\"finish_reason\":null}],\"usage\":null,\"obfuscation\":\"Zq3\"}\n\n");
    byte[] last = utf8("data: {\"id\":\"chatcmpl-long\",\"object\":\"chat.completion.chunk\",\"created\":1756459001,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":52,\"completion_tokens\":5000,"
        + "\"total_tokens\":5052}}\n\ndata: [DONE]\n\n");
    UsageTap tap = UsageTap.forResponse(Formats.OPENAI, Corpus.SSE);

    feedRepeatedly(tap, delta, 5_000);
    tap.feed(last, 0, last.length);

    assertThat(tap.isComplete()).isTrue();
    assertThat(tap.usage().output).isEqualTo(5_000);
    assertThat(RetainedBytes.of(tap)).isLessThan(16 * 1024);
  }

  @Test
  void feed_veryLongJsonBody_completesWithoutKeepingTheBody() {
    byte[] head = utf8("{\"object\":\"list\",\"data\":[{\"object\":\"embedding\",\"index\":0,\"embedding\":[");
    byte[] number = utf8("-0.0123456789,\n");
    byte[] tail = utf8("0.5]}],\"model\":\"text-embedding-3-large\",\"usage\":{\"prompt_tokens\":8191,\"total_tokens\":8191}}");
    UsageTap tap = UsageTap.forResponse(Formats.OPENAI, Corpus.JSON);
    tap.feed(head, 0, head.length);
    feedRepeatedly(tap, number, 1_000);
    long retainedEarly = RetainedBytes.of(tap);

    feedRepeatedly(tap, number, 99_000);
    tap.feed(tail, 0, tail.length);

    assertThat(tap.isComplete()).isTrue();
    assertThat(tap.usage().input).isEqualTo(8191);
    assertThat(tap.bytes()).isEqualTo(head.length + 100_000L * number.length + tail.length);
    assertThat(RetainedBytes.of(tap)).isLessThanOrEqualTo(retainedEarly + 1024).isLessThan(256 * 1024);
  }

  private static void feedRepeatedly(UsageTap tap, byte[] chunk, int times) {
    for (int i = 0; i < times; i++) {
      tap.feed(chunk, 0, chunk.length);
    }
  }

  private static int indexOf(byte[] data, byte b) {
    for (int i = 0; i < data.length; i++) {
      if (data[i] == b) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }
}
