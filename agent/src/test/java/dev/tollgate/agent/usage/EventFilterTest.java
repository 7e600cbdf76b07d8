package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EventFilterTest {
  /** Pieces of events that matter, nearly matter, or look alike, put together at random below. */
  private static final String[] PIECES = {
      "\"usage\":{", "\"usage\": {", "\"usage\" : {", "\"usageMetadata\": {", "\"usage\":null", "\"usage_x\":{", "\"usage\"",
      "\"type\":\"message_stop\"", "\"message_stop", "\"finishReason\"", "\"finish_reason\"", "\"message-end\"",
      "\"response.completed\"", "\"response.incomplete\"", "\"response.failed\"", "\"response.created\"", "\"respons",
      "\"model\":\"m\"", "\"u", "\"", "#", "{", "}", ":", " ", "a", "é", "\\\"usage\\\":{"};

  @ParameterizedTest
  @ValueSource(strings = {"\"usage\":{", "\"usage\" :  {", "\"usageMetadata\": {", "\"type\":\"message_stop\"", "\"finishReason\"",
      "\"type\":\"message-end\"", "\"type\":\"response.completed\"", "\"type\":\"response.incomplete\"", "\"type\":\"response.failed\""})
  void mayMatter_markerAtEveryPositionOfAWord_isFound(String marker) {
    for (int before = 0; before <= 17; before++) {
      for (int after = 0; after <= 17; after++) {
        byte[] b = utf8("x".repeat(before) + marker + "y".repeat(after));
        assertThat(EventFilter.mayMatter(b, 0, b.length)).as("%d before, %d after", before, after).isTrue();
        assertThat(EventFilter.mayMatter(b, 0, before + marker.length() - 1)).as("cut, %d before", before).isFalse();
      }
    }
  }

  @Test
  void mayMatter_usageNullAtEveryPositionOfAWord_isPassedOver() {
    for (int before = 0; before <= 17; before++) {
      byte[] b = utf8(
          "{\"id\":\"c\",\"model\":\"m\"".repeat(before % 3) + "x".repeat(before) + ",\"usage\":null,\"finish_reason\":\"stop\"}");
      assertThat(EventFilter.mayMatter(b, 0, b.length)).as("%d before", before).isFalse();
    }
  }

  @Test
  void mayMatter_randomEventsAndEveryRangeOfThem_agreesWithAByteAtATimeReading() {
    Random random = new Random(3);
    for (int round = 0; round < 1000; round++) {
      StringBuilder event = new StringBuilder();
      for (int k = random.nextInt(6); k >= 0; k--) {
        event.append(PIECES[random.nextInt(PIECES.length)]);
      }
      byte[] b = utf8(event.toString());
      for (int from = 0; from <= Math.min(b.length, 9); from++) { // every alignment of the words read
        for (int to = from; to <= b.length; to++) {
          assertThat(EventFilter.mayMatter(b, from, to)).as("[%d, %d) of %s", from, to, event).isEqualTo(reference(b, from, to));
        }
      }
    }
  }

  /** The filter as it was written before it read eight bytes at a time: each quote, then each marker. */
  private static boolean reference(byte[] b, int from, int to) {
    String text = new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    for (int i = text.indexOf('"'); i >= 0 && i < text.length() - 1; i = text.indexOf('"', i + 1)) {
      String rest = text.substring(i + 1);
      if (rest.startsWith("usage") && rest.substring(5).matches("(?s)[A-Za-z]*\" *: *\\{.*")) {
        return true;
      }
      for (String terminal : new String[] {"message_stop\"", "finishReason\"", "message-end\"", "response.completed\"",
          "response.incomplete\"", "response.failed\""}) {
        if (rest.startsWith(terminal)) {
          return true;
        }
      }
    }
    return false;
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
