package dev.tollgate.agent.pricing;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.tollgate.agent.config.JsonErrors;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Collections;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads one price document (the bundled catalog or a {@code tollgate.pricing-file}) into the
 * catalog's tables, validating every field. An error names the document, the line, the field path
 * and what is allowed: {@code tollgate.pricing-file=/etc/prices.json: line 4: models.x.input: must
 * be a number of USD per million tokens, 0 or more; was "cheap"}.
 */
final class CatalogReader {
  /** The dearest price a catalog entry may give, in USD per million tokens. */
  static final BigDecimal MAX_PRICE = BigDecimal.valueOf(1_000_000);
  /** The finest price: far below what a nano-credit can show for any token count a call can have. */
  static final int MAX_PRICE_DECIMALS = 24;
  // Prices stay decimal from the text on: never through a double.
  private static final ObjectMapper MAPPER = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final Set<String> TOP_FIELDS = fields("models", "aliases", "providers", "fallback", "as_of", "currency", "unit", "sources",
      "notes");
  private static final Set<String> PROVIDER_FIELDS = fields("models", "aliases", "default");
  private static final Set<String> MODEL_FIELDS = fields("provider", "input", "output", "cached_input", "cache_write", "cache_write_1h",
      "max_output_tokens", "long_context",
      "source", "checked", "notes");
  private static final Set<String> TIER_FIELDS = fields("threshold_tokens", "input", "output", "cached_input", "cache_write",
      "cache_write_1h");
  private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

  /** Field names in the order a message lists them ({@code Set.of} iterates in an order that changes from run to run). */
  private static Set<String> fields(String... names) {
    return Collections.unmodifiableSet(new LinkedHashSet<>(Arrays.asList(names)));
  }

  private final String where;
  private final JsonLines lines;
  private final JsonNode root;

  private CatalogReader(String where, JsonLines lines, JsonNode root) {
    this.where = where;
    this.lines = lines;
    this.root = root;
  }

  /** Parses {@code json}. @throws PricingException if it is not a JSON object */
  static CatalogReader parse(String where, byte[] json) {
    try {
      JsonLines lines = JsonLines.of(json);
      JsonNode root = MAPPER.readTree(json);
      if (root == null || !root.isObject()) {
        throw new PricingException(where + ": expected a JSON object with \"models\"");
      }
      return new CatalogReader(where, lines, root);
    } catch (JsonProcessingException e) {
      throw new PricingException(where + ": not valid JSON: " + JsonErrors.describe(e));
    } catch (IOException e) {
      throw new PricingException(where + ": not readable JSON (" + e.getMessage() + ")");
    }
  }

  /** Whether the document is LiteLLM's price file rather than Tollgate's catalog format. */
  boolean isLiteLlm() {
    return LiteLlmReader.looksLikeLiteLlm(root);
  }

  /** A reader of this document as LiteLLM's price file ({@link #isLiteLlm}). */
  LiteLlmReader liteLlm() {
    return new LiteLlmReader(this, root);
  }

  /** The document's {@code as_of} date, or null when it has none. */
  @Nullable
  String asOf() {
    return root.has("as_of") ? root.get("as_of").asText() : null;
  }

