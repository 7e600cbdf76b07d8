package dev.tollgate.agent.usage;

import static dev.tollgate.agent.fuzz.Fuzz.between;
import static dev.tollgate.agent.fuzz.Fuzz.neverThrows;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.fuzz.Fuzz;
import dev.tollgate.agent.fuzz.Mutation;
import dev.tollgate.agent.pricing.Money;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.quicktheories.core.Gen;

/**
 * Every recorded response, damaged ({@link Mutation}: flipped bytes, cuts, huge numbers and strings,
 * deep nesting, invalid UTF-8, corrupt gzip) and fed in random chunks: a tap never throws into the
 * application, never touches the application's bytes, reports a usage that can be priced or none
 * (then the call is estimated), and holds a bounded amount of state however long the stream.
 */
class UsageTapFuzzTest {
  private static final List<UsageTapCorpusTest.Case> CORPUS = UsageTapCorpusTest.corpus().collect(Collectors.toList());

  /** A corpus response, damaged, and how the socket cuts it. */
  static final class Damaged {
    final UsageTapCorpusTest.Case source;
    final List<Mutation> mutations;
    final long cutSeed;
    final int maxChunk;
    final byte[] body;

    Damaged(UsageTapCorpusTest.Case source, List<Mutation> mutations, long cutSeed, int maxChunk) {
      this.source = source;
      this.mutations = mutations;
      this.cutSeed = cutSeed;
      this.maxChunk = maxChunk;
      this.body = Mutation.applyAll(Corpus.read(source.path), mutations);
    }

    String contentType() {
      return Corpus.contentType(source.path);
    }

    @Override
    public String toString() {
      return source.path + " " + mutations + " cut " + cutSeed + "/" + maxChunk;
    }
  }

  private static Gen<Damaged> damaged() {
    return between(0, CORPUS.size() - 1).zip(Fuzz.mutations(3), between(0, 1 << 20), between(1, 4096),
        (c, m, seed, chunk) -> new Damaged(CORPUS.get(c), m, seed, chunk));
  }

  @Test
  void feed_damagedResponseInRandomChunks_neverThrowsLeavesTheBytesAloneAndGivesAPriceableUsageOrNone() {
    Fuzz.qt().forAll(damaged()).checkAssert(d -> neverThrows(d, () -> {
      UsageTap chunked = feed(UsageTap.forResponse(d.source.format, d.contentType()), d.body,
          Fuzz.cuts(d.body.length, d.cutSeed, d.maxChunk));
      UsageTap whole = feed(UsageTap.forResponse(d.source.format, d.contentType()), d.body, new int[0]);

      assertPriceableOrNone(chunked, d);
      assertThat(chunked.bytes()).as("%s", d).isEqualTo(d.body.length);
      assertThat(Outcome.of(chunked)).as("the same however the bytes arrive: %s", d).isEqualTo(Outcome.of(whole));
    }));
  }

  @Test
  void feed_aBodyOfKnownSmallLength_readsAsOneOfUnknownLength() {
    // A body the client says is small is parsed with canonicalised names: the same result, damaged or not.
    Fuzz.qt().forAll(damaged()).checkAssert(d -> neverThrows(d, () -> {
      int[] cuts = Fuzz.cuts(d.body.length, d.cutSeed, d.maxChunk);
      UsageTap known = feed(UsageTap.forResponse(d.source.format, d.contentType(), null, d.body.length), d.body, cuts);
      UsageTap unknown = feed(UsageTap.forResponse(d.source.format, d.contentType(), null, -1), d.body, cuts);

      assertThat(Outcome.of(known)).as("%s", d).isEqualTo(Outcome.of(unknown));
    }));
  }

  @Test
  void feed_aBodyThatRunsPastTheSmallLengthItSaid_isNotReadFurther() {
    // A client that let more through than the length it gave: the table of names must not grow with the body.
    UsageTap tap = feedDistinctNames(UsageTap.forResponse(Formats.OPENAI, Corpus.JSON, null, 1000));

    assertThat(tap.failed()).isTrue();
    assertThat(tap.hasUsage()).isFalse();
    assertThat(RetainedBytes.of(tap)).isLessThan(256 * 1024);
  }

