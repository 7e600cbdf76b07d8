package dev.tollgate.agent.source;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.agent.pricing.Money;
import dev.tollgate.agent.wallet.BalanceSnapshot;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Reading a credit API's JSON exactly: numbers as decimals, a missing or wrong field as one clear error. */
final class JsonFields {
  private JsonFields() {}

  /** The number at {@code pointer} (a JSON pointer such as {@code /data/total_credits}). */
  static BigDecimal decimal(JsonNode root, String pointer, String where) throws SourceException {
    JsonNode n = root.at(pointer);
    if (!n.isNumber()) {
      throw new SourceException(where + " answered HTTP 200 without a number at " + pointer, false, -1);
    }
    return n.decimalValue();
  }

  /** Like {@link #decimal} but null when the field is absent or null. */
  static @Nullable BigDecimal optionalDecimal(JsonNode root, String pointer, String where) throws SourceException {
    JsonNode n = root.at(pointer);
    return n.isMissingNode() || n.isNull() ? null : decimal(root, pointer, where);
  }

  /** Credits (or USD times {@code factor}) as nano-credits. */
  static long nanos(BigDecimal amount, BigDecimal factor, String where) throws SourceException {
    try {
      return Money.toNanos(amount.multiply(factor));
    } catch (ArithmeticException e) {
      throw new SourceException(where + " answered HTTP 200 with an amount out of range", false, -1);
    }
  }

  /**
   * The seeds' buckets: an array of {@code {source_type, balance, expires_at}} objects at {@code
   * pointer}, {@code expires_at} ISO-8601 or null (never expires). Kept in the order given.
   */
  static List<BalanceSnapshot.Bucket> buckets(JsonNode root, String pointer, BigDecimal factor, String where) throws SourceException {
    JsonNode array = root.at(pointer);
    if (!array.isArray()) {
      throw new SourceException(where + " answered HTTP 200 without a bucket array at " + pointer, false, -1);
    }
    List<BalanceSnapshot.Bucket> result = new ArrayList<>();
    for (JsonNode b : array) {
      JsonNode type = b.get("source_type");
      String name = type == null || !type.isTextual() ? "unknown" : type.asText();
      result
          .add(new BalanceSnapshot.Bucket(name, nanos(decimal(b, "/balance", where), factor, where), instant(b.get("expires_at"), where)));
    }
    return result;
  }

  static @Nullable Instant instant(@Nullable JsonNode n, String where) throws SourceException {
    if (n == null || n.isNull()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(n.asText()).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(n.asText());
      } catch (DateTimeParseException again) {
        throw new SourceException(where + " answered HTTP 200 with an expires_at that is not an ISO-8601 time", false, -1);
      }
    }
  }
}
