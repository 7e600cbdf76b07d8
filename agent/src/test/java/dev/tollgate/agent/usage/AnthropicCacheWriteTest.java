package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Anthropic's cache writes by TTL: {@code usage.cache_creation.ephemeral_1h_input_tokens}, billed at the 1-hour rate. */
class AnthropicCacheWriteTest {

  private static Usage read(String body, String contentType) {
    UsageTap tap = UsageTap.forResponse(Formats.ANTHROPIC, contentType);
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i += 7) { // in small pieces, as a body arrives
      tap.feed(b, i, Math.min(7, b.length - i));
    }
    tap.end();
    return tap.usage();
  }

  @Test
  void message_withOneHourWrites_namesThemApartFromTheFiveMinuteOnes() {
    Usage u = read("{\"id\":\"msg_1\",\"type\":\"message\",\"model\":\"claude-sonnet-4-20250514\",\"stop_reason\":\"end_turn\","
        + "\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":3000,\"cache_read_input_tokens\":0,"
        + "\"cache_creation\":{\"ephemeral_5m_input_tokens\":1000,\"ephemeral_1h_input_tokens\":2000},\"output_tokens\":5}}",
        "application/json");

    assertThat(new long[] {u.input, u.cacheWrite, u.cacheWrite1h, u.output}).containsExactly(3012, 3000, 2000, 5);
  }

  @Test
  void stream_messageStartsOneHourWrites_areKeptThroughTheDeltas() {
    Usage u = read(
        "event: message_start\ndata: {\"type\":\"message_start\",\"message\":{\"id\":\"msg_2\",\"model\":\"claude-sonnet-4-20250514\","
            + "\"usage\":{\"input_tokens\":10,\"cache_creation_input_tokens\":500,\"cache_creation\":{\"ephemeral_5m_input_tokens\":0,"
            + "\"ephemeral_1h_input_tokens\":500},\"output_tokens\":1}}}\n\n"
            + "event: message_delta\ndata: {\"type\":\"message_delta\",\"delta\":{\"stop_reason\":\"end_turn\"},\"usage\":{\"output_tokens\":42}}\n\n"
            + "event: message_stop\ndata: {\"type\":\"message_stop\"}\n\n", "text/event-stream");

    assertThat(new long[] {u.input, u.cacheWrite, u.cacheWrite1h, u.output}).containsExactly(510, 500, 500, 42);
  }

  @Test
  void message_withoutTheBreakdown_hasNoOneHourWrites() {
    Usage u = read("{\"id\":\"msg_3\",\"model\":\"claude-sonnet-4-20250514\",\"stop_reason\":\"end_turn\","
        + "\"usage\":{\"input_tokens\":12,\"cache_creation_input_tokens\":300,\"output_tokens\":5}}", "application/json");

    assertThat(u.cacheWrite1h).isZero();
    assertThat(u.cacheWrite).isEqualTo(300);
  }
}
