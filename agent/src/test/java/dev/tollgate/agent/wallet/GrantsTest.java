package dev.tollgate.agent.wallet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GrantsTest {
  private static final Instant NOW = Instant.parse("2026-11-23T12:00:00Z");
  @TempDir
  Path dir;

  @Test
  void append_thenRead_keepsEveryFieldExactly_inAPrivateFile() throws Exception {
    Grant a = Grants.append(dir, new BigDecimal("12.5"), "promo", Instant.parse("2026-12-31T00:00:00Z"), NOW);
    Grant b = Grants.append(dir, new BigDecimal("0.000000001"), "paid", null, NOW);

    List<Grant> read = Grants.read(dir);
    assertThat(read).extracting(g -> g.id).containsExactly(a.id, b.id);
    assertThat(read.get(0).amountNanos).isEqualTo(12_500_000_000L);
    assertThat(read.get(0).expiresAt).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
    assertThat(read.get(1).amountNanos).isEqualTo(1);
    assertThat(read.get(1).expiresAt).isNull();
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(Grants.file(dir)))).isEqualTo("rw-------");
  }

  @Test
  void tornLine_isSkipped() throws Exception {
    Grants.append(dir, BigDecimal.TEN, "paid", null, NOW);
    Files.write(Grants.file(dir), "{\"id\":\"torn\",\"sou".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);

    assertThat(Grants.read(dir)).hasSize(1);
  }

  @Test
  void invalidGrants_areRefusedWithTheValueNamed() {
    assertThatThrownBy(() -> Grants.append(dir, BigDecimal.ZERO, "paid", null, NOW)).hasMessage("credits must be more than 0, was 0");
    assertThatThrownBy(() -> Grants.append(dir, BigDecimal.ONE, "Paid!", null, NOW)).hasMessageContaining("was 'Paid!'");
    // Regression: any lowercase word was taken, though the usage lists these five.
    assertThatThrownBy(() -> Grants.append(dir, BigDecimal.ONE, "gift", null, NOW))
        .hasMessage("source type must be one of paid, promo, free, referral, redeem, was 'gift'");
    assertThatThrownBy(() -> Grants.append(dir, BigDecimal.ONE, "budget", null, NOW)).hasMessageContaining("was 'budget'");
    assertThatThrownBy(() -> Grants.append(dir, BigDecimal.ONE, "paid", NOW, NOW)).hasMessage("expiry must be in the future, was " + NOW);
    assertThat(Files.exists(Grants.file(dir))).isFalse();
  }

  @Test
  void parseInstant_takesDatesAndInstants() {
    assertThat(Grants.parseInstant("2026-12-31")).isEqualTo(Instant.parse("2026-12-31T00:00:00Z"));
    assertThat(Grants.parseInstant("2026-12-31T10:15:30Z")).isEqualTo(Instant.parse("2026-12-31T10:15:30Z"));
    assertThatThrownBy(() -> Grants.parseInstant("tomorrow")).hasMessageContaining("tomorrow");
  }
}