  @Test
  void feed_gzipOrDeflateBodyCorrupted_neverThrowsAndGivesAPriceableUsageOrNone() {
    Gen<Boolean> gzip = between(0, 1).map(n -> n == 0);
    Fuzz.qt(200).forAll(damaged(), gzip, Fuzz.mutations(2)).checkAssert((d, isGzip, corruption) -> neverThrows(d, () -> {
      byte[] encoded = Mutation.applyAll(isGzip ? UsageTapEncodingTest.gzip(d.body) : deflate(d.body), corruption);
      UsageTap tap = UsageTap.forResponse(d.source.format, d.contentType(), isGzip ? "gzip" : "deflate");

      feed(tap, encoded, Fuzz.cuts(encoded.length, d.cutSeed, d.maxChunk));

      assertPriceableOrNone(tap, d + " encoded " + corruption);
    }));
  }

  @Test
  void feed_longDamagedStream_retainsBoundedState() {
    // A span of the damaged body repeated until the body is 4 MB: a stream that goes on and on.
    Fuzz.qt(50).forAll(damaged(), between(0, Mutation.Kind.values().length)).checkAssert((d, at) -> neverThrows(d, () -> {
      UsageTap tap = UsageTap.forResponse(d.source.format, d.contentType());
      int split = d.body.length / 2;
      byte[] span = Arrays.copyOfRange(d.body, split, Math.min(d.body.length, split + 1 + at * 97));
      long most = 0;
      feed(tap, Arrays.copyOf(d.body, split));
      for (long fed = split; span.length > 0 && fed < (4L << 20); fed += span.length) {
        tap.feed(span, 0, span.length);
        if ((fed >> 18) != ((fed + span.length) >> 18)) { // every 256 KiB
          most = Math.max(most, RetainedBytes.of(tap));
        }
      }
      feed(tap, Arrays.copyOfRange(d.body, split, d.body.length));
      tap.end();

      assertThat(Math.max(most, RetainedBytes.of(tap))).as("%s: %s", d, RetainedBytes.byField(tap)).isLessThan(256 * 1024);
      assertPriceableOrNone(tap, d);
    }));
  }

  // Regressions: the smallest inputs of what the properties above found.

  @Test
  void feed_dataLineLongerThanTheBufferInOneChunk_isParsedAsItFlows() {
    // A response.completed event of 70 KB read in one go used to be skipped as "too long, not data".
    byte[] event = Corpus.utf8("data: {\"type\":\"response.completed\",\"response\":{\"model\":\"gpt-4.1\",\"output\":\""
        + "a".repeat(70_000) + "\",\"usage\":{\"input_tokens\":5,\"output_tokens\":7}}}\n\n");

    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.SSE, event);

