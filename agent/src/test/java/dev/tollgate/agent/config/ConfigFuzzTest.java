package dev.tollgate.agent.config;

import static dev.tollgate.agent.fuzz.Fuzz.neverThrows;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.agent.fuzz.Fuzz;
import dev.tollgate.agent.fuzz.Mutation;
import dev.tollgate.agent.pricing.Money;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code tollgate.config-file} and an agent argument string damaged every way ({@link Mutation}):
 * the agent gets a configuration it can run with, or one {@link ConfigException} that becomes the
 * one line saying why it is not metering; never another exception out of premain, never the key.
 */
class ConfigFuzzTest {
  private static final String KEY = "sk-or-v1-0123456789abcdef0123456789abcdef";
  private static final String FILE = "# Tollgate\n"
      + "tollgate.enabled=true\n"
      + "tollgate.data-dir=/tmp/tollgate-fuzz\n"
      + "tollgate.wallet=openrouter\n"
      + "tollgate.openrouter.url=https://openrouter.ai/api/v1\n"
      + "tollgate.openrouter.key=" + KEY + "\n"
      + "tollgate.enforce=block\n"
      + "tollgate.block-mode=exception\n"
      + "tollgate.on-source-failure=last-known\n"
      + "tollgate.balance-refresh=30s\n"
      + "tollgate.balance-max-staleness=5m\n"
      + "tollgate.reconcile-interval=5m\n"
      + "tollgate.source-retries=2\n"
      + "tollgate.low-balance=2.5\n"
      + "tollgate.drift-threshold=5%\n"
      + "tollgate.credits-per-usd=100\n"
      + "tollgate.pricing-file=/etc/tollgate/prices.json\n"
      + "tollgate.fallback-price=10/30\n"
      + "tollgate.endpoint.internal.url=http://127.0.0.1:8080/v1\n"
      + "tollgate.endpoint.internal.format=openai\n"
      + "tollgate.instrumentation.okhttp.enabled=true\n"
      + "tollgate.log-level=info\n";
  private static final String ARGS = "budget=25.50,data-dir=/tmp/tollgate-fuzz,low-balance=10%,enforce=warn,log-level=debug,"
      + "endpoint.local.url=http://localhost:11434/v1,endpoint.local.format=openai";

  @TempDir
  Path dir;

  @Test
  void load_seedFileAndArguments_areValid() throws Exception {
    assertThat(load(FILE.getBytes(StandardCharsets.UTF_8), "").source.key).isEqualTo(KEY);
    assertThat(TollgateConfig.load(ConfigSource.of(Map.of(), ConfigSource.parseAgentArgs(ARGS), Map.of())).budget)
        .isEqualByComparingTo("25.50");
  }

  @Test
  void load_damagedConfigFile_givesAUsableConfigOrOneConfigException() {
    byte[] file = FILE.getBytes(StandardCharsets.UTF_8);
    Fuzz.qt(300).forAll(Fuzz.mutations(3)).checkAssert(mutations -> neverThrows(mutations, () -> {
      byte[] damaged = Mutation.applyAll(file, mutations);
      boolean keyIntact = new String(damaged, StandardCharsets.ISO_8859_1).contains("\ntollgate.openrouter.key=" + KEY + "\n");
      try {
        assertUsable(load(damaged, ""));
      } catch (ConfigException e) {
        if (keyIntact) {
          assertThat(e.getMessage()).as("%s", mutations).doesNotContain(KEY);
        }
      }
    }));
  }

  @Test
  void load_damagedAgentArguments_giveAUsableConfigOrOneConfigException() {
    byte[] args = ARGS.getBytes(StandardCharsets.UTF_8);
    Fuzz.qt(500).forAll(Fuzz.mutations(3)).checkAssert(mutations -> neverThrows(mutations, () -> {
      String damaged = new String(Mutation.applyAll(args, mutations), StandardCharsets.UTF_8);
      try {
        assertUsable(TollgateConfig.load(ConfigSource.of(Map.of(), ConfigSource.parseAgentArgs(damaged), Map.of())));
      } catch (ConfigException expected) {
        // the one line the agent prints
      }
    }));
  }

  // Regressions: the smallest inputs the properties above found.

  @Test
  void load_budgetBeyondTheWalletsRange_namesTheKey() {
    // Used to load, then fail start-up with an ArithmeticException that named no key.
    assertThatThrownBy(() -> TollgateConfig.load(ConfigSource.of(Map.of("tollgate.budget", "99999999999999999999999"), Map.of(), Map.of())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tollgate.budget=99999999999999999999999");
  }

  @Test
  void load_lowBalanceInCreditsBeyondTheRange_namesTheKey() {
    assertThatThrownBy(() -> TollgateConfig.load(ConfigSource.of(Map.of("tollgate.low-balance", "1e999999999"), Map.of(), Map.of())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tollgate.low-balance=1e999999999");
  }

  @Test
  void load_dataDirWithANulCharacter_isAConfigExceptionNotACrash() {
    // Path.of threw InvalidPathException past the configuration check: a start-up failure naming no key.
    assertThatThrownBy(() -> TollgateConfig.load(ConfigSource.of(Map.of("tollgate.data-dir", "/tmp/a\0b"), Map.of(), Map.of())))
        .isInstanceOf(ConfigException.class).hasMessageContaining("tollgate.data-dir=/tmp/a?b");
  }

  private TollgateConfig load(byte[] file, String args) throws Exception {
    Path f = dir.resolve("tollgate.properties");
    Files.write(f, file);
    return TollgateConfig.load(ConfigSource.of(Map.of("tollgate.config-file", f.toString()), ConfigSource.parseAgentArgs(args), Map.of()));
  }

  /** What start-up does with the values: credits and thresholds convert to nano-credits. */
  private static void assertUsable(TollgateConfig c) {
    if (c.budget != null) {
      Money.toNanos(c.budget);
    }
    if (!c.lowBalanceIsPercent) {
      Money.toNanos(c.lowBalance);
    }
    if (!c.driftThresholdIsPercent) {
      Money.toNanos(c.driftThreshold);
    }
    assertThat(c.dataDir).isNotNull();
  }
}
