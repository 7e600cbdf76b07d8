package dev.tollgate.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class AlertSettingsTest {
  private static final String SECRET = "T0001/B0002/s3cr3tPath";

  private static TollgateConfig load(Map<String, String> props) {
    return TollgateConfig.load(ConfigSource.of(props, Map.of(), Map.of()));
  }

  @Test
  void load_noWebhook_hasNoAlerts() {
    assertThat(load(Map.of()).alert).isNull();
  }

  @Test
  void load_webhook_keepsTheFullUrlAndShowsItMasked() {
    AlertSettings a = load(Map.of("tollgate.alert.webhook", "https://hooks.example.com/services/" + SECRET)).alert;

    assertThat(a.webhook.toString()).endsWith(SECRET);
    assertThat(a.retries).isEqualTo(3);
    assertThat(a.masked()).isEqualTo("https://hooks.example.com/…");
    assertThat(a.toString()).doesNotContain(SECRET);
  }

  @Test
  void mask_dropsUserInfoPathAndQuery() {
    assertThat(AlertSettings.mask("http://user:pw@127.0.0.1:8080/hook?token=x")).isEqualTo("http://127.0.0.1:8080/…");
    assertThat(AlertSettings.mask("https://h.example.com")).isEqualTo("https://h.example.com");
    assertThat(AlertSettings.mask("not a url " + SECRET)).isEqualTo("(hidden)");
  }

  @Test
  void load_invalidWebhook_failsWithoutEchoingTheSecret() {
    assertThatThrownBy(() -> load(Map.of("tollgate.alert.webhook", "ftp://hooks.example.com/" + SECRET)))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tollgate.alert.webhook=ftp://hooks.example.com/…")
        .hasMessageNotContaining(SECRET);
  }

  @Test
  void load_retriesOutOfRange_fails() {
    assertThatThrownBy(() -> load(Map.of("tollgate.alert.webhook", "https://h.example.com/x", "tollgate.alert.retries", "11")))
        .hasMessageContaining("tollgate.alert.retries=11: a whole number from 0 to 10");
  }
}