    assertThat(tap.failed()).isFalse();
    assertThat(tap.isComplete()).isTrue();
    assertThat(tap.usage().input).isEqualTo(5);
    assertThat(tap.usage().output).isEqualTo(7);
  }

  @Test
  void feed_negativeTokenCount_readsAsNoCount() {
    // A count of -1 used to be priced as is: a negative cost gives credits back.
    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.JSON,
        Corpus.utf8(
            "{\"model\":\"gpt-4o\",\"usage\":{\"prompt_tokens\":-1,\"completion_tokens\":7,\"prompt_tokens_details\":{\"cached_tokens\":-1}}}"));

    assertThat(tap.usage().input).isZero();
    assertThat(tap.usage().cacheRead).isZero();
    assertThat(tap.usage().output).isEqualTo(7);
  }

  @Test
  void feed_negativeCountInALaterAnthropicDelta_keepsTheEarlierCount() {
    UsageTap tap = Corpus.tap(Formats.ANTHROPIC, Corpus.SSE, Corpus.utf8(
        "data: {\"type\":\"message_start\",\"message\":{\"model\":\"claude\",\"usage\":{\"input_tokens\":5,\"output_tokens\":1}}}\n\n"
            + "data: {\"type\":\"message_delta\",\"usage\":{\"output_tokens\":-3}}\n\n"));

    assertThat(tap.usage().input).isEqualTo(5);
    assertThat(tap.usage().output).isEqualTo(1);
  }

  @Test
  void feed_negativeProviderCost_isIgnored() {
    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.JSON,
        Corpus.utf8("{\"model\":\"m\",\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4,\"cost\":-0.5}}"));

    assertThat(tap.usage().providerCostUsd).isNull();
  }

  @Test
  void feed_countsNearTheLongLimit_saturateInsteadOfWrappingNegative() {
    UsageTap tap = Corpus.tap(Formats.ANTHROPIC, Corpus.JSON, Corpus.utf8("{\"model\":\"claude\",\"stop_reason\":\"end_turn\","
        + "\"usage\":{\"input_tokens\":9223372036854775807,\"cache_read_input_tokens\":5,\"output_tokens\":1}}"));

    assertThat(tap.usage().input).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void feed_jsonWithMillionsOfDistinctFieldNames_retainsNoSymbolTable() {
    // Jackson canonicalised every distinct field name into the parser's symbol table: 200 MB of
    // distinct 1 KB names kept 84 MB per call. 20,000 of them used to keep about 8 MB.
    UsageTap tap = feedDistinctNames(UsageTap.forResponse(Formats.OPENAI, Corpus.JSON));

    assertThat(tap.usage().output).isEqualTo(4);
    assertThat(RetainedBytes.of(tap)).isLessThan(256 * 1024);
  }

  @Test
  @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD) // a hang guard, not a timing assertion
  void feed_byokCostWithAHugeNegativeExponent_isZeroNotMinutesOfArithmetic() {
    // OpenRouter's BYOK cost is cost + upstream cost: adding 1e-9999999 expanded ten million digits.
    UsageTap tap = Corpus.tap(Formats.OPENAI, Corpus.JSON, Corpus.utf8("{\"model\":\"m\",\"usage\":{\"prompt_tokens\":3,"
        + "\"completion_tokens\":4,\"cost\":1e-9999999,\"is_byok\":true,\"cost_details\":{\"upstream_inference_cost\":0.003867}}}"));

    assertThat(tap.usage().providerCostUsd).isEqualByComparingTo("0.003867");
  }

  /** An OpenAI answer of 20 MB: 20,000 distinct 1 KB field names, then its usage. */
  private static UsageTap feedDistinctNames(UsageTap tap) {
    byte[] head = Corpus.utf8("{\"id\":\"chatcmpl-names\",\"model\":\"gpt-4o\",\"choices\":[");
    tap.feed(head, 0, head.length);
    String longName = "n".repeat(1000);
    for (int i = 0; i < 20_000; i++) {
      byte[] element = Corpus.utf8("{\"" + i + longName + "\":1},");
      tap.feed(element, 0, element.length);
    }
    byte[] tail = Corpus.utf8("{}],\"usage\":{\"prompt_tokens\":3,\"completion_tokens\":4}}");
    tap.feed(tail, 0, tail.length);
    return tap;
  }

  /** What the meter trusts: non-negative counts, cache parts within the input, a cost that converts to credits. */
  private static void assertPriceableOrNone(UsageTap tap, Object what) {
    tap.isComplete();
    tap.hasFinalUsage();
    tap.providerFailed();
    tap.model();
    tap.responseId();
    if (!tap.hasUsage()) {
      return;
    }
    Usage u = tap.usage();
    assertThat(java.util.stream.LongStream.of(u.input, u.output, u.cacheRead, u.cacheWrite, u.reasoning).min().getAsLong())
        .as("counts of %s: %s", what, u).isNotNegative();
    assertThat(u.cacheRead).as("%s: %s", what, u).isLessThanOrEqualTo(u.input);
    assertThat(u.cacheWrite).as("%s: %s", what, u).isLessThanOrEqualTo(u.input);
    if (u.providerCostUsd != null) {
      assertThat(u.providerCostUsd.signum()).as("%s: %s", what, u).isNotNegative();
      try {
        Money.toNanos(u.providerCostUsd);
      } catch (ArithmeticException tooLarge) {
        // out of range: the meter saturates it and blocks from then on
      }
    }
  }

  /**
   * Feeds {@code data} cut at {@code cuts} through one buffer, as an application's read loop does, and
   * checks the tap left every byte the application receives as it was.
   */
  private static UsageTap feed(UsageTap tap, byte[] data, int[] cuts) {
    byte[] buffer = new byte[data.length + 16];
    int start = 0;
    for (int k = 0; k <= cuts.length; k++) {
      int end = k < cuts.length ? cuts[k] : data.length;
      System.arraycopy(data, start, buffer, 5, end - start);
      tap.feed(buffer, 5, end - start);
      if (!Arrays.equals(buffer, 5, 5 + end - start, data, start, end)) {
        throw new AssertionError("the tap changed the application's bytes " + start + ".." + end);
      }
      start = end;
    }
    tap.end();
    return tap;
  }

  private static void feed(UsageTap tap, byte[] data) {
    for (int off = 0; off < data.length; off += 65536) {
      tap.feed(data, off, Math.min(65536, data.length - off));
    }
  }

  private static byte[] deflate(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater())) {
      d.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
