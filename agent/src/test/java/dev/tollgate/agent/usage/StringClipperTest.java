package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class StringClipperTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String[] PIECES = {"a", "é", "☃", "🚀", "\"", "\\", "\n", "\t", "\u0001", "\u00e9", "z"};

  @Test
  void feed_stringsAroundTheLimit_stayValidJsonWithTheirPrefixesKept() throws IOException {
    Random random = new Random(42);
    for (int round = 0; round < 300; round++) {
      String text = randomText(random, StringClipper.KEEP - 20 + random.nextInt(80));
      String json = MAPPER.writeValueAsString(MAPPER.createObjectNode().put("text", text).put("after", 7));
      if (random.nextBoolean()) {
        json = json.replace("é", "\\u00e9"); // escapes written by the server instead of raw UTF-8
      }
      byte[] bytes = json.getBytes(StandardCharsets.UTF_8);

      JsonNode clipped = MAPPER.readTree(clip(bytes, Corpus.randomCuts(bytes.length, round, 1 + round % 50)));

      assertThat(text).startsWith(clipped.get("text").asText());
      assertThat(clipped.get("after").asInt()).isEqualTo(7);
      if (bytes.length < StringClipper.KEEP) {
        assertThat(clipped.get("text").asText()).isEqualTo(text);
      }
    }
  }

  @Test
  void feed_shortStringsAndKeys_passUnchanged() throws IOException {
    byte[] json = Corpus.read("openai/chat-completion.json");

    assertThat(clip(json, Corpus.randomCuts(json.length, 1, 9))).isEqualTo(json);
  }

  private static byte[] clip(byte[] bytes, int[] cuts) throws IOException {
    StringClipper clipper = new StringClipper();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int start = 0;
    for (int k = 0; k <= cuts.length; k++) {
      int end = k < cuts.length ? cuts[k] : bytes.length;
      clipper.feed(bytes, start, end - start, (b, from, to) -> out.write(b, from, to - from));
      start = end;
    }
    return out.toByteArray();
  }

  private static String randomText(Random random, int pieces) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < pieces; i++) {
      sb.append(PIECES[random.nextInt(PIECES.length)]);
    }
    return sb.toString();
  }
}
