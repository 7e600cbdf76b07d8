package dev.tollgate.agent.usage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Attribution's body pointers, picked out by the pre-flight's one scan of the body, as Jackson's {@code at} reads them. */
class BodyPointersTest {
  private static final List<String> POINTERS = List.of("/user", "/metadata/tenant_id", "/metadata/n", "/a~1b", "/deep/x/y/z", "/model");

  private static String[] pick(String json, List<String> pointers) {
    String[] found = new String[pointers.size()];
    RequestInfo.preflight(Formats.OPENAI, json.getBytes(StandardCharsets.UTF_8), -1, null, BodyPointers.of(pointers), found);
    return found;
  }

  @Test
  void preflight_withPointers_picksStringsAndNumbersAtAnyDepth() {
    String[] found = pick("{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}],"
        + "\"metadata\":{\"tenant_id\":\"acme\",\"n\":42.5},\"user\":\"u-1\",\"a/b\":7,\"deep\":{\"x\":{\"y\":{\"z\":\"bottom\"}}}}", POINTERS);

    assertThat(found).containsExactly("u-1", "acme", "42.5", "7", "bottom", "gpt-4o-mini");
  }

  @Test
  void preflight_withPointers_ignoresObjectsArraysBooleansNullsAndOtherPaths() {
    String[] found = pick("{\"user\":{\"tenant_id\":\"no\"},\"metadata\":[{\"tenant_id\":\"no\"}],\"x\":{\"metadata\":{\"n\":1}},"
        + "\"deep\":{\"x\":{\"y\":true}},\"a/b\":null}", POINTERS);

    assertThat(found).containsOnlyNulls();
  }

  @Test
  void preflight_withEscapedValue_decodesIt() {
    assertThat(pick("{\"user\":\"caf\\u00e9 \\\"x\\\"\"}", List.of("/user"))).containsExactly("café \"x\"");
  }

  @Test
  void preflight_repeatedKey_lastWinsAsWithTheParser() {
    assertThat(pick("{\"user\":\"a\",\"user\":\"b\"}", List.of("/user"))).containsExactly("b");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      // an escaped key and a non-object root send the body to the parser: the same answer
      "{\"us\\u0065r\":\"escaped-key\",\"metadata\":{\"tenant_id\":\"t\"}}",
      "{\"model\":\"m\",\"metadata\":{\"tenant_id\":\"t\",\"n\":-3},\"user\":\"u\",\"deep\":{\"x\":{\"y\":{\"z\":1e3}}}}",
      "{\"metadata\":{\"tenant_id\":\"\",\"n\":0},\"user\":\"\\n\"}"})
  void preflight_withPointers_agreesWithTheParser(String json) throws Exception {
    JsonNode tree = new ObjectMapper().readTree(json);
    String[] found = pick(json, POINTERS);

    for (int p = 0; p < POINTERS.size(); p++) {
      JsonNode n = tree.at(POINTERS.get(p));
      String expected = n.isTextual() ? n.asText() : n.isNumber() ? json.substring(0, 0) + numberText(json, n) : null;
      assertThat(found[p]).as(POINTERS.get(p)).isEqualTo(expected);
    }
  }

  /** The number as the body spells it (the scan keeps the text; Jackson would normalise 1e3). */
  private static String numberText(String json, JsonNode n) {
    for (String text : new String[] {"1e3", "-3", "42.5", "0", "7"}) {
      if (n.numberValue().doubleValue() == Double.parseDouble(text) && json.contains(text)) {
        return text;
      }
    }
    return n.asText();
  }

  @Test
  void of_notAPointer_saysWhatIsAllowed() {
    assertThatThrownBy(() -> BodyPointers.of(List.of("user"))).hasMessageContaining("not a JSON pointer to a member");
    assertThatThrownBy(() -> BodyPointers.of(List.of("/"))).hasMessageContaining("not a JSON pointer");
    assertThatThrownBy(() -> BodyPointers.of(List.of("/a~2"))).hasMessageContaining("neither ~0 nor ~1");
  }

  @Test
  void preflight_withoutPointers_readsTheBodyAsBefore() {
    RequestInfo r = RequestInfo.preflight(Formats.OPENAI, "{\"model\":\"gpt-4o\",\"user\":\"u\"}".getBytes(StandardCharsets.UTF_8), -1,
        null, BodyPointers.NONE, null);

    assertThat(r.model).isEqualTo("gpt-4o");
  }
}
