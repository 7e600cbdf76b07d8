package dev.tollgate.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.api.internal.ScopeAttributes;
import dev.tollgate.api.internal.TollgateBackend;
import dev.tollgate.api.internal.TollgateBinding;
import java.lang.reflect.Proxy;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link Tollgate#scope}: nesting, {@code and}, restoring on close; a no-op without the agent. */
class TollgateScopeTest {

  @AfterEach
  void unbind() {
    TollgateBinding.bind(null);
    ScopeAttributes.set(null);
  }

  private static void bindAgent() {
    TollgateBinding.bind((TollgateBackend) Proxy.newProxyInstance(TollgateBackend.class.getClassLoader(),
        new Class<?>[] {TollgateBackend.class}, (p, m, a) -> null));
  }

  @Test
  void scope_withoutAgent_isANoOp() {
    try (TollgateScope s = Tollgate.scope("tenant", "acme").and("feature", "chat")) {
      assertThat(ScopeAttributes.current()).isNull();
    }
  }

  @Test
  void scope_nested_innerAddsAndWinsThenCloseRestoresOuter() {
    bindAgent();
    try (TollgateScope outer = Tollgate.scope("tenant", "acme").and("feature", "chat")) {
      assertThat(ScopeAttributes.current()).isEqualTo(Map.of("tenant", "acme", "feature", "chat"));
      try (TollgateScope inner = Tollgate.scope("tenant", "globex")) {
        assertThat(ScopeAttributes.current()).isEqualTo(Map.of("tenant", "globex", "feature", "chat"));
      }
      assertThat(ScopeAttributes.current()).isEqualTo(Map.of("tenant", "acme", "feature", "chat"));
    }
    assertThat(ScopeAttributes.current()).isNull();
  }

  @Test
  void scope_isPerThread() throws Exception {
    bindAgent();
    try (TollgateScope s = Tollgate.scope("tenant", "acme")) {
      Map<?, ?>[] seen = new Map<?, ?>[1];
      Thread t = new Thread(() -> seen[0] = ScopeAttributes.current());
      t.start();
      t.join();
      assertThat(seen[0]).isNull();
    }
  }

  @Test
  void scope_badNameOrNull_throwsEvenWithoutAgent() {
    assertThatThrownBy(() -> Tollgate.scope("Tenant", "x")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("[a-z0-9_-]{1,32}");
    assertThatThrownBy(() -> Tollgate.scope("tenant", null)).isInstanceOf(NullPointerException.class);
    assertThatThrownBy(() -> Tollgate.scope("tenant", "x").and("a.b", "y")).isInstanceOf(IllegalArgumentException.class);
  }
}
