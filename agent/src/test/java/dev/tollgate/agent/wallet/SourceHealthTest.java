package dev.tollgate.agent.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.config.TollgateConfig.OnSourceFailure;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceHealthTest {
  private final List<String> lines = new ArrayList<>();
  private final SourceHealth health = new SourceHealth("openrouter", Duration.ofMinutes(5), OnSourceFailure.CLOSED, lines::add, lines::add);
  private final BalanceSnapshot snap = new BalanceSnapshot(3_000_000_000L, 0, List.of(), Instant.now(), null);

  @Test
  void failuresAndRecoveries_oneLinePerStateChange_neverPerCall() {
    health.succeeded(snap);
    for (int i = 0; i < 5; i++) {
      health.failed(new IOException("openrouter credit API answered HTTP 500"), true);
    }
    for (int i = 0; i < 5; i++) {
      health.stale(new IOException("openrouter credit API answered HTTP 500"));
    }
    for (int i = 0; i < 5; i++) {
      health.succeeded(snap);
    }

    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains("cannot be read (openrouter credit API answered HTTP 500)").contains("older than 5m")
        .contains("tollgate.on-source-failure=closed");
    assertThat(lines.get(1)).contains("no balance younger than 5m").contains("metered calls are blocked");
    assertThat(lines.get(2)).isEqualTo("credit source openrouter is readable again: balance 3 credits");
    assertThat(health.state()).isEqualTo(SourceHealth.State.UP);
  }

  @Test
  void firstReadFails_oneStaleLine() {
    health.failed(new IOException("x"), false);
    health.stale(new IOException("x"));
    health.stale(new IOException("x"));

    assertThat(lines).hasSize(1);
    assertThat(health.state()).isEqualTo(SourceHealth.State.STALE);
  }

  /** A Redis lease given back at exit is offered as "nothing lent": no read, so no "readable again". */
  @Test
  void snapshotNotReadFromTheSource_isNoRecovery() {
    health.stale(new IOException("redis://127.0.0.1:6399/0 wallet w: JedisConnectionException: Failed to connect"));
    health.succeeded(new BalanceSnapshot(0, 0));

    assertThat(lines).hasSize(1).noneMatch(l -> l.contains("readable again"));
    assertThat(health.state()).isEqualTo(SourceHealth.State.STALE);
  }
}
