package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EventStreamDecoderTest {
  private static final List<String> CONVERSE_EVENTS = List.of("event messageStart", "event contentBlockDelta",
      "event contentBlockDelta", "event contentBlockStop", "event messageStop", "event metadata");

  private final List<String> seen = new ArrayList<>();
  private final EventStreamDecoder decoder = new EventStreamDecoder((type, event, b, off, len) -> {
    seen.add(type + " " + event);
    if ("metadata".equals(event)) {
      assertThat(new String(b, off, len, StandardCharsets.UTF_8)).startsWith("{\"metrics\"").endsWith("}");
    }
    return true;
  });

  @Test
  void feed_wholeStream_yieldsEachMessageWithItsHeaders() throws IOException {
    byte[] data = Corpus.read("bedrock/converse-stream.eventstream");

    decoder.feed(data, 0, data.length);

    assertThat(seen).isEqualTo(CONVERSE_EVENTS);
    assertThat(decoder.atBoundary()).isTrue();
  }

  @Test
  void feed_everySplit_yieldsTheSameMessages() throws IOException {
    byte[] data = Corpus.read("bedrock/converse-stream.eventstream");
    for (int at = 1; at < data.length; at++) {
      seen.clear();
      EventStreamDecoder d = new EventStreamDecoder((type, event, b, off, len) -> seen.add(type + " " + event));
      // (List.add is true: every message is read)
      d.feed(data, 0, at);
      d.feed(data, at, data.length - at);

      assertThat(seen).as("split at %d", at).isEqualTo(CONVERSE_EVENTS);
    }
  }

  @Test
  void feed_payloadByteChanged_failsOnTheMessageCrc() {
    byte[] data = Corpus.read("bedrock/converse-stream.eventstream");
    data[60] ^= 1; // inside the first message's payload

    assertThatThrownBy(() -> decoder.feed(data, 0, data.length)).isInstanceOf(IOException.class).hasMessageContaining("message CRC");
    assertThat(seen).isEmpty();
  }

  @Test
  void feed_lengthByteChanged_failsOnThePreludeCrc() {
    byte[] data = Corpus.read("bedrock/converse-stream.eventstream");
    data[2] ^= 1;

    assertThatThrownBy(() -> decoder.feed(data, 0, data.length)).isInstanceOf(IOException.class).hasMessageContaining("prelude CRC");
  }

  @Test
  void feed_cutMidMessage_endsOffABoundary() throws IOException {
    byte[] data = Corpus.read("bedrock/converse-stream.eventstream");

    decoder.feed(data, 0, data.length - 5);

    assertThat(seen).hasSize(5);
    assertThat(decoder.atBoundary()).isFalse();
  }
}
