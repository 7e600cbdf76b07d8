package dev.tollgate.agent.usage;

import static dev.tollgate.agent.usage.Corpus.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.endpoint.Format;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bodies that reach the application still {@code gzip}- or {@code deflate}-encoded (the client did
 * not decode them): the tap decodes its own view and must read exactly what the plain body gives.
 */
class UsageTapEncodingTest {

  static Stream<UsageTapCorpusTest.Case> corpus() {
    return UsageTapCorpusTest.corpus();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void feed_gzipEncodedBody_inRandomChunks_readsTheSameUsage(UsageTapCorpusTest.Case c) {
    byte[] gzip = gzip(Corpus.read(c.path));
    for (long seed = 1; seed <= 10; seed++) {
      UsageTap tap = feed(c, "gzip", gzip, Corpus.randomCuts(gzip.length, seed, 1 + (int) seed * 13));

      assertThat(decodedOutcome(tap, c)).as("seed %d", seed).isEqualTo(c.expected);
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void feed_gzipEncodedBody_oneByteAtATime_readsTheSameUsage(UsageTapCorpusTest.Case c) {
    byte[] gzip = gzip(Corpus.read(c.path));

    UsageTap tap = feed(c, "gzip", gzip, Corpus.everyByte(gzip.length));

    assertThat(decodedOutcome(tap, c)).isEqualTo(c.expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void feed_deflateEncodedBody_zlibOrRaw_readsTheSameUsage(UsageTapCorpusTest.Case c) {
    byte[] data = Corpus.read(c.path);
    for (boolean raw : new boolean[] {false, true}) {
      byte[] deflate = deflate(data, raw);

      UsageTap tap = feed(c, "deflate", deflate, Corpus.randomCuts(deflate.length, 3, 41));

      assertThat(decodedOutcome(tap, c)).as(raw ? "raw deflate" : "zlib").isEqualTo(c.expected);
    }
  }

  @Test
  void feed_gzipWithEveryOptionalHeaderField_isDecoded() {
    byte[] data = Corpus.read("openai/chat-stream-include-usage.sse");
    byte[] gzip = gzipWithHeaderFields(data);

    UsageTap tap = Corpus.feed(Formats.OPENAI, Corpus.SSE, gzip, Corpus.everyByte(gzip.length), false);
    UsageTap encoded = UsageTap.forResponse(Formats.OPENAI, Corpus.SSE, "x-gzip");
    encoded.feed(gzip, 0, gzip.length);
    encoded.end();

    assertThat(tap.hasUsage()).as("fed as if it were plain").isFalse();
    assertThat(encoded.failed()).isFalse();
    assertThat(encoded.isComplete()).isTrue();
    assertThat(encoded.usage().input).isEqualTo(1187);
  }

  @Test
  void feed_gzipOfSeveralMembers_readsAcrossMembers() {
    byte[] data = Corpus.read("anthropic/messages-stream-server-tools.sse");
    int half = data.length / 2;
    byte[] gzip = concat(gzip(Arrays.copyOfRange(data, 0, half)), gzip(Arrays.copyOfRange(data, half, data.length)));

    UsageTap tap = feedEncoded(Formats.ANTHROPIC, Corpus.SSE, "gzip", gzip);

    assertThat(tap.isComplete()).isTrue();
    assertThat(tap.usage().output).isEqualTo(503);
  }

  @Test
  void feed_encodingNameInAnyCaseWithSpaces_isDecoded() {
    byte[] gzip = gzip(Corpus.read("openai/chat-completion.json"));

    UsageTap tap = feedEncoded(Formats.OPENAI, Corpus.JSON, " GZIP ", gzip);

    assertThat(tap.usage().input).isEqualTo(1921);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "identity", "Identity"})
  void feed_identityEncoding_isReadAsPlain(String encoding) {
    byte[] data = Corpus.read("openai/chat-completion.json");

    UsageTap tap = feedEncoded(Formats.OPENAI, Corpus.JSON, encoding, data);

    assertThat(tap.usage().input).isEqualTo(1921);
    assertThat(tap.bytes()).isEqualTo(data.length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"br", "zstd", "compress", "gzip, br"})
  void feed_encodingTheTapCannotDecode_isNotReadAndDoesNotThrow(String encoding) {
    byte[] data = gzip(Corpus.read("openai/chat-completion.json"));

    UsageTap tap = feedEncoded(Formats.OPENAI, Corpus.JSON, encoding, data);

    assertThat(tap.failed()).isTrue();
    assertThat(tap.hasUsage()).isFalse();
  }

  @Test
  void feed_bodyClaimingGzipButPlain_marksFailedWithoutThrowing() {
    byte[] data = Corpus.read("openai/chat-completion.json");

    UsageTap tap = feedEncoded(Formats.OPENAI, Corpus.JSON, "gzip", data);

    assertThat(tap.failed()).isTrue();
    assertThat(tap.hasUsage()).isFalse();
  }

  @Test
  void feed_corruptGzipData_marksFailedWithoutThrowing() {
    byte[] gzip = gzip(Corpus.read("openai/chat-completion.json"));
    for (int i = 20; i < gzip.length - 8; i += 7) {
      gzip[i] ^= 0x5a;
    }

    UsageTap tap = feedEncoded(Formats.OPENAI, Corpus.JSON, "gzip", gzip);

    assertThat(tap.failed()).isTrue();
  }

  @Test
  void feed_gzipStreamCutShort_keepsWhatWasDecoded() throws IOException {
    // A server compressing a stream flushes after each event; the connection drops midway.
    byte[] data = Corpus.read("anthropic/messages-stream.sse");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    GZIPOutputStream gz = new GZIPOutputStream(out, 512, true);
    gz.write(data, 0, data.length / 2);
    gz.flush();

    UsageTap tap = feedEncoded(Formats.ANTHROPIC, Corpus.SSE, "gzip", out.toByteArray());

    assertThat(tap.failed()).isFalse();
    assertThat(tap.hasUsage()).isTrue();
    assertThat(tap.hasFinalUsage()).isFalse();
    assertThat(tap.usage().input).isEqualTo(25);
  }

  @Test
  void feed_longGzipStream_retainsOnlyTheInflaterAndFixedBuffers() {
    byte[] delta = utf8("data: {\"id\":\"chatcmpl-gz\",\"object\":\"chat.completion.chunk\",\"created\":1756459001,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,\"delta\":{\"content\":\" token\"},"
        + "\"finish_reason\":null}],\"usage\":null}\n\n");
    byte[] last = utf8("data: {\"id\":\"chatcmpl-gz\",\"object\":\"chat.completion.chunk\",\"created\":1756459001,"
        + "\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":400000,"
        + "\"total_tokens\":400009}}\n\ndata: [DONE]\n\n");
    UsageTap tap = UsageTap.forResponse(Formats.OPENAI, Corpus.SSE, "gzip");
    GzipPipe pipe = new GzipPipe(tap);

    for (int i = 0; i < 1_000; i++) {
      pipe.write(delta);
    }
    pipe.flush();
    long retainedEarly = RetainedBytes.of(tap);
    for (int i = 1_000; i < 400_000; i++) {
      pipe.write(delta);
    }
    pipe.write(last);
    pipe.finish();

    assertThat(tap.isComplete()).isTrue();
    assertThat(tap.usage().output).isEqualTo(400_000);
    assertThat(tap.bytes()).isEqualTo(400_000L * delta.length + last.length);
    assertThat(RetainedBytes.of(tap)).isLessThanOrEqualTo(retainedEarly + 1024).isLessThan(32 * 1024);
  }

  /** Compresses what is written and feeds the compressed bytes to a tap as they come out. */
  private static final class GzipPipe {
    private final UsageTap tap;
    private final ByteArrayOutputStream sink = new ByteArrayOutputStream();
    private final GZIPOutputStream gzip;

    GzipPipe(UsageTap tap) {
      this.tap = tap;
      try {
        this.gzip = new GZIPOutputStream(sink, 8192, true);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    void write(byte[] b) {
      try {
        gzip.write(b);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      drain();
    }

    void flush() {
      try {
        gzip.flush();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      drain();
    }

    void finish() {
      try {
        gzip.finish();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      drain();
      tap.end();
    }

    private void drain() {
      byte[] out = sink.toByteArray();
      sink.reset();
      tap.feed(out, 0, out.length);
    }
  }

  private static UsageTap feed(UsageTapCorpusTest.Case c, String encoding, byte[] data, int[] cuts) {
    return feed(c.format, Corpus.contentType(c.path), encoding, data, cuts);
  }

  private static UsageTap feedEncoded(Format format, String contentType, String encoding, byte[] data) {
    return feed(format, contentType, encoding, data, new int[0]);
  }

  private static UsageTap feed(Format format, String contentType, String encoding, byte[] data, int[] cuts) {
    UsageTap tap = UsageTap.forResponse(format, contentType, encoding);
    int start = 0;
    for (int k = 0; k <= cuts.length; k++) {
      int end = k < cuts.length ? cuts[k] : data.length;
      tap.feed(data, start, end - start);
      start = end;
    }
    tap.end();
    return tap;
  }

  /** The decoded byte count stops once the usage is complete: at most the plain body's length. */
  private static Outcome decodedOutcome(UsageTap tap, UsageTapCorpusTest.Case c) {
    Outcome o = Outcome.of(tap);
    assertThat(o.bytes).isPositive().isLessThanOrEqualTo(c.expected.bytes);
    o.bytes = c.expected.bytes;
    return o;
  }

  static byte[] gzip(byte[] data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
      gz.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  private static byte[] deflate(byte[] data, boolean raw) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DeflaterOutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
      d.write(data);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /** A gzip member with FEXTRA, FNAME, FCOMMENT and FHCRC set (RFC 1952), around the same deflate data. */
  private static byte[] gzipWithHeaderFields(byte[] data) {
    byte[] plain = gzip(data);
    ByteArrayOutputStream h = new ByteArrayOutputStream();
    h.write(0x1f);
    h.write(0x8b);
    h.write(8);
    h.write(4 | 8 | 16 | 2);
    h.writeBytes(new byte[] {0, 0, 0, 0, 0, (byte) 255});
    h.writeBytes(new byte[] {5, 0, 'A', 'B', 2, 0, 7});
    h.writeBytes("chat-stream.sse\0".getBytes(StandardCharsets.ISO_8859_1));
    h.writeBytes("recorded for a test\0".getBytes(StandardCharsets.ISO_8859_1));
    CRC32 crc = new CRC32();
    crc.update(h.toByteArray());
    h.write((int) crc.getValue() & 0xff);
    h.write((int) (crc.getValue() >> 8) & 0xff);
    return concat(h.toByteArray(), Arrays.copyOfRange(plain, 10, plain.length));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] c = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, c, a.length, b.length);
    return c;
  }
}
