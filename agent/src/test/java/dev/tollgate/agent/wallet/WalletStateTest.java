package dev.tollgate.agent.wallet;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class WalletStateTest {
  @TempDir
  Path dir;

  @ParameterizedTest
  @ValueSource(strings = {"25", "0.50", "0", "1E+3", "12345678.123456789", "9223372036.854775807"})
  void write_thenRead_roundTripsBudgetExactly(String budget) throws IOException {
    new WalletState(new BigDecimal(budget), "10%").write(dir);

    WalletState read = WalletState.read(dir);

    assertThat(read.budget).isEqualByComparingTo(budget);
    assertThat(read.lowBalance).isEqualTo("10%");
  }

  @Test
  void write_thenRead_noBudgetAndCreditThreshold() throws IOException {
    new WalletState(null, "2.5").write(dir);

    WalletState read = WalletState.read(dir);

    assertThat(read.budget).isNull();
    assertThat(read.lowBalance).isEqualTo("2.5");
  }

  @Test
  void write_twice_replacesAndLeavesNoTemporaryFile() throws IOException {
    new WalletState(BigDecimal.ONE, "10%").write(dir);
    new WalletState(BigDecimal.TEN, "5%").write(dir);

    assertThat(WalletState.read(dir).budget).isEqualByComparingTo("10");
    try (Stream<Path> files = Files.list(dir)) {
      assertThat(files).containsExactly(WalletState.file(dir));
    }
  }

  @Test
  void write_fileIsOwnerOnly() throws IOException {
    new WalletState(BigDecimal.ONE, "10%").write(dir);

    if (Files.getFileStore(dir).supportsFileAttributeView("posix")) {
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(WalletState.file(dir)))).isEqualTo("rw-------");
    }
  }

  @Test
  void write_budgetIsPlainDecimal() throws IOException {
    new WalletState(new BigDecimal("1E+3"), "10%").write(dir);

    assertThat(Files.readString(WalletState.file(dir))).contains("1000").doesNotContain("E+");
  }

  @Test
  void read_noStateFile_givesNull() throws IOException {
    assertThat(WalletState.read(dir)).isNull();
  }
}
