package dev.tollgate.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SourceSettingsTest {
  private static TollgateConfig load(String... keyValues) {
    Map<String, String> props = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(keyValues[i], keyValues[i + 1]);
    }
    return TollgateConfig.load(ConfigSource.of(props, Map.of(), Map.of()));
  }

  @Test
  void openRouter_defaults() {
    TollgateConfig c = load("tollgate.wallet", "openrouter", "tollgate.openrouter.key", "sk-secret");

    assertThat(c.source.url).isEqualTo("https://openrouter.ai/api/v1");
    assertThat(c.source.key).isEqualTo("sk-secret");
    assertThat(c.source.toString()).doesNotContain("sk-secret");
    assertThat(c.balanceMaxStaleness).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.sourceTimeout).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.sourceRetries).isEqualTo(2);
  }

  @Test
  void local_hasNoSource() {
    assertThat(load().source).isNull();
  }

  @Test
  void openRouter_withoutKey_saysAManagementKeyIsNeeded() {
    assertThatThrownBy(() -> load("tollgate.wallet", "openrouter"))
        .hasMessage(
            "invalid configuration tollgate.openrouter.key=(missing): the openrouter API key (a management key: only those can read credits)");
  }

  @Test
  void environment_mapsSourceKeys() {
    TollgateConfig c = TollgateConfig.load(ConfigSource.of(Map.of(), Map.of(), Map.of(
        "TOLLGATE_WALLET", "http", "TOLLGATE_HTTP_URL", "http://127.0.0.1:9/me", "TOLLGATE_HTTP_BALANCE_POINTER", "/wallet/left")));

    assertThat(c.source.option("balance-pointer")).isEqualTo("/wallet/left");
    assertThat(c.source.option("header")).isEqualTo("Authorization");
    assertThat(c.source.key).isNull();
  }

  @Test
  void synap_needsUrlAndHasDefaultPath() {
    assertThatThrownBy(() -> load("tollgate.wallet", "synap", "tollgate.synap.key", "k"))
        .hasMessageContaining("tollgate.synap.url=(missing)");
    TollgateConfig c = load("tollgate.wallet", "synap", "tollgate.synap.key", "k", "tollgate.synap.url", "https://synap.example");
    assertThat(c.source.option("balance-path")).isEqualTo("/v1/credits/balance");
  }

  @Test
  void unknownSourceKey_isRejectedWithoutEchoingKeys() {
    assertThatThrownBy(() -> load("tollgate.wallet", "swarms", "tollgate.swarms.key", "k", "tollgate.swarms.api-key", "secret"))
        .hasMessageContaining("tollgate.swarms.api-key=(hidden)").hasMessageNotContaining("secret");
  }

  @Test
  void maxStalenessBelowRefresh_isRejected() {
    assertThatThrownBy(() -> load("tollgate.balance-refresh", "1m", "tollgate.balance-max-staleness", "30s"))
        .hasMessageContaining("tollgate.balance-max-staleness=30s: a duration at least tollgate.balance-refresh (1m)");
  }

  @Test
  void pointerWithoutSlash_isRejected() {
    assertThatThrownBy(() -> load("tollgate.wallet", "http", "tollgate.http.url", "http://x/", "tollgate.http.balance-pointer", "balance"))
        .hasMessageContaining("a JSON pointer starting with /");
  }
}
