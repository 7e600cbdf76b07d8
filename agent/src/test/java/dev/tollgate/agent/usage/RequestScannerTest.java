package dev.tollgate.agent.usage;

import static dev.tollgate.agent.fuzz.Fuzz.between;
import static dev.tollgate.agent.usage.Corpus.utf8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tollgate.agent.fuzz.Fuzz;
import dev.tollgate.agent.fuzz.Mutation;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The pre-flight's scanner against the parser it stands in for: on any body (recorded requests,
 * random JSON, and both damaged) it either reads exactly what Jackson's reading gives — model,
 * output bound, stream, the heuristic's characters and values — or passes the body to Jackson. And
 * its token bound is never below what the tokenizers count.
 */
class RequestScannerTest {
  private static final ObjectMapper PLAIN = new ObjectMapper();
  private static final ObjectMapper ESCAPING = JsonMapper.builder()
      .enable(JsonWriteFeature.ESCAPE_NON_ASCII).enable(SerializationFeature.INDENT_OUTPUT).build();
  private static final String[] KEYS = {"model", "max_tokens", "max_completion_tokens", "max_output_tokens", "stream",
      "generationConfig", "maxOutputTokens", "messages", "role", "content", "name", "tools", "properties", "enum", "input",
      "instructions", "prompt", "type", "function", "parameters", "modèle", "k\"ey", "x", "ttl", "cache_control"};

  @BeforeAll
  static void loadTokenizers() {
    TokenCounter.load("gpt-4o");
    TokenCounter.load("gpt-4");
  }

