package dev.tollgate.agent.pricing;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The effective catalog against a LiteLLM-format price file: for every entry of the file that
 * Tollgate can meter (a provider with endpoints, a per-token operation) and the catalog prices, each
 * field whose price differs; a field the file's entry does not state (no cache price) is not compared.
 * The catalog side is what the agent would charge for that name on that
 * provider (its own entry, a snapshot's model, or the model-only default).
 */
public final class CatalogDiff {
  /** One field of one entry on which the catalog and the file disagree. */
  public static final class Row {
    /** {@code provider/model}, as the file names the model at that provider. */
    public final String entry;
    /** The catalog entry the name resolves to. */
    public final String pricedAs;
    public final String field;
    public final String ours;
    public final String theirs;
    /** The catalog entry's notes (which explain the disagreement), or null when it has none. */
    public final @Nullable String notes;

    Row(String entry, String pricedAs, String field, String ours, String theirs, @Nullable String notes) {
      this.entry = entry;
      this.pricedAs = pricedAs;
      this.field = field;
      this.ours = ours;
      this.theirs = theirs;
      this.notes = notes;
    }
  }

  /** Every disagreement, by entry and field. */
  public final List<Row> rows;
  /** Entries of the file that the catalog prices, and so were compared. */
  public final int compared;
  /** Entries of the file (providers Tollgate meters) that the catalog does not price. */
  public final List<String> unpriced;

  private CatalogDiff(List<Row> rows, int compared, List<String> unpriced) {
    this.rows = Collections.unmodifiableList(rows);
    this.compared = compared;
    this.unpriced = Collections.unmodifiableList(unpriced);
  }

  /** Disagreements that the catalog entry's notes do not explain. */
  public long unexplained() {
    return rows.stream().filter(r -> r.notes == null).count();
  }

  /**
   * Compares {@code catalog} with the LiteLLM-format file at {@code file}.
   *
   * @throws PricingException when the file is unreadable, not LiteLLM's shape, or has a bad price
   */
  public static CatalogDiff of(PriceCatalog catalog, Path file) {
    String where = file.toString();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException | RuntimeException e) {
      throw new PricingException(where + ": cannot read the file (" + e + ")");
    }
    CatalogReader reader = CatalogReader.parse(where, bytes);
    if (!reader.isLiteLlm()) {
      throw new PricingException(
          where + ": not LiteLLM's model_prices_and_context_window.json (entries keyed by model, each with litellm_provider)");
    }
    Map<String, PriceTable> theirs = new LinkedHashMap<>();
    LiteLlmReader lite = reader.liteLlm();
    lite.mergeInto(new PriceTable(), theirs);
    List<Row> rows = new ArrayList<>();
    List<String> unpriced = new ArrayList<>();
    int compared = 0;
    for (Map.Entry<String, PriceTable> t : theirs.entrySet()) {
      for (ModelPrice their : t.getValue().models.values()) {
        String entry = t.getKey() + "/" + their.model;
        ModelPrice ours = catalog.find(t.getKey(), their.model);
        if (ours == null) {
          unpriced.add(entry);
          continue;
        }
        compared++;
        compare(entry, ours, their, lite.unstated(their), rows);
      }
    }
    return new CatalogDiff(rows, compared, unpriced);
  }

  /** Each field both state and on which they differ; a field in {@code unstated} (absent from their entry) is not compared. */
  private static void compare(String entry, ModelPrice ours, ModelPrice their, Set<String> unstated, List<Row> rows) {
    String as = ours.model;
    Field f = (name, o, t) -> {
      if (!unstated.contains(name) && o.compareTo(t) != 0) {
        rows.add(new Row(entry, as, name, plain(o), plain(t), ours.notes));
      }
    };
    f.compare("input", ours.input, their.input);
    f.compare("output", ours.output, their.output);
    f.compare("cached_input", ours.cachedInput, their.cachedInput);
    f.compare("cache_write", ours.cacheWrite, their.cacheWrite);
    f.compare("cache_write_1h", ours.cacheWrite1h, their.cacheWrite1h);
    if (ours.longContext == null && their.longContext == null) {
      return;
    }
    if (ours.longContext == null || their.longContext == null || ours.longContextThreshold != their.longContextThreshold) {
      rows.add(new Row(entry, as, "long_context.threshold_tokens", threshold(ours), threshold(their), ours.notes));
      return;
    }
    f.compare("long_context.input", ours.longContext.input, their.longContext.input);
    f.compare("long_context.output", ours.longContext.output, their.longContext.output);
    f.compare("long_context.cached_input", ours.longContext.cachedInput, their.longContext.cachedInput);
  }

  /** One field's comparison. */
  @FunctionalInterface
  private interface Field {
    void compare(String name, BigDecimal ours, BigDecimal theirs);
  }

  private static String threshold(ModelPrice p) {
    return p.longContext == null ? "none" : String.valueOf(p.longContextThreshold);
  }

  /** A price as the CLI shows it: plain decimal, no trailing zeros. */
  public static String plain(BigDecimal usd) {
    BigDecimal d = usd.stripTrailingZeros();
    return (d.scale() < 0 ? d.setScale(0) : d).toPlainString();
  }
}
