package dev.tollgate.agent.wallet;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.journal.FileProblems;
import dev.tollgate.agent.journal.PrivateFiles;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jspecify.annotations.Nullable;

/**
 * {@code <data-dir>/wallet.json}: the local wallet's settings as the agent last ran with them, so
 * the CLI can show the balance of a data dir without the application's configuration.
 */
public final class WalletState {
  // The budget stays decimal both ways: plain text out, never through a double in.
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build();

  public final @Nullable BigDecimal budget;
  public final String lowBalance;

  public WalletState(@Nullable BigDecimal budget, String lowBalance) {
    this.budget = budget;
    this.lowBalance = lowBalance;
  }

  public static Path file(Path dataDir) {
    return dataDir.resolve("wallet.json");
  }

  /** Writes atomically (temporary file, then rename), readable by the owner only. */
  public void write(Path dataDir) throws IOException {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("wallet", "local");
    if (budget != null) {
      n.put("budget", budget);
    } else {
      n.putNull("budget");
    }
    n.put("low_balance", lowBalance);
    Path tmp = Files.createTempFile(dataDir, "wallet", ".tmp");
    PrivateFiles.makePrivate(tmp);
    Files.write(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n));
    Files.move(tmp, file(dataDir), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** The saved state, or null when the data dir has none. */
  public static @Nullable WalletState read(Path dataDir) throws IOException {
    Path f = file(dataDir);
    if (!FileProblems.exists(f)) {
      return null;
    }
    JsonNode n = MAPPER.readTree(f.toFile());
    BigDecimal budget = n.hasNonNull("budget") ? n.get("budget").decimalValue() : null;
    return new WalletState(budget, n.path("low_balance").asText("10%"));
  }
}