  static Stream<String> bodies() {
    return Stream.of(
        resource("openai/cookbook-chat.json"),
        resource("openai/cookbook-tools.json"),
        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}],\"max_tokens\":50,\"stream\":true}",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":1024,\"system\":\"Be brief.\",\"messages\":[{\"role\":\"user\","
            + "\"content\":[{\"type\":\"text\",\"text\":\"Caf\u00e9 \u2615 \ud83d\ude00 \\u00e9\\n\\\"q\\\"\"}]}]}",
        "{\"contents\":[{\"parts\":[{\"text\":\"hi\"}]}],\"generationConfig\":{\"temperature\":0.2,\"maxOutputTokens\":256}}",
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"system\":[{\"type\":\"text\",\"text\":\"Be brief.\","
            + "\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}],\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}",
        "{\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"\\u0031h\"},\"messages\":[]}",
        "{\"a\":[\"ttl\",\"1h\"],\"ttl\":1,\"b\":{\"ttl\":[\"1h\"]},\"c\":{\"ttl\":\"5m\",\"x\":\"1h\"}}",
        "{\"generationConfig\":{\"maxOutputTokens\":\"256\"},\"x\":{\"generationConfig\":{\"maxOutputTokens\":9}}}",
        "{\"model\":null,\"max_tokens\":1.5e3,\"stream\":\"yes\",\"max_completion_tokens\":-0}",
        "{\"model\":7,\"max_tokens\":123456789012345678,\"stream\":false,\"model\":\"gpt-4.1\",\"max_output_tokens\":64}",
        "{\"max_tokens\":1234567890123456789,\"model\":\"gpt-4o\"}",
        "{\"model\":\"gpt-\\u0034o\",\"messages\":[]}",
        "{\"mod\\u0065l\":\"gpt-4o\",\"messages\":[]}",
        " \t\r\n{ \"model\" : \"o3\" , \"input\" : [ \"a\" , { } , [ ] , true , false , null , -1.25E-3 ] } \n",
        "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"deep\"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
        "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\"deeper\"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}",
        "{} {}", "{}x", "[1,2]", "\"text\"", "", "   ", "\ufeff{\"model\":\"gpt-4o\"}", "{\"a\":01}", "{\"a\":1.}", "{\"a\":tru}",
        "{\"a\":\"\u0001\"}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u12G4\"}", "{\"a\":1,}", "{,\"a\":1}", "{\"a\" 1}", "{\"a\":[1 2]}",
        "{\"a\":{\"b\":1]}", "{\"model\":\"gpt-4o\"", "{\"model\":\"gpt-4o", "{\"a\":-}", "{\"a\":1e}", "{\"a\":truex}");
  }

  @ParameterizedTest
  @MethodSource("bodies")
  void knownBodies_readAsTheParserReadsThem(String body) {
    assertSameReading(utf8(body));
  }

  @Test
  void damagedBodies_readAsTheParserReadsThem() {
    List<String> bodies = bodies().collect(java.util.stream.Collectors.toList());
    Fuzz.qt(500).forAll(between(0, bodies.size() - 1), Fuzz.mutations(3))
        .checkAssert((k, mutations) -> assertSameReading(Mutation.applyAll(utf8(bodies.get(k)), mutations)));
  }

  @Test
  void randomJson_readAsTheParserReadsIt_andBoundsEveryCount() {
    Fuzz.qt(500).forAll(between(0, Integer.MAX_VALUE)).checkAssert(seed -> {
      byte[] body = randomRequest(new Random(seed));
      assertSameReading(body);
      assertBounds(body);
    });
  }

  /** The scanner passes over text eight bytes at a time: whatever needs a closer look is seen at any offset. */
  @ParameterizedTest
  @ValueSource(strings = {"\\\"", "\\\\", "\\n", "\\u00e9", "é", "中", "😀", "\u0001", "\u007f", "\"", "\\x"})
  void specialCharacter_atEveryOffsetOfALongString_isSeen(String special) {
    for (int at = 0; at < 24; at++) {
      String text = "a".repeat(at) + special + "b".repeat(24 - at);
      assertSameReading(utf8("{\"model\":\"gpt-4o\",\"input\":\"" + text + "\",\"max_tokens\":5}"));
    }
  }

  @ParameterizedTest
  @MethodSource("bodies")
  void knownBodies_boundEveryCount(String body) {
    assertBounds(utf8(body));
  }

  /** The framing a counting adds can outweigh the bytes of a body made of empty messages or tools. */
  @ParameterizedTest
  @ValueSource(strings = {
      "{\"messages\":[{},{},{},{},{},{},{},{}]}",
      "{\"tools\":[{},{},{},{}],\"tools\":[{}]}",
      "{\"tools\":[{\"function\":{\"parameters\":{\"properties\":{\"a\":1,\"b\":2,\"c\":{\"enum\":[\"x\",\"y\",\"z\"]}}}}}]}",
      "{\"messages\":[{\"role\":\"\",\"content\":\"\",\"name\":\"\"},{\"name\":\"\"}]}"})
  void framingHeavyBodies_boundEveryCount(String body) {
    assertBounds(utf8(body));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"system\":[{\"type\":\"text\",\"text\":\"x\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}]} | true",
      "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"x\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"1h\"}}]}]} | true",
      "{\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"\\u0031h\"}} | true",
      "{\"system\":[{\"type\":\"text\",\"text\":\"x\",\"cache_control\":{\"type\":\"ephemeral\",\"ttl\":\"5m\"}}]} | false",
      "{\"system\":[{\"type\":\"text\",\"text\":\"x\",\"cache_control\":{\"type\":\"ephemeral\"}}]} | false",
      "{\"messages\":[{\"role\":\"user\",\"content\":\"ttl 1h\"}],\"a\":[\"ttl\",\"1h\"]} | false"})
  void preflight_oneHourCache_isReadInTheSamePass(String body, boolean oneHour) {
    byte[] bytes = utf8(body);

    assertThat(RequestInfo.preflight(Formats.ANTHROPIC, bytes, bytes.length, null).cacheWrite1h).as(body).isEqualTo(oneHour);
    assertThat(RequestInfo.parse(Formats.ANTHROPIC, bytes, null).cacheWrite1h).as(body).isEqualTo(oneHour);
  }

  @Test
  void preflight_boundsOpenAiInput_andCountsItOnlyWhenAsked() {
    byte[] body = utf8("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}],\"max_tokens\":50}");

    RequestInfo bound = RequestInfo.preflight(Formats.OPENAI, body, body.length, null);
    RequestInfo counted = bound.counted();

    assertThat(bound.isBound()).isTrue();
    // "model","gpt-4o-mini","messages","role","user","content","Hello there","max_tokens": 60 bytes, 8 strings;
    // the root object, the messages array and the message: 3 containers.
    assertThat(bound.estimatedInputTokens).isEqualTo(60 + 8 * 4 + 3 * 12 + 16);
    assertThat(counted.isBound()).isFalse();
    assertThat(counted.estimatedInputTokens).isEqualTo(3 + 1 + 2 + 3);
    assertThat(counted.model).isEqualTo(bound.model).isEqualTo("gpt-4o-mini");
    assertThat(counted.maxOutputTokens).isEqualTo(50);
    assertThat(RequestInfo.inspect(Formats.OPENAI, body, body.length).estimatedInputTokens).isEqualTo(counted.estimatedInputTokens);
  }

  @Test
  void preflight_heuristicModels_areNeverBound() {
    byte[] body = utf8(
        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[{\"role\":\"user\",\"content\":\"Hello there\"}]}");

    RequestInfo info = RequestInfo.preflight(Formats.ANTHROPIC, body, body.length, null);

    assertThat(info.isBound()).isFalse();
    assertThat(info.counted()).isSameAs(info);
    assertThat(info.estimatedInputTokens).isEqualTo(4 + 2 * 4);
  }

  private static void assertSameReading(byte[] body) {
    String what = new String(body, java.nio.charset.StandardCharsets.UTF_8);
    RequestScanner fast = RequestScanner.scan(body);
    if (fast != null) {
      RequestInfo.Scan slow = new RequestInfo.Scan(RequestKeys.COMMON);
      try (com.fasterxml.jackson.core.JsonParser p = UsageTap.JSON.createParser(body)) {
        slow.run(p);
      } catch (IOException | RuntimeException e) {
        throw new AssertionError("the scanner read a body the parser refuses: " + what, e);
      }
      assertThat(fast.model).as(what).isEqualTo(slow.model);
      assertThat(fast.maxOutput).as(what).isEqualTo(slow.maxOutput);
      assertThat(fast.stream).as(what).isEqualTo(slow.stream);
      assertThat(fast.cacheTtl1h).as(what).isEqualTo(slow.cacheTtl1h);
      assertThat(fast.textChars).as(what).isEqualTo(slow.textBytes);
      assertThat(fast.values).as(what).isEqualTo(slow.values);
    }
    // The heuristic format: what is compared is the scanner's own reading, no tokenizer on top.
    RequestInfo scanned = RequestInfo.preflight(Formats.ANTHROPIC, body, body.length, null);
    RequestInfo parsed = RequestInfo.parse(Formats.ANTHROPIC, body, null);
    assertThat(scanned.model).as(what).isEqualTo(parsed.model);
    assertThat(scanned.maxOutputTokens).as(what).isEqualTo(parsed.maxOutputTokens);
    assertThat(scanned.stream).as(what).isEqualTo(parsed.stream);
    assertThat(scanned.cacheWrite1h).as(what).isEqualTo(parsed.cacheWrite1h);
    assertThat(scanned.estimatedInputTokens).as(what).isEqualTo(parsed.estimatedInputTokens);
  }

  private static void assertBounds(byte[] body) {
    RequestScanner scan = RequestScanner.scan(body);
    if (scan == null) {
      return; // the parser reads it, and counts it exactly
    }
    for (String model : new String[] {"gpt-4o", "gpt-4"}) {
      long count;
      try {
        count = PromptTokens.count(body, TokenCounter.forModel(model));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      assertThat(scan.tokenBound).as(model + " on " + new String(body, java.nio.charset.StandardCharsets.UTF_8))
          .isGreaterThanOrEqualTo(count);
    }
  }

  /** A request-like JSON object: the keys the readers look for, at every depth, with any kind of value. */
  static byte[] randomRequest(Random r) {
    Map<String, Object> root = new LinkedHashMap<>();
    int fields = r.nextInt(8);
    for (int k = 0; k < fields; k++) {
      root.put(KEYS[r.nextInt(KEYS.length)], value(r, 1));
    }
    try {
      return (r.nextBoolean() ? PLAIN : ESCAPING).writeValueAsBytes(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Object value(Random r, int depth) {
    switch (r.nextInt(depth > 5 ? 6 : 8)) {
      case 0:
        return text(r);
      case 1:
        return r.nextInt(3) == 0 ? r.nextLong() : (long) r.nextInt(100_000) - 10;
      case 2:
        return r.nextDouble() * 1e6;
      case 3:
        return r.nextBoolean();
      case 4:
        return null;
      case 5:
        return text(r);
      case 6: {
        List<Object> list = new ArrayList<>();
        for (int k = r.nextInt(4); k > 0; k--) {
          list.add(value(r, depth + 1));
        }
        return list;
      }
      default: {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int k = r.nextInt(5); k > 0; k--) {
          map.put(r.nextInt(4) == 0 ? text(r) : KEYS[r.nextInt(KEYS.length)], value(r, depth + 1));
        }
        return map;
      }
    }
  }

  private static String text(Random r) {
    String[] pieces = {"Hello", " there", "gpt-4o", "data:image/png;base64,iVBORw0KGgo", "\n", "\t", "\"", "\\", "/", "\u0000",
        "\u001f", "é", "中文", "😀", " ", "claude-sonnet-4-5", "o3", "1234", "1h", "1h", "5m"};
    StringBuilder sb = new StringBuilder();
    for (int k = r.nextInt(6); k > 0; k--) {
      sb.append(pieces[r.nextInt(pieces.length)]);
    }
    return sb.toString();
  }

  private static String resource(String file) {
    try (InputStream in = RequestScannerTest.class.getResourceAsStream("/requests/" + file)) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
