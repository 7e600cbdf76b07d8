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

  @Test
  void feed_aNumberThatGoesOnAndOn_isCutToItsFirstDigits_inAnyCuts() throws IOException {
    String digits = "7".repeat(100_000);
    byte[] json = ("{\"usage\":{\"prompt_tokens\":" + digits + ",\"completion_tokens\":3}}").getBytes(StandardCharsets.UTF_8);

    String clipped = new String(clip(json, Corpus.randomCuts(json.length, 3, 4096)), StandardCharsets.UTF_8);

    assertThat(clipped).isEqualTo("{\"usage\":{\"prompt_tokens\":" + "7".repeat(StringClipper.KEEP_DIGITS) + ",\"completion_tokens\":3}}");
  }

  @Test
  void feed_stringsAroundTheLimitInRandomCuts_keepExactlyWhatAByteAtATimeClipperKeeps() throws IOException {
    Random random = new Random(7);
    for (int round = 0; round < 300; round++) {
      StringBuilder json = new StringBuilder("[");
      for (int k = random.nextInt(4); k >= 0; k--) {
        String text = randomText(random, random.nextInt(5) == 0 ? random.nextInt(20) : StringClipper.KEEP - 40 + random.nextInt(120));
        json.append(MAPPER.writeValueAsString(random.nextBoolean() ? text : text.replace("é", "\\u00e9"))).append(",1,");
      }
      byte[] bytes = json.append("2]").toString().getBytes(StandardCharsets.UTF_8);
      int[] cuts = Corpus.randomCuts(bytes.length, round, 1 + round % 300);

      assertThat(clip(bytes, cuts)).as("round %d", round).isEqualTo(ByteAtATime.clip(bytes));
    }
  }

  /** The clipper as it was written before it skipped plain bytes eight at a time. */
  private static final class ByteAtATime {
    static byte[] clip(byte[] b) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      boolean inString = false;
      boolean clipping = false;
      boolean escaped = false;
      int hexLeft = 0;
      int kept = 0;
      for (byte c : b) {
        if (!inString) {
          inString = c == '"';
          kept = 0;
        } else if (clipping) {
          if (escaped) {
            escaped = false;
          } else if (c == '\\') {
            escaped = true;
          } else if (c == '"') {
            clipping = inString = false;
          }
        } else if (escaped) {
          escaped = false;
          hexLeft = c == 'u' ? 4 : 0;
          kept++;
        } else if (hexLeft > 0) {
          hexLeft--;
          kept++;
        } else if (c == '\\') {
          escaped = true;
          kept++;
        } else if (c == '"') {
          inString = false;
        } else if (kept >= StringClipper.KEEP && (c & 0xC0) != 0x80) {
          clipping = true;
        } else {
          kept++;
        }
        if (!clipping) {
          out.write(c);
        }
      }
      return out.toByteArray();
    }
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
