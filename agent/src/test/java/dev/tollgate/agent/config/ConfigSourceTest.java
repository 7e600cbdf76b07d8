package dev.tollgate.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigSourceTest {
  @TempDir Path dir;

  @Test
  void get_keyInEverySource_systemPropertyWins() throws IOException {
    Path file = properties("tollgate.enforce=off\n");
    Map<String, String> env = Map.of("TOLLGATE_ENFORCE", "warn", "TOLLGATE_CONFIG_FILE", file.toString());

    ConfigSource all = ConfigSource.of(Map.of("tollgate.enforce", "block"), Map.of("tollgate.enforce", "off"), env);
    ConfigSource noProperty = ConfigSource.of(Map.of(), Map.of("tollgate.enforce", "off"), env);
    ConfigSource envAndFile = ConfigSource.of(Map.of(), Map.of(), env);
    ConfigSource fileOnly = ConfigSource.of(Map.of(), Map.of(), Map.of("TOLLGATE_CONFIG_FILE", file.toString()));
    ConfigSource none = ConfigSource.of(Map.of(), Map.of(), Map.of());

    assertThat(all.get("tollgate.enforce")).isEqualTo("block");
    assertThat(noProperty.get("tollgate.enforce")).isEqualTo("off");
    assertThat(envAndFile.get("tollgate.enforce")).isEqualTo("warn");
    assertThat(fileOnly.get("tollgate.enforce")).isEqualTo("off");
    assertThat(none.get("tollgate.enforce")).isNull();
  }

  @Test
  void origin_namesTheLayerGetReadsFrom() throws IOException {
    Path file = properties("budget=1\nenforce=warn\nblock-mode=exception\nwallet=local\n");
    ConfigSource s = ConfigSource.of(
        Map.of("tollgate.budget", "4"),
        Map.of("tollgate.enforce", "off"),
        Map.of("TOLLGATE_BLOCK_MODE", "response", "TOLLGATE_CONFIG_FILE", file.toString()));

    assertThat(s.origin("tollgate.budget")).isEqualTo("system property");
    assertThat(s.origin("tollgate.enforce")).isEqualTo("agent argument");
    assertThat(s.origin("tollgate.block-mode")).isEqualTo("environment");
    assertThat(s.origin("tollgate.wallet")).isEqualTo("config file");
    assertThat(s.origin("tollgate.data-dir")).isEqualTo("default");
  }

  @Test
  void get_precedenceOfEachLayer_overTheOnesBelow() throws IOException {
    Path file = properties("budget=1\nbalance-refresh=1s\nlow-balance=1%\ncredits-per-usd=1\n");
    ConfigSource s = ConfigSource.of(
        Map.of("tollgate.budget", "4"),
        Map.of("tollgate.budget", "3", "tollgate.balance-refresh", "3s", "tollgate.config-file", file.toString()),
        Map.of("TOLLGATE_BUDGET", "2", "TOLLGATE_BALANCE_REFRESH", "2s", "TOLLGATE_LOW_BALANCE", "2%"));

    assertThat(s.get("tollgate.budget")).isEqualTo("4");
    assertThat(s.get("tollgate.balance-refresh")).isEqualTo("3s");
    assertThat(s.get("tollgate.low-balance")).isEqualTo("2%");
    assertThat(s.get("tollgate.credits-per-usd")).isEqualTo("1");
  }

  @Test
  void get_valuesAreTrimmed() {
    ConfigSource s = ConfigSource.of(Map.of("tollgate.enforce", "  warn \t"), Map.of(), Map.of());

    assertThat(s.get("tollgate.enforce")).isEqualTo("warn");
  }

  @Test
  void of_configFileNamedInAgentArgs_isRead() throws IOException {
    Path file = properties("# comment\nwallet = local\ntollgate.block-mode=exception\n");

    ConfigSource s = ConfigSource.of(Map.of(), ConfigSource.parseAgentArgs("config-file=" + file), Map.of());

    assertThat(s.get("tollgate.wallet")).isEqualTo("local");
    assertThat(s.get("tollgate.block-mode")).isEqualTo("exception");
  }

  @Test
  void of_unreadableConfigFile_namesKeyAndFile() {
    Path missing = dir.resolve("missing.properties");

    assertThatThrownBy(() -> ConfigSource.of(Map.of("tollgate.config-file", missing.toString()), Map.of(), Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tollgate.config-file")
        .hasMessageContaining(missing.toString())
        .hasMessageContaining("readable properties file");
  }

  @Test
  void envToKeys_mapsUnderscoresToDashes() {
    Map<String, String> keys = ConfigSource.envToKeys(Map.of(
        "TOLLGATE_BALANCE_REFRESH", "10s",
        "TOLLGATE_CREDITS_PER_USD", "100",
        "TOLLGATE_DATA_DIR", "/var/lib/tollgate",
        "PATH", "/usr/bin",
        "TOLLGATEX", "ignored"));

    assertThat(keys).containsOnly(
        Map.entry("tollgate.balance-refresh", "10s"),
        Map.entry("tollgate.credits-per-usd", "100"),
        Map.entry("tollgate.data-dir", "/var/lib/tollgate"));
  }

  @Test
  void envToKeys_metricsAlertAndAttributeVariables_reachTheirDottedKeys() {
    Map<String, String> keys = ConfigSource.envToKeys(Map.of("TOLLGATE_METRICS_PROMETHEUS_PORT", "9464", "TOLLGATE_ALERT_WEBHOOK", "https://hooks",
        "TOLLGATE_METRICS_INTERVAL", "10s", "TOLLGATE_ATTRIBUTE_USER_ID", "header:X-User", "TOLLGATE_BUDGET_ALERTS", "50%"));
    assertThat(keys).containsExactlyInAnyOrderEntriesOf(Map.of("tollgate.metrics.prometheus.port", "9464", "tollgate.alert.webhook", "https://hooks",
        "tollgate.metrics.interval", "10s", "tollgate.attribute.user_id", "header:X-User", "tollgate.budget-alerts", "50%"));
  }

  @Test
  void envToKeys_endpointVariables_keepTheLastPartAsAttribute() {
    Map<String, String> keys = ConfigSource.envToKeys(Map.of(
        "TOLLGATE_ENDPOINT_MY_LLM_URL", "http://127.0.0.1:8080/v1",
        "TOLLGATE_ENDPOINT_MY_LLM_FORMAT", "anthropic",
        "TOLLGATE_ENDPOINT_VLLM_URL", "http://gpu-box:8000/v1"));

    assertThat(keys).containsOnly(
        Map.entry("tollgate.endpoint.my-llm.url", "http://127.0.0.1:8080/v1"),
        Map.entry("tollgate.endpoint.my-llm.format", "anthropic"),
        Map.entry("tollgate.endpoint.vllm.url", "http://gpu-box:8000/v1"));
  }

  @Test
  void envToKeys_endpointWithoutName_isIgnored() {
    assertThat(ConfigSource.envToKeys(Map.of("TOLLGATE_ENDPOINT_URL", "http://x"))).isEmpty();
  }

  @Test
  void withPrefix_collectsFromEverySourceHighestWinning() {
    ConfigSource s = ConfigSource.of(
        Map.of("tollgate.endpoint.a.url", "http://from-property"),
        Map.of("tollgate.endpoint.b.url", "http://from-arg"),
        Map.of("TOLLGATE_ENDPOINT_A_URL", "http://from-env", "TOLLGATE_ENDPOINT_C_URL", "http://c"));

    assertThat(s.withPrefix("tollgate.endpoint.")).containsOnly(
        Map.entry("tollgate.endpoint.a.url", "http://from-property"),
        Map.entry("tollgate.endpoint.b.url", "http://from-arg"),
        Map.entry("tollgate.endpoint.c.url", "http://c"));
  }

  @Test
  void parseAgentArgs_pairs_areKeyedWithPrefix() {
    assertThat(ConfigSource.parseAgentArgs("budget=5, enforce = warn ,tollgate.data-dir=/tmp/t"))
        .containsOnly(
            Map.entry("tollgate.budget", "5"),
            Map.entry("tollgate.enforce", "warn"),
            Map.entry("tollgate.data-dir", "/tmp/t"));
  }

  @Test
  void parseAgentArgs_valueWithEqualsSign_keepsIt() {
    assertThat(ConfigSource.parseAgentArgs("endpoint.x.url=http://h/v1?a=b")).containsEntry("tollgate.endpoint.x.url", "http://h/v1?a=b");
  }

  @Test
  void parseAgentArgs_nullOrBlank_isEmpty() {
    assertThat(ConfigSource.parseAgentArgs(null)).isEmpty();
    assertThat(ConfigSource.parseAgentArgs("  ")).isEmpty();
  }

  @Test
  void parseAgentArgs_pairWithoutKey_namesThePairAndTheFormat() {
    assertThatThrownBy(() -> ConfigSource.parseAgentArgs("budget=5,=3"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'=3'")
        .hasMessageContaining("key=value");
    assertThatThrownBy(() -> ConfigSource.parseAgentArgs("budget"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("'budget'");
  }

  private Path properties(String text) throws IOException {
    Path file = dir.resolve("tollgate.properties");
    Files.writeString(file, text);
    return file;
  }

  @Test
  void environment_reachesEveryNonEndpointKey_includingJournalSyncInterval() {
    TollgateConfig config = TollgateConfig.load(ConfigSource.of(Map.of(), Map.of(), Map.of("TOLLGATE_JOURNAL_SYNC_INTERVAL", "250ms")));

    assertThat(config.journalSyncInterval).isEqualTo(java.time.Duration.ofMillis(250));
  }

  @Test
  void environment_mapsInstrumentationSwitches_likeEndpoints() {
    TollgateConfig config = TollgateConfig.load(ConfigSource.of(Map.of(), Map.of(),
        Map.of("TOLLGATE_INSTRUMENTATION_JDK_HTTP_CLIENT_ENABLED", "false")));

    assertThat(config.disabledInstrumentations).containsExactly("jdk-http-client");
  }

  @Test
  void instrumentationSwitch_unknownNameOrValue_namesKeyAndAllowed() {
    assertThatThrownBy(() -> TollgateConfig.load(ConfigSource.of(Map.of("tollgate.instrumentation.netty.enabled", "false"), Map.of(), Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tollgate.instrumentation.netty.enabled=false")
        .hasMessageContaining("okhttp, jdk-http-client, apache-httpclient5, http-url-connection");
    assertThatThrownBy(() -> TollgateConfig.load(ConfigSource.of(Map.of("tollgate.instrumentation.okhttp.enabled", "no"), Map.of(), Map.of())))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tollgate.instrumentation.okhttp.enabled=no")
        .hasMessageContaining("true or false");
  }
}
