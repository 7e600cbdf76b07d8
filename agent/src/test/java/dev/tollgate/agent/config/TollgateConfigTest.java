package dev.tollgate.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TollgateConfigTest {

  private static TollgateConfig load(String... keyValues) {
    Map<String, String> props = new HashMap<>();
    for (int i = 0; i < keyValues.length; i += 2) {
      props.put(keyValues[i], keyValues[i + 1]);
    }
    return TollgateConfig.load(ConfigSource.of(props, Map.of(), Map.of()));
  }

  @Test
  void load_nothingSet_givesContractDefaults() {
    TollgateConfig c = load();

    assertThat(c.enabled).isTrue();
    assertThat(c.dataDir).isEqualTo(Path.of(System.getProperty("user.home"), ".tollgate").toAbsolutePath());
    assertThat(c.wallet).isEqualTo("local");
    assertThat(c.budget).isNull();
    assertThat(c.enforce).isEqualTo(TollgateConfig.Enforce.BLOCK);
    assertThat(c.blockMode).isEqualTo(TollgateConfig.BlockMode.RESPONSE);
    assertThat(c.onSourceFailure).isEqualTo(TollgateConfig.OnSourceFailure.LAST_KNOWN);
    assertThat(c.balanceRefresh).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.reconcileInterval).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.journalSyncInterval).isEqualTo(Duration.ofMillis(100));
    assertThat(c.lowBalance).isEqualByComparingTo("10");
    assertThat(c.lowBalanceIsPercent).isTrue();
    assertThat(c.creditsPerUsd).isEqualByComparingTo("1");
    assertThat(c.pricingFile).isNull();
    assertThat(c.fallbackPrice).isNull();
    assertThat(c.endpoints).isEmpty();
    assertThat(c.logLevel).isEqualTo("info");
  }

  @Test
  void load_everyKeySet_isParsed() {
    TollgateConfig c = load(
        "tollgate.enabled", "FALSE",
        "tollgate.data-dir", "/srv/tollgate",
        "tollgate.budget", "25.50",
        "tollgate.enforce", "Warn",
        "tollgate.block-mode", "exception",
        "tollgate.on-source-failure", "closed",
        "tollgate.balance-refresh", "250ms",
        "tollgate.reconcile-interval", "1h",
        "tollgate.journal-sync-interval", "2s",
        "tollgate.low-balance", "2.5",
        "tollgate.credits-per-usd", "1000",
        "tollgate.pricing-file", "/etc/tollgate/prices.json",
        "tollgate.fallback-price", " 2.5/10 ",
        "tollgate.log-level", "debug");

    assertThat(c.enabled).isFalse();
    assertThat(c.dataDir).isEqualTo(Path.of("/srv/tollgate"));
    assertThat(c.budget).isEqualByComparingTo("25.5");
    assertThat(c.enforce).isEqualTo(TollgateConfig.Enforce.WARN);
    assertThat(c.blockMode).isEqualTo(TollgateConfig.BlockMode.EXCEPTION);
    assertThat(c.onSourceFailure).isEqualTo(TollgateConfig.OnSourceFailure.CLOSED);
    assertThat(c.balanceRefresh).isEqualTo(Duration.ofMillis(250));
    assertThat(c.reconcileInterval).isEqualTo(Duration.ofHours(1));
    assertThat(c.journalSyncInterval).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.lowBalance).isEqualByComparingTo("2.5");
    assertThat(c.lowBalanceIsPercent).isFalse();
    assertThat(c.creditsPerUsd).isEqualByComparingTo("1000");
    assertThat(c.pricingFile).isEqualTo(Path.of("/etc/tollgate/prices.json"));
    assertThat(c.fallbackPrice).isEqualTo("2.5/10");
    assertThat(c.logLevel).isEqualTo("debug");
  }

  @ParameterizedTest
  @CsvSource({"250ms, PT0.25S", "30s, PT30S", "5m, PT5M", "1h, PT1H", "86400s, PT24H"})
  void parseDuration_eachUnit(String text, String expected) {
    assertThat(TollgateConfig.parseDuration("tollgate.balance-refresh", text)).isEqualTo(Duration.parse(expected));
  }

  @ParameterizedTest
  @CsvSource({"10%, 10, true", "0%, 0, true", "100%, 100, true", "12.5%, 12.5, true", "2.5, 2.5, false", "0, 0, false",
      "1000, 1000, false"})
  void load_lowBalance_percentOrCredits(String value, String number, boolean percent) {
    TollgateConfig c = load("tollgate.low-balance", value);

    assertThat(c.lowBalance).isEqualByComparingTo(number);
    assertThat(c.lowBalanceIsPercent).isEqualTo(percent);
  }

  @ParameterizedTest
  @CsvSource({"'', 5, true", "1%, 1, true", "0.25, 0.25, false"})
  void load_driftThreshold_percentOfRemoteSpendOrCredits(String value, String number, boolean percent) {
    TollgateConfig c = load("tollgate.drift-threshold", value);

    assertThat(c.driftThreshold).isEqualByComparingTo(number);
    assertThat(c.driftThresholdIsPercent).isEqualTo(percent);
  }

  @Test
  void load_emptyValue_meansDefault() {
    TollgateConfig c = load("tollgate.budget", "", "tollgate.enforce", "", "tollgate.pricing-file", "");

    assertThat(c.budget).isNull();
    assertThat(c.enforce).isEqualTo(TollgateConfig.Enforce.BLOCK);
    assertThat(c.pricingFile).isNull();
  }

  @Test
  void load_endpointFromEnvironment_isConfiguredWithFormat() {
    TollgateConfig c = TollgateConfig.load(ConfigSource.of(Map.of(), Map.of(), Map.of(
        "TOLLGATE_ENDPOINT_MY_LLM_URL", "http://127.0.0.1:8080/v1",
        "TOLLGATE_ENDPOINT_MY_LLM_FORMAT", "Anthropic")));

    TollgateConfig.EndpointSetting e = c.endpoints.get("my-llm");
    assertThat(e.name).isEqualTo("my-llm");
    assertThat(e.url).isEqualTo("http://127.0.0.1:8080/v1");
    assertThat(e.format).isEqualTo("anthropic");
  }

  @Test
  void load_endpointWithoutFormat_isOpenAi() {
    TollgateConfig c = load("tollgate.endpoint.vllm.url", "https://gpu.internal:8000/v1");

    assertThat(c.endpoints.get("vllm").format).isEqualTo("openai");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "tollgate.enabled             | yes        | true or false",
      "tollgate.wallet              | Memcached  | one of local",
      "tollgate.budget              | -1         | 0 or more",
      "tollgate.budget              | ten        | 0 or more",
      "tollgate.budget              | NaN        | 0 or more",
      "tollgate.enforce             | Sometimes  | one of block, warn, off",
      "tollgate.block-mode          | THROW      | one of response, exception",
      "tollgate.tokenizer           | tiktoken   | one of auto, heuristic",
      "tollgate.on-source-failure   | fail-fast  | one of last-known, open, closed",
      "tollgate.balance-refresh     | 30         | a positive duration such as 250ms, 30s, 5m or 1h",
      "tollgate.balance-refresh     | 0s         | a positive duration",
      "tollgate.balance-refresh     | -5s        | a positive duration",
      "tollgate.balance-refresh     | 1.5s       | a positive duration",
      "tollgate.balance-refresh     | 30 sec     | a positive duration",
      "tollgate.balance-refresh     | 99999999999999999999s | a positive duration",
      "tollgate.reconcile-interval  | 9999999999999999h | a positive duration",
      "tollgate.journal-sync-interval | soon     | a positive duration",
      "tollgate.low-balance         | 150%       | 0% to 100%",
      "tollgate.low-balance         | -1         | a number of credits",
      "tollgate.low-balance         | lots%      | 0% to 100%",
      "tollgate.drift-threshold     | 101%       | a percentage of the window's remote spend",
      "tollgate.drift-threshold     | some       | a number of credits",
      "tollgate.credits-per-usd     | 0          | greater than 0",
      "tollgate.credits-per-usd     | -1         | greater than 0",
      "tollgate.credits-per-usd     | many       | greater than 0",
      "tollgate.log-level           | Verbose    | one of debug, info, warn, error, off"})
  void load_invalidValue_namesKeyValueAndAllowed(String key, String value, String allowed) {
    assertThatThrownBy(() -> load(key, value))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(key + "=" + value)
        .hasMessageContaining(allowed);
  }

  @Test
  void invalidValue_describedWithWhereItWasSet_andTheBudgetsPeriodForm() {
    ConfigSource fromEnv = ConfigSource.of(Map.of(), Map.of(), Map.of("TOLLGATE_BUDGET", "abc"));
    ConfigException e = catchThrowableOfType(() -> TollgateConfig.load(fromEnv), ConfigException.class);

    assertThat(e.describe(fromEnv))
        .startsWith("invalid configuration tollgate.budget=abc (environment): a number of credits")
        .endsWith("or LIMIT/PERIOD for a budget per period (for example 5/day)");
    ConfigSource fromArgs = ConfigSource.of(Map.of(), Map.of("tollgate.budget", "abc"), Map.of());
    assertThat(catchThrowableOfType(() -> TollgateConfig.load(fromArgs), ConfigException.class).describe(fromArgs))
        .contains("tollgate.budget=abc (agent argument): ");
  }

  @ParameterizedTest(name = "{0}={1}")
  @CsvSource(delimiter = '|', value = {
      "tollgate.endpoint.broken.url    | ftp://x                      | tollgate.endpoint.broken.url=ftp://x",
      "tollgate.endpoint.broken.url    | http://h/v1?key=secret       | without a query",
      "tollgate.endpoint.broken.url    | http://u:pw@h/v1?key=secret  | tollgate.endpoint.broken.url=http://h/v1?…",
      "tollgate.endpoint.broken.format | gemini                       | tollgate.endpoint.broken.url=(missing)",
      "tollgate.endpoint.broken.color  | blue                         | tollgate.endpoint.<name>.url"})
  void load_invalidEndpoint_namesKeyAndWhatIsAllowed(String key, String value, String expected) {
    assertThatThrownBy(() -> load(key, value))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void load_invalidEndpointUrl_neverEchoesItsQueryOrUserInfo() {
    assertThatThrownBy(() -> load("tollgate.endpoint.gw.url", "ftp://user:sk-SECRET@gw/v1?key=sk-SECRET"))
        .isInstanceOf(ConfigException.class)
        .message().doesNotContain("sk-SECRET").doesNotContain("user");
  }

  @Test
  void load_invalidEndpointFormat_namesKeyValueAndFormats() {
    assertThatThrownBy(() -> load("tollgate.endpoint.local.url", "http://127.0.0.1:8080/v1", "tollgate.endpoint.local.format", "Bedrok"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("tollgate.endpoint.local.format=Bedrok")
        .hasMessageContaining("one of openai, anthropic, gemini, cohere, ollama, bedrock");
  }

  @Test
  void maxCredits_isWhatTheWalletCanCount() {
    assertThat(TollgateConfig.MAX_CREDITS).isEqualTo(dev.tollgate.agent.pricing.Money.format(Long.MAX_VALUE));
  }

  @Test
  void unknownKeys_misspeltKeyInAnySource_isNamedWithItsOriginAndTheKeyItMisspells() {
    ConfigSource s = ConfigSource.of(
        Map.of("tollgate.budjet", "5", "tollgate.enforce", "warn"),
        Map.of("tollgate.blockmode", "exception"),
        Map.of("TOLLGATE_DATADIR", "/tmp/x", "TOLLGATE_COMPLETELY_UNRELATED", "1", "PATH", "/bin"));
    TollgateConfig.load(s);

    assertThat(TollgateConfig.unknownKeys(s)).containsExactly(
        "unknown setting tollgate.blockmode (agent argument) is ignored; did you mean tollgate.block-mode?",
        "unknown setting tollgate.budjet (system property) is ignored; did you mean tollgate.budget?",
        "unknown setting tollgate.completely-unrelated (environment) is ignored",
        "unknown setting tollgate.datadir (environment) is ignored; did you mean tollgate.data-dir?");
  }

  @Test
  void unknownKeys_everyKeyTheConfigReads_isKnown() {
    ConfigSource s = ConfigSource.of(Map.of(
        "tollgate.budget", "5",
        "tollgate.endpoint.gw.url", "http://127.0.0.1:1/v1",
        "tollgate.endpoint.gw.format", "anthropic",
        "tollgate.instrumentation.okhttp.enabled", "false",
        "tollgate.openrouter.key", "sk-or-unused-because-the-wallet-is-local",
        "tollgate.internal.fault", "parser",
        "tollgate.log-level", "warn"), Map.of(), Map.of("TOLLGATE_SOURCE_TIMEOUT", "3s", "TOLLGATE_HTTP_BALANCE_POINTER", "/b"));
    TollgateConfig.load(s);

    assertThat(TollgateConfig.unknownKeys(s)).isEmpty();
  }
}
