package dev.tollgate.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsSettingsTest {
  private static MetricsSettings of(Map<String, String> props) {
    return TollgateConfig.load(ConfigSource.of(props, Map.of(), Map.of())).metrics;
  }

  @Test
  void defaults_noExporter() {
    MetricsSettings m = of(Map.of());
    assertThat(m.enabled()).isFalse();
    assertThat(m.prometheusHost).isEqualTo("127.0.0.1");
    assertThat(m.interval).isEqualTo(Duration.ofSeconds(60));
    assertThat(m.attributes).containsExactly("provider", "model");
  }

  @Test
  void otlpEndpoint_baseUrlGetsTheMetricsPath() {
    assertThat(of(Map.of("tollgate.metrics.otlp.endpoint", "http://collector:4318/")).otlpEndpoint)
        .isEqualTo("http://collector:4318/v1/metrics");
    assertThat(of(Map.of("tollgate.metrics.otlp.endpoint", "https://x.example/otlp/v1/metrics")).otlpEndpoint)
        .isEqualTo("https://x.example/otlp/v1/metrics");
    assertThat(of(Map.of("tollgate.metrics.otlp.endpoint", "http://collector:4318")).enabled()).isTrue();
  }

  @Test
  void otlpEndpoint_withUserInfo_isRefusedWithoutShowingIt() {
    assertThatThrownBy(() -> of(Map.of("tollgate.metrics.otlp.endpoint", "http://user:s3cret@collector:4318")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tollgate.metrics.otlp.endpoint").hasMessageNotContaining("s3cret");
  }

  @Test
  void prometheusPort_outOfRange_namesKeyAndValue() {
    assertThatThrownBy(() -> of(Map.of("tollgate.metrics.prometheus.port", "70000")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tollgate.metrics.prometheus.port").hasMessageContaining("70000");
    assertThat(of(Map.of("tollgate.metrics.prometheus.port", "9464")).prometheusPort).isEqualTo(9464);
  }

  @Test
  void attributes_parsedDeduplicatedAndChecked() {
    assertThat(of(Map.of("tollgate.metrics.attributes", "tenant, feature,tenant")).attributes).containsExactly("tenant", "feature");
    assertThat(of(Map.of("tollgate.metrics.attributes", "none")).attributes).isEmpty();
    assertThatThrownBy(() -> of(Map.of("tollgate.metrics.attributes", "Tenant!"))).hasMessageContaining("tollgate.metrics.attributes");
  }
}
