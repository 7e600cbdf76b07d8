package dev.tollgate.agent.usage;

import static dev.tollgate.agent.usage.Corpus.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.endpoint.Format;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A line that lies wholly in the chunk the application read is read where it lies; a line cut by a
 * chunk boundary is gathered in the tap's buffer. Whatever the cut, and wherever the chunk sits in
 * the application's array (the scan reads eight bytes at a time), the outcome is the whole feed's.
 */
class SseUsageTapTest {
  private static final int BUFFER = 64 * 1024;

  static Stream<Arguments> streams() {
    Stream<Arguments> recorded = UsageTapCorpusTest.corpus().filter(c -> c.path.endsWith(".sse"))
        .map(c -> Arguments.of(c.path, c.format, Corpus.read(c.path)));
    Stream<Arguments> made = Stream.of(
        Arguments.of("crlf", Formats.OPENAI, utf8("data: {\"id\":\"c1\",\"model\":\"gpt-4o-mini\",\"choices\":[],\"usage\":null}\r\n\r\n"
            + "data:{\"choices\":[],\"usage\" : {\"prompt_tokens\":7,\"completion_tokens\":2}}\r\n\r\ndata: [DONE]\r\n\r\n")),
        Arguments.of("event lines and comments", Formats.ANTHROPIC, utf8(": ping\n\nevent: message_start\n"
            + "data: {\"type\":\"message_start\",\"message\":{\"model\":\"claude\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n"
            + "event: message_delta\ndata: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":9}}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n")),
        Arguments.of("no newline at the end", Formats.GEMINI,
            utf8("data: {\"modelVersion\":\"g\",\"usageMetadata\": {\"promptTokenCount\":3,"
                + "\"candidatesTokenCount\":4},\"candidates\":[{\"finishReason\": \"STOP\"}]}")));
    return Stream.concat(recorded, made);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void feed_splitInTwoAtEveryOffset_givesTheWholeFeedsOutcome(String name, Format format, byte[] stream) {
    Outcome whole = Outcome.of(feed(format, stream, 0, new int[0]));
    for (int at = 1; at < stream.length; at++) {
      assertThat(Outcome.of(feed(format, stream, at % 8, new int[] {at}))).as("%s split at %d", name, at).isEqualTo(whole);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("streams")
  void feed_oneByteAtATimeAndInThreesAtEveryAlignment_givesTheWholeFeedsOutcome(String name, Format format, byte[] stream) {
    Outcome whole = Outcome.of(feed(format, stream, 0, new int[0]));
    assertThat(Outcome.of(feed(format, stream, 0, Corpus.everyByte(stream.length)))).as(name).isEqualTo(whole);
    for (int offset = 1; offset < 8; offset++) {
      assertThat(Outcome.of(feed(format, stream, offset, new int[0]))).as("%s at offset %d", name, offset).isEqualTo(whole);
      int phase = offset % 3;
      int[] threes = Arrays.stream(Corpus.everyByte(stream.length)).filter(i -> i % 3 == phase).toArray();
      assertThat(Outcome.of(feed(format, stream, offset, threes))).as("%s at offset %d in threes", name, offset).isEqualTo(whole);
    }
  }

  @ParameterizedTest(name = "{0} bytes")
  @MethodSource("lineLengths")
  void feed_dataLineAroundTheBufferSizeInOneChunk_givesTheSameUsageAsByteByByte(int length) {
    String head = "data: {\"type\":\"response.completed\",\"response\":{\"model\":\"gpt-4.1\",\"usage\":{\"input_tokens\":5,\"output_tokens\":7},\"output\":\"";
    String tail = "\"}}";
    byte[] stream = utf8(head + "a".repeat(length - head.length() - tail.length()) + tail + "\n\n");

    Outcome whole = Outcome.of(feed(Formats.OPENAI, stream, 3, new int[0]));

    assertThat(whole.input).isEqualTo(5);
    assertThat(whole.complete).isTrue();
    assertThat(Outcome.of(feed(Formats.OPENAI, stream, 0, Corpus.everyByte(stream.length)))).isEqualTo(whole);
  }

  static Stream<Integer> lineLengths() {
    return Stream.of(BUFFER - 1, BUFFER, BUFFER + 1);
  }

  /** Feeds {@code data} cut at {@code cuts}, each chunk at {@code offset} in an array the application then overwrites. */
  private static UsageTap feed(Format format, byte[] data, int offset, int[] cuts) {
    UsageTap tap = UsageTap.forResponse(format, Corpus.SSE);
    byte[] buffer = new byte[data.length + 16];
    Arrays.fill(buffer, (byte) '"');
    int start = 0;
    int lent = 0;
    for (int k = 0; k <= cuts.length; k++) {
      int end = k < cuts.length ? cuts[k] : data.length;
      // Every feed sees quotes all around its chunk: only the previous chunk's bytes are not quotes any more (filling the
      // whole 64 KB buffer per byte fed took seconds, and over ten on a busy machine, for the same bytes).
      Arrays.fill(buffer, offset, offset + lent, (byte) '"');
      System.arraycopy(data, start, buffer, offset, end - start);
      tap.feed(buffer, offset, end - start);
      lent = end - start;
      start = end;
    }
    tap.end();
    return tap;
  }
}
