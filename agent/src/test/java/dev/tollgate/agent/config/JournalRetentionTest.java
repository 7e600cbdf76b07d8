package dev.tollgate.agent.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class JournalRetentionTest {

  @Test
  void retentionDays_unsetOrForever_keepsEverything() {
    assertThat(TollgateConfig.retentionDays(null)).isZero();
    assertThat(TollgateConfig.retentionDays("")).isZero();
    assertThat(TollgateConfig.retentionDays("forever")).isZero();
  }

  @Test
  void retentionDays_inDays_isThatMany() {
    assertThat(TollgateConfig.retentionDays("90d")).isEqualTo(90);
    assertThat(TollgateConfig.retentionDays(" 35d ")).isEqualTo(35);
  }

  @Test
  void retentionDays_shorterThanAMonthOrNotDays_namesKeyValueAndWhatIsAllowed() {
    for (String bad : new String[] {"7d", "34d", "90", "3m", "-1d", "abc"}) {
      assertThatThrownBy(() -> TollgateConfig.retentionDays(bad)).as(bad).isInstanceOf(ConfigException.class)
          .hasMessageContaining("tollgate.journal-retention").hasMessageContaining(bad.trim()).hasMessageContaining("35d");
    }
  }
}
