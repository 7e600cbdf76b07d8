package dev.tollgate.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OptionsTest {
  @Test
  void variants_eachConfigurationItsProperties_inOrder() {
    assertThat(Options.variants("tollgate.unmetered-traffic=off;tollgate.unmetered-traffic=block,tollgate.budget=5/day"))
        .containsExactly(Map.of("tollgate.unmetered-traffic", "off"),
            Map.of("tollgate.unmetered-traffic", "block", "tollgate.budget", "5/day"));
  }

  @Test
  void baseline_work_isMicrosecondsOfTheApplicationsOwnWork_andNeedsNoJar(@TempDir Path dir) throws Exception {
    String agent = Files.createFile(dir.resolve("agent.jar")).toString();

    Options work = Options.parse(new String[] {"overhead", "--agent", agent, "--baseline", "work:16"});
    Options jar = Options.parse(new String[] {"overhead", "--agent", agent, "--baseline", agent});

    assertThat(work.baselineWorkNanos).isEqualTo(16_000);
    assertThat(work.hasBaseline()).isTrue();
    assertThat(jar.baselineWorkNanos).isEqualTo(-1);
    assertThat(jar.hasBaseline()).isTrue();
    assertThatThrownBy(() -> Options.parse(new String[] {"overhead", "--agent", agent, "--baseline", dir.resolve("no.jar").toString()}))
        .hasMessageContaining("--baseline");
  }

  @Test
  void variants_aPropertyWithoutValue_isRefused() {
    assertThatThrownBy(() -> Options.variants("tollgate.unmetered-traffic")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key=value");
  }

  @Test
  void startupConfigs_withVariants_areNoAgentThenTollgatePerVariant() {
    Options o = new Options();
    o.variants = List.of(Map.of("tollgate.unmetered-traffic", "off"), Map.of("tollgate.unmetered-traffic", "block"));

    assertThat(Startup.configs(o)).extracting(c -> c.label).containsExactly("no agent", "Tollgate tollgate.unmetered-traffic=off",
        "Tollgate tollgate.unmetered-traffic=block");
    assertThat(Startup.configs(new Options())).extracting(c -> c.label).containsExactly("no agent", "Tollgate", "OpenTelemetry agent");
  }
}
