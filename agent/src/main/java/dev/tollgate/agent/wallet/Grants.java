package dev.tollgate.agent.wallet;

import com.fasterxml.jackson.core.StreamWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.agent.journal.FileProblems;
import dev.tollgate.agent.journal.PrivateFiles;
import dev.tollgate.agent.pricing.Money;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * {@code <data-dir>/grants.jsonl}: credits added to the local wallet with {@code tollgate grant},
 * one JSON object per line, appended in one write each, file readable by the owner only. A line
 * that does not parse (a torn last write) is skipped.
 */
public final class Grants {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN)
      .build();
  /** What {@code tollgate grant --source-type} takes (Synap's bucket types); {@code budget} is the agent's own bucket. */
  public static final List<String> SOURCE_TYPES = List.of("paid", "promo", "free", "referral", "redeem");

  private Grants() {}

  public static Path file(Path dataDir) {
    return dataDir.resolve("grants.jsonl");
  }

  /** Every grant in the data dir, in the order they were made. */
  public static List<Grant> read(Path dataDir) throws IOException {
    Path f = file(dataDir);
    List<Grant> grants = new ArrayList<>();
    if (!FileProblems.exists(f)) {
      return grants;
    }
    for (String line : Files.readAllLines(f, StandardCharsets.UTF_8)) {
      if (line.isBlank()) {
        continue;
      }
      try {
        JsonNode n = MAPPER.readTree(line);
        grants.add(new Grant(n.get("id").asText(), n.get("source_type").asText(), Money.toNanos(n.get("credits").decimalValue()),
            Instant.parse(n.get("granted_at").asText()),
            n.hasNonNull("expires_at") ? Instant.parse(n.get("expires_at").asText()) : null));
      } catch (IOException | RuntimeException e) {
        // a torn or hand-edited line: skip it, as the journal does
      }
    }
    return grants;
  }

  /**
   * Validates and appends a grant.
   *
   * @throws IllegalArgumentException naming the bad value: credits not positive, a source type not
   *     in {@link #SOURCE_TYPES}, or an expiry that is not after {@code now}
   */
  public static Grant append(Path dataDir, BigDecimal credits, String sourceType, @Nullable Instant expiresAt, Instant now)
      throws IOException {
    if (credits.signum() <= 0) {
      throw new IllegalArgumentException("credits must be more than 0, was " + credits.toPlainString());
    }
    if (!SOURCE_TYPES.contains(sourceType)) {
      throw new IllegalArgumentException("source type must be one of " + String.join(", ", SOURCE_TYPES) + ", was '" + sourceType + "'");
    }
    if (expiresAt != null && !expiresAt.isAfter(now)) {
      throw new IllegalArgumentException("expiry must be in the future, was " + expiresAt);
    }
    Grant g = new Grant("grant-" + UUID.randomUUID().toString().substring(0, 8), sourceType, Money.toNanos(credits), now, expiresAt);
    ObjectNode n = MAPPER.createObjectNode();
    n.put("id", g.id);
    n.put("source_type", g.sourceType);
    n.put("credits", Money.fromNanos(g.amountNanos));
    n.put("granted_at", g.grantedAt.toString());
    if (expiresAt == null) {
      n.putNull("expires_at");
    } else {
      n.put("expires_at", expiresAt.toString());
    }
    PrivateFiles.privateDirectory(dataDir);
    Path f = file(dataDir);
    try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(f,
        Set.of(StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE), PrivateFiles.ownerOnly()))) {
      out.write((MAPPER.writeValueAsString(n) + "\n").getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
    return g;
  }

  /** Parses an expiry given as an instant ({@code 2026-12-31T00:00:00Z}) or a date ({@code 2026-12-31}, midnight UTC). */
  public static Instant parseInstant(String text) {
    try {
      return text.length() == 10 ? Instant.parse(text + "T00:00:00Z") : Instant.parse(text);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("not a date or instant (use 2026-12-31 or 2026-12-31T00:00:00Z): " + text);
    }
  }
}
