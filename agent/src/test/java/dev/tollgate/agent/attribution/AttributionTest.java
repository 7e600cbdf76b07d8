package dev.tollgate.agent.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.internal.ScopeAttributes;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Parsing {@code tollgate.attribute.*}, validation and clipping, and resolving a call's attributes from its sources. */
class AttributionTest {

  @AfterEach
  void noScope() {
    ScopeAttributes.set(null);
  }

  private static AttributeRules rules(String... nameThenSpec) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < nameThenSpec.length; i += 2) {
      m.put(nameThenSpec[i], nameThenSpec[i + 1]);
    }
    return AttributeRules.parse(m);
  }

  @Test
  void parse_sharesEachHeaderPointerAndKeyOnce() {
    AttributeRules r = rules("tenant", "header:X-Tenant-Id|body:/metadata/tenant_id|mdc:tenant", "user", "body:/user|header:X-Tenant-Id",
        "service", "value:billing");

    assertThat(r.headers()).containsExactly("X-Tenant-Id");
    assertThat(r.bodyPointers().asList()).containsExactly("/metadata/tenant_id", "/user");
    assertThat(r.mdcKeys).containsExactly("tenant");
    assertThat(r.names()).containsExactly("tenant", "user", "service");
  }

  @Test
  void parse_badName_namesIt() {
    assertThatThrownBy(() -> rules("Tenant", "value:x")).isInstanceOfSatisfying(AttributeRules.InvalidRule.class, e -> {
      assertThat(e.name).isEqualTo("Tenant");
      assertThat(e).hasMessageContaining("[a-z0-9_-]{1,32}");
    });
    assertThatThrownBy(() -> rules("a".repeat(33), "value:x")).hasMessageContaining("[a-z0-9_-]{1,32}");
  }

  @Test
  void parse_badSource_saysWhatIsAllowed() {
    assertThatThrownBy(() -> rules("tenant", "cookie:x")).hasMessageContaining("header:<Header-Name>, body:<JSON pointer>");
    assertThatThrownBy(() -> rules("tenant", "header:")).hasMessageContaining("SOURCE[|SOURCE…]");
    assertThatThrownBy(() -> rules("tenant", "header:X|")).hasMessageContaining("SOURCE[|SOURCE…]");
    assertThatThrownBy(() -> rules("tenant", "body:user")).hasMessageContaining("not a JSON pointer");
    assertThatThrownBy(() -> rules("tenant", "value:")).hasMessageContaining("value: needs a text");
  }

  @Test
  void resolve_firstSourceWithAValueWins() {
    Attribution a = new Attribution(rules("tenant", "header:X-Tenant|body:/tenant|value:unknown"));

    assertThat(a.resolve(null, new String[] {"from-header"}, new String[] {"from-body"}).asMap()).containsEntry("tenant", "from-header");
    assertThat(a.resolve(null, new String[] {null}, new String[] {"from-body"}).asMap()).containsEntry("tenant", "from-body");
    assertThat(a.resolve(null, null, null).asMap()).containsEntry("tenant", "unknown");
  }

  @Test
  void resolve_scopeBeatsConfiguredSources() {
    Attribution a = new Attribution(rules("tenant", "header:X-Tenant", "service", "value:api"));
    ScopeAttributes.set(Map.of("tenant", "scoped", "feature", "chat"));

    Attributes got = a.resolve(a.capture(), new String[] {"from-header"}, null);

    assertThat(got.asMap()).containsOnly(Map.entry("tenant", "scoped"), Map.entry("service", "api"), Map.entry("feature", "chat"));
  }

  @Test
  void resolve_clipsValuesAndDropsControlCharacters() {
    Attribution a = new Attribution(rules("tenant", "header:X-Tenant", "user", "header:X-User"));

    Attributes got = a.resolve(null, new String[] {"ac\u0000me\n\t" + "x".repeat(200), "\r\n"}, null);

    assertThat(got.get("tenant")).startsWith("acmexxx").hasSize(Attributes.MAX_VALUE_LENGTH);
    assertThat(got.asMap()).doesNotContainKey("user"); // nothing left: no value, the next source (none) is tried
  }

  @Test
  void resolve_nothingConfiguredAndNoScope_isEmptyWithoutCapture() {
    Attribution a = new Attribution(AttributeRules.NONE);

    assertThat(a.capture()).isNull();
    assertThat(a.resolve(null, null, null)).isSameAs(Attributes.EMPTY);
  }

  @Test
  void resolve_mdcWithoutALoggingLibrary_yieldsTheNextSource() {
    Attribution a = new Attribution(rules("tenant", "mdc:tenant|baggage:tenant|value:none"));

    assertThat(a.resolve(a.capture(), null, null).get("tenant")).isEqualTo("none");
  }

  @Test
  void clip_neverSplitsASurrogatePair() {
    String v = "x".repeat(127) + "\uD83D\uDE00";

    assertThat(Attributes.clip(v)).isEqualTo("x".repeat(127));
    assertThat(Attributes.clip("\u0007")).isNull();
  }

  @Test
  void isValidName_followsThePattern() {
    assertThat(Attributes.isValidName("tenant_id-2")).isTrue();
    assertThat(Attributes.isValidName("")).isFalse();
    assertThat(Attributes.isValidName("tenant.id")).isFalse();
  }
}
