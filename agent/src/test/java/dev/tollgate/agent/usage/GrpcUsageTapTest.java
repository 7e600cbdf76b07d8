package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Vertex AI's {@code GenerateContentResponse} over gRPC, read by the Gemini format's gRPC tap. */
class GrpcUsageTapTest {
  private static ProtoBytes usage(long prompt, long candidates, long thoughts) {
    return ProtoBytes.message().varint(1, prompt).varint(2, candidates).varint(3, prompt + candidates + thoughts).varint(14, thoughts);
  }

  private static ProtoBytes response(ProtoBytes usage, String model) {
    return ProtoBytes.message()
        .message(2, ProtoBytes.message().message(2, ProtoBytes.message().string(1, "model")).varint(3, 1))
        .message(4, usage)
        .string(11, model)
        .string(13, "resp-1");
  }

  private static UsageTap feed(byte[] body, int chunk) {
    UsageTap tap = UsageTap.forResponse(Formats.GEMINI, "application/grpc");
    for (int at = 0; at < body.length; at += chunk) {
      tap.feed(body, at, Math.min(chunk, body.length - at));
    }
    tap.end();
    return tap;
  }

  @Test
  void unary_readsUsageModelAndId() {
    UsageTap tap = feed(ProtoBytes.frames(response(usage(12, 5, 30).varint(5, 8).varint(13, 4), "gemini-2.0-flash-001")), 1000);

    assertThat(tap.hasUsage()).isTrue();
    assertThat(tap.failed()).isFalse();
    Usage u = tap.usage();
    assertThat(new long[] {u.input, u.output, u.cacheRead, u.reasoning}).containsExactly(16, 35, 8, 30); // tool-use prompt is input
    assertThat(tap.model()).isEqualTo("gemini-2.0-flash-001");
    assertThat(tap.responseId()).isEqualTo("resp-1");
    assertThat(tap.isStream()).isFalse();
  }

  @Test
  void stream_lastMessagesCountsWin_neverSummed() {
    byte[] body = ProtoBytes.frames(
        ProtoBytes.message().message(4, ProtoBytes.message().varint(8, 1)).string(11, "gemini-2.5-pro"),
        response(usage(57, 3, 0), "gemini-2.5-pro"),
        response(usage(57, 8, 1224), "gemini-2.5-pro"));

    for (int chunk = 1; chunk <= body.length; chunk++) {
      Usage u = feed(body, chunk).usage();
      assertThat(new long[] {u.input, u.output}).as("chunk %d", chunk).containsExactly(57, 1232);
    }
  }

  @Test
  void unknownFields_andAnEmptyMessage_areSkipped() {
    byte[] body = ProtoBytes.frames(ProtoBytes.message(),
        ProtoBytes.message().fixed64(99, 7).message(4, usage(3, 4, 0).fixed32(100, 1).string(9, "details")).varint(12, 5));

    UsageTap tap = feed(body, 3);

    assertThat(tap.usage().input).isEqualTo(3);
    assertThat(tap.usage().output).isEqualTo(4);
    assertThat(tap.failed()).isFalse();
  }

  @Test
  void messageCutInsideItsUsage_countsNothingOfIt() {
    byte[] body = ProtoBytes.frames(response(usage(57, 8, 0), "gemini-2.5-pro"));

    for (int cut = 1; cut < body.length; cut++) {
      UsageTap tap = feed(Arrays.copyOf(body, cut), 4);
      assertThat(tap.hasUsage()).as("cut at %d", cut).isFalse();
      assertThat(tap.failed()).isFalse();
    }
  }

  @Test
  void compressedMessage_isPassedOverUnread() {
    byte[] plain = ProtoBytes.frames(response(usage(1, 2, 0), "a"));
    byte[] compressed = ProtoBytes.frames(response(usage(9, 9, 0), "b"));
    compressed[0] = 1;
    byte[] body = new byte[compressed.length + plain.length];
    System.arraycopy(plain, 0, body, 0, plain.length);
    System.arraycopy(compressed, 0, body, plain.length, compressed.length);

    UsageTap tap = feed(body, 5);

    assertThat(tap.usage().input).isEqualTo(1);
    assertThat(tap.model()).isEqualTo("a");
  }

  @Test
  void notAGrpcBody_failsQuietly() {
    UsageTap tap = feed("{\"usageMetadata\":{\"promptTokenCount\":3}}".getBytes(java.nio.charset.StandardCharsets.UTF_8), 8);

    assertThat(tap.failed()).isTrue();
    assertThat(tap.hasUsage()).isFalse();
  }

  @Test
  void negativeCount_readsAsNone() {
    UsageTap tap = feed(ProtoBytes.frames(response(usage(-5, 4, 0), "m")), 2);

    assertThat(tap.usage().input).isZero();
    assertThat(tap.usage().output).isEqualTo(4);
  }

  @Test
  void randomBytes_neverThrow() {
    Random random = new Random(16);
    for (int round = 0; round < 500; round++) {
      byte[] garbage = new byte[1 + random.nextInt(600)];
      random.nextBytes(garbage);
      if (round % 2 == 0) {
        garbage[0] = 0; // a plausible frame, so the walker sees the garbage
        garbage[1] = garbage[2] = 0;
      }
      int chunk = 1 + random.nextInt(40);
      assertThatCode(() -> feed(garbage, chunk)).doesNotThrowAnyException();
    }
  }
}