  /**
   * Validates the document and adds or overrides its model-only entries, aliases and fallback in
   * {@code common}, and its provider-qualified ones in {@code providers}.
   */
  void mergeInto(PriceTable common, Map<String, PriceTable> providers, ModelPrice[] fallback) {
    if (isLiteLlm()) {
      liteLlm().mergeInto(common, providers);
      return;
    }
    checkTopLevel();
    mergeTable("", root, null, common);
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("providers").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = "providers." + e.getKey();
      if (!e.getValue().isObject()) {
        throw fail(path, "must be an object with \"models\", \"aliases\" or \"default\"");
      }
      allowOnly(path, e.getValue(), PROVIDER_FIELDS);
      for (String table : new String[] {"models", "aliases"}) {
        if (e.getValue().has(table) && !e.getValue().get(table).isObject()) {
          throw fail(path + "." + table, "must be an object keyed by model name");
        }
      }
      PriceTable table = providers.computeIfAbsent(e.getKey(), k -> new PriceTable());
      mergeTable(path + ".", e.getValue(), e.getKey(), table);
      if (e.getValue().has("default")) {
        table.defaultPrice = price(path + ".default", "*", e.getValue().get("default"), table.defaultPrice, e.getKey());
      }
    }
    if (root.has("fallback")) {
      fallback[0] = price("fallback", "fallback", root.get("fallback"), fallback[0], null);
    }
  }

  /** One table's models and aliases; a provider's entries default their {@code provider} field to its name. */
  private void mergeTable(String prefix, JsonNode n, @Nullable String provider, PriceTable table) {
    for (Iterator<Map.Entry<String, JsonNode>> it = n.path("models").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      table.models.put(e.getKey(),
          price(prefix + "models." + e.getKey(), e.getKey(), e.getValue(), table.models.get(e.getKey()), provider));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = n.path("aliases").fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      String path = prefix + "aliases." + e.getKey();
      if (!e.getValue().isTextual()) {
        throw fail(path, "must be a model name");
      }
      if (!table.models.containsKey(e.getValue().asText())) {
        throw fail(path, "points to unknown model " + shown(e.getValue()));
      }
      table.aliases.put(e.getKey(), e.getValue().asText());
    }
  }

  private void checkTopLevel() {
    root.fieldNames().forEachRemaining(f -> {
      if (!TOP_FIELDS.contains(f)) {
        throw fail(f, "unknown field; allowed: " + String.join(", ", TOP_FIELDS));
      }
    });
    requireObject(root, "models", "an object keyed by model name");
    requireObject(root, "aliases", "an object of alias → model name");
    requireObject(root, "providers", "an object of provider name → {\"models\", \"aliases\", \"default\"}");
    requireObject(root, "sources", "an object of provider → pricing page URL");
    if (root.has("as_of")) {
      date("as_of", root.get("as_of"));
    }
    root.path("sources").fields().forEachRemaining(e -> {
      if (!e.getValue().isTextual() || !e.getValue().asText().startsWith("http")) {
        throw fail("sources." + e.getKey(), "must be the URL of the provider's pricing page; was " + shown(e.getValue()));
      }
    });
  }

  private String date(String path, JsonNode v) {
    if (!(v.isTextual() && DATE.matcher(v.asText()).matches())) {
      throw fail(path, "must be the date the prices were read, as YYYY-MM-DD; was " + shown(v));
    }
    return v.asText();
  }

  private void requireObject(JsonNode parent, String field, String what) {
    if (parent.has(field) && !parent.get(field).isObject()) {
      throw fail(field, "must be " + what);
    }
  }

  private ModelPrice price(String path, String model, JsonNode n, @Nullable ModelPrice base, @Nullable String table) {
    if (!n.isObject()) {
      throw fail(path, "must be an object such as {\"input\": 2.5, \"output\": 10}");
    }
    allowOnly(path, n, MODEL_FIELDS);
    long maxOut = positiveLong(path, n, "max_output_tokens", base != null ? base.maxOutputTokens : 4096);
    String provider = n.has("provider") ? text(path, n, "provider") : base != null ? base.provider : table != null ? table : "unknown";
    ModelPrice rates = rates(path, model, provider, n, base, maxOut);
    String notes = n.has("notes") ? text(path, n, "notes") : base == null ? null : base.notes;
    String source = n.has("source") ? text(path, n, "source") : base == null ? null : base.source;
    String checked = n.has("checked") ? date(path + ".checked", n.get("checked")) : base == null ? null : base.checked;
    BigDecimal cacheWrite1h = decimal(path, n, "cache_write_1h", base == null ? rates.cacheWrite : base.cacheWrite1h);
    ModelPrice longBase = base == null ? null : base.longContext;
    long threshold = base == null ? 0 : base.longContextThreshold;
    ModelPrice longContext = longBase;
    if (n.has("long_context")) {
      JsonNode tier = n.get("long_context");
      String tierPath = path + ".long_context";
      if (!tier.isObject()) {
        throw fail(tierPath, "must be an object such as {\"threshold_tokens\": 200000, \"input\": 2.5, \"output\": 15}");
      }
      allowOnly(tierPath, tier, TIER_FIELDS);
      threshold = positiveLong(tierPath, tier, "threshold_tokens", threshold > 0 ? threshold : -1);
      ModelPrice tierRates = rates(tierPath, model, provider, tier, longBase, maxOut);
      // The tier's 1-hour write: its own, else the base tier's, else the tier's 5-minute write.
      BigDecimal tier1h = decimal(tierPath, tier, "cache_write_1h", longBase != null && !tier.has("cache_write")
          ? longBase.cacheWrite1h : tierRates.cacheWrite);
      longContext = tierRates.withDetails(tier1h, null, null);
    }
    return new ModelPrice(model, provider, rates.input, rates.output, rates.cachedInput, rates.cacheWrite, maxOut, threshold,
        longContext, notes).withDetails(cacheWrite1h, source, checked);
  }

  /** The four rates at {@code path}, each defaulting to {@code base}'s, or (cache rates) to the input rate. */
  private ModelPrice rates(String path, String model, String provider, JsonNode n, @Nullable ModelPrice base, long maxOut) {
    BigDecimal input = decimal(path, n, "input", base == null ? null : base.input);
    BigDecimal output = decimal(path, n, "output", base == null ? null : base.output);
    BigDecimal cached = decimal(path, n, "cached_input", base == null ? input : base.cachedInput);
    BigDecimal cacheWrite = decimal(path, n, "cache_write", base == null ? input : base.cacheWrite);
    return new ModelPrice(model, provider, input, output, cached, cacheWrite, maxOut);
  }

  private void allowOnly(String path, JsonNode n, Set<String> allowed) {
    n.fieldNames().forEachRemaining(f -> {
      if (!allowed.contains(f)) {
        throw fail(path + "." + f, "unknown field; allowed: " + String.join(", ", allowed));
      }
    });
  }

  /** Whether {@code usd} is a price an entry may give: 0 to {@link #MAX_PRICE}, at most {@link #MAX_PRICE_DECIMALS} decimals. */
  static boolean isPrice(BigDecimal usd) {
    return usd.signum() >= 0 && usd.compareTo(MAX_PRICE) <= 0 && usd.stripTrailingZeros().scale() <= MAX_PRICE_DECIMALS;
  }

  private BigDecimal decimal(String path, JsonNode n, String field, @Nullable BigDecimal def) {
    JsonNode v = n.get(field);
    if (v == null) {
      if (def == null) {
        throw fail(path + "." + field, "required (USD per million tokens)");
      }
      return def;
    }
    // Bounded, so that no price can make the cost arithmetic expand an exponent (1E+2147483647, 1e-999999999).
    if (!v.isNumber() || !isPrice(v.decimalValue())) {
      throw fail(path + "." + field, "must be a number of USD per million tokens, 0 to " + MAX_PRICE.toPlainString()
          + " with at most " + MAX_PRICE_DECIMALS + " decimals; was " + shown(v));
    }
    return v.decimalValue();
  }

  private long positiveLong(String path, JsonNode n, String field, long def) {
    JsonNode v = n.get(field);
    if (v == null && def > 0) {
      return def;
    }
    if (v == null || !v.isIntegralNumber() || !v.canConvertToLong() || v.asLong() <= 0) {
      throw fail(path + "." + field, "must be a positive integer of tokens" + (v == null ? "; it is required" : ", was " + shown(v)));
    }
    return v.asLong();
  }

  private String text(String path, JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (!v.isTextual()) {
      throw fail(path + "." + field, "must be a string; was " + shown(v));
    }
    return v.asText();
  }

  PricingException fail(String path, String message) {
    return new PricingException(where + ": " + lines.at(path) + clip(path) + ": " + message);
  }

  /** A value as the error quotes it: a damaged file's 200 KB string is not repeated in a log line. */
  static String shown(JsonNode v) {
    return clip(String.valueOf(v));
  }

  private static String clip(String text) {
    return text.length() <= 120 ? text : text.substring(0, 120) + "…(" + text.length() + " characters)";
  }
}
