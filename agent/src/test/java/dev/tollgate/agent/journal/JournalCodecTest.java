package dev.tollgate.agent.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.UsageRecord;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class JournalCodecTest {

  static UsageRecord fullRecord() {
    Map<String, String> attributes = new LinkedHashMap<>();
    attributes.put("tenant", "acme-gmbh");
    attributes.put("feature", "résumé \"parser\"\n✓");
    return UsageRecord.builder()
        .id("8f3a9c2e1b7d4a60-2a")
        .time(Instant.parse("2025-08-29T10:15:30.123456789Z"))
        .provider("anthropic")
        .model("claude-sonnet-4-20250514")
        .operation("messages")
        .endpoint("https://api.anthropic.com/v1/messages")
        .status(UsageRecord.Status.CANCELLED)
        .httpStatus(200)
        .inputTokens(22326)
        .outputTokens(387)
        .cacheReadTokens(20471)
        .cacheWriteTokens(1843)
        .cacheWrite1hTokens(1024)
        .reasoningTokens(128)
        .cost(new BigDecimal("0.018893550"))
        .estimated(true)
        .unpriced(true)
        .reservation(new BigDecimal("9223372036.854775807"))
        .latencyMillis(4321)
        .stream(true)
        .attributes(attributes)
        .requestId("msg_01XFDUDYJgAACzvnptvVoYEL")
        .build();
  }

  @Test
  void encode_thenDecode_roundTripsEveryField() {
    UsageRecord original = fullRecord();

    UsageRecord decoded = JournalCodec.decode(line(original));

    assertThat(decoded).isEqualTo(original);
    assertThat(decoded.time()).isEqualTo(original.time());
    assertThat(decoded.cost()).isEqualByComparingTo("0.01889355");
    assertThat(decoded.reservation().toPlainString()).isEqualTo("9223372036.854775807");
    assertThat(decoded.attributes()).isEqualTo(original.attributes());
    assertThat(decoded.requestId()).isEqualTo("msg_01XFDUDYJgAACzvnptvVoYEL");
  }

  @Test
  void encode_oneHourCacheWrites_areTheirOwnField_andALineWithoutItReadsAsNone() {
    UsageRecord withOneHour = fullRecord();
    UsageRecord without = withOneHour.toBuilder().cacheWrite1hTokens(0).build();

    assertThat(line(withOneHour)).contains("\"cache_write_tokens\":1843,\"cache_write_1h_tokens\":1024,");
    assertThat(JournalCodec.decode(line(withOneHour)).cacheWrite1hTokens()).isEqualTo(1024);
    // Additive: a record without 1-hour writes is the line it was before the field existed, and such a line reads as none.
    assertThat(line(without)).doesNotContain("cache_write_1h_tokens");
    assertThat(JournalCodec.decode(line(without))).isEqualTo(without);
    assertThat(JournalCodec.decode(line(withOneHour).replace("\"cache_write_1h_tokens\":1024,", "")).cacheWrite1hTokens()).isZero();
  }

  @Test
  void encode_thenDecode_minimalRecordKeepsDefaults() {
    UsageRecord minimal = UsageRecord.builder().id("1").time(Instant.EPOCH).provider("openai").model("unknown")
        .operation("chat").endpoint("https://api.openai.com/v1/chat/completions").status(UsageRecord.Status.BLOCKED).build();

    UsageRecord decoded = JournalCodec.decode(line(minimal));

    assertThat(decoded).isEqualTo(minimal);
    assertThat(decoded.requestId()).isNull();
    assertThat(decoded.attributes()).isEmpty();
    assertThat(decoded.cost()).isEqualByComparingTo("0");
  }

  @ParameterizedTest
  @EnumSource(UsageRecord.Status.class)
  void encode_status_isLowerCaseWireNameAndDecodesBack(UsageRecord.Status status) {
    UsageRecord r = fullRecord().toBuilder().status(status).build();

    String line = line(r);

    assertThat(line).contains("\"status\":\"" + status.name().toLowerCase(java.util.Locale.ROOT) + "\"");
    assertThat(JournalCodec.decode(line).status()).isEqualTo(status);
  }

  @Test
  void encode_isOneLineEndingInNewlineWithSnakeCaseNames() {
    String line = line(fullRecord());

    assertThat(line).endsWith("\n");
    assertThat(line.indexOf('\n')).isEqualTo(line.length() - 1);
    assertThat(line).startsWith("{\"v\":1,\"id\":");
    assertThat(line).contains("\"input_tokens\":22326", "\"output_tokens\":387", "\"cache_read_tokens\":20471",
        "\"cache_write_tokens\":1843", "\"reasoning_tokens\":128", "\"http_status\":200", "\"latency_ms\":4321",
        "\"request_id\":\"msg_01XFDUDYJgAACzvnptvVoYEL\"", "\"stream\":true", "\"estimated\":true", "\"unpriced\":true");
  }

  @Test
  void encode_tinyAndWholeAmounts_arePlainDecimalsNeverExponents() {
    UsageRecord r = fullRecord().toBuilder().cost(new BigDecimal("1E-7")).reservation(new BigDecimal("1E+3")).build();

    String line = line(r);

    assertThat(line).contains("\"cost\":0.0000001,", "\"reservation\":1000,").doesNotContain("E-", "E+");
    assertThat(JournalCodec.decode(line).cost()).isEqualByComparingTo("0.0000001");
  }

  @Test
  void decode_costWithMoreDigitsThanADouble_isExact() {
    // Regression: numbers were read through a double, so costs and reservations lost digits.
    UsageRecord r = fullRecord().toBuilder().cost(new BigDecimal("12345678.123456789")).build();

    assertThat(JournalCodec.decode(line(r)).cost().toPlainString()).isEqualTo("12345678.123456789");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "",
      "not json",
      "[1,2,3]",
      "{\"v\":1,\"id\":\"x\",\"time\":\"2025-08-29T10:15:30Z\",\"status\":\"ok\"",
      "{\"v\":1,\"time\":\"2025-08-29T10:15:30Z\",\"cost\":0,\"status\":\"ok\"}",
      "{\"v\":1,\"id\":\"x\",\"time\":\"2025-08-29T10:15:30Z\",\"cost\":\"free\",\"status\":\"ok\",\"provider\":\"p\",\"model\":\"m\",\"operation\":\"o\",\"endpoint\":\"e\"}",
      "{\"v\":1,\"id\":\"x\",\"time\":\"2025-08-29T10:15:30Z\",\"cost\":0,\"status\":\"paused\",\"provider\":\"p\",\"model\":\"m\",\"operation\":\"o\",\"endpoint\":\"e\"}",
      "{\"v\":1,\"id\":\"x\",\"time\":\"yesterday\",\"cost\":0,\"status\":\"ok\",\"provider\":\"p\",\"model\":\"m\",\"operation\":\"o\",\"endpoint\":\"e\"}"})
  void decode_incompleteOrForeignLine_throwsIllegalArgument(String line) {
    assertThatThrownBy(() -> JournalCodec.decode(line)).isInstanceOf(RuntimeException.class);
  }

  @Test
  void decode_tornLine_throwsIllegalArgument() {
    String line = line(fullRecord());

    for (int cut = 1; cut < line.length() - 2; cut++) {
      String torn = line.substring(0, cut);
      assertThatThrownBy(() -> JournalCodec.decode(torn)).as("cut at %d", cut).isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static String line(UsageRecord r) {
    return new String(JournalCodec.encode(r), StandardCharsets.UTF_8);
  }

  @Test
  void reconciliation_encodeThenDecodeAny_roundTripsEveryFieldAsItsOwnKind() {
    Reconciliation r = new Reconciliation("reconcile-1", Instant.parse("2026-01-02T03:05:01Z"), "synap",
        Instant.parse("2026-01-02T03:00:00Z"), Instant.parse("2026-01-02T03:05:00Z"), new BigDecimal("0.0000001"), new BigDecimal("2.5"));
    String line = new String(JournalCodec.encode(r), StandardCharsets.UTF_8);

    Reconciliation back = (Reconciliation) JournalCodec.decodeAny(line);

    assertThat(line).endsWith("\n").contains("\"kind\":\"reconciliation\"", "\"remote\":0.0000001", "\"drift\":-2.4999999")
        .doesNotContain("\"cost\"", "\"status\"");
    assertThat(back.id).isEqualTo("reconcile-1");
    assertThat(back.time).isEqualTo(r.time);
    assertThat(back.source).isEqualTo("synap");
    assertThat(back.windowStart).isEqualTo(r.windowStart);
    assertThat(back.windowEnd).isEqualTo(r.windowEnd);
    assertThat(back.remote).isEqualByComparingTo("0.0000001");
    assertThat(back.local).isEqualByComparingTo("2.5");
    assertThat(back.drift).isEqualByComparingTo("-2.4999999");
  }

  @Test
  void decode_reconciliationLine_isNotAUsageRecord() {
    Reconciliation r = new Reconciliation("x", Instant.EPOCH, "openrouter", Instant.EPOCH, Instant.EPOCH, BigDecimal.ONE, BigDecimal.ZERO);

    assertThatThrownBy(() -> JournalCodec.decode(new String(JournalCodec.encode(r), StandardCharsets.UTF_8)))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
