package dev.tollgate.agent.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Model prices: the bundled, dated catalog ({@code catalog.json}), with {@code tollgate.pricing-file}
 * entries added or overriding. A model name resolves exactly, then through the alias table, then
 * with an OpenRouter-style vendor prefix, a dated snapshot suffix or {@code -latest} removed: so
 * {@code gpt-4o-mini-2024-07-18} and {@code openai/gpt-4o-mini} both price as {@code gpt-4o-mini}.
 */
public final class PriceCatalog {
  private static final String RESOURCE = "/dev/tollgate/agent/pricing/catalog.json";
  private static final Pattern SNAPSHOT = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{3,4}|latest|preview(-\\d{2}-\\d{2,4})?)$");
  private static final Set<String> MODEL_FIELDS = Set.of("provider", "input", "output", "cached_input", "cache_write", "max_output_tokens");
  private static final Set<String> TOP_FIELDS = Set.of("models", "aliases", "fallback", "as_of", "currency", "unit", "sources", "notes");
  private static final ModelPrice NONE = new ModelPrice("", "", BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0);

  private final String asOf;
  private final Map<String, ModelPrice> models;
  private final Map<String, String> aliases;
  private final ModelPrice fallback;
  private final Map<String, ModelPrice> resolved = new ConcurrentHashMap<>();

  private PriceCatalog(String asOf, Map<String, ModelPrice> models, Map<String, String> aliases, ModelPrice fallback) {
    this.asOf = asOf;
    this.models = models;
    this.aliases = aliases;
    this.fallback = fallback;
  }

  /** The bundled catalog, with {@code overrides} applied when not null. @throws PricingException */
  public static PriceCatalog load(/* @Nullable */ Path overrides) {
    // Prices stay decimal from the text on: never through a double.
    ObjectMapper mapper = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
    JsonNode bundled;
    try (InputStream in = PriceCatalog.class.getResourceAsStream(RESOURCE)) {
      bundled = mapper.readTree(in);
    } catch (IOException | RuntimeException e) {
      throw new PricingException("bundled price catalog unreadable: " + e.getMessage());
    }
    Map<String, ModelPrice> models = new LinkedHashMap<>();
    Map<String, String> aliases = new LinkedHashMap<>();
    ModelPrice[] fallback = {null};
    String asOf = bundled.path("as_of").asText("unknown");
    merge(bundled, "bundled catalog", models, aliases, fallback);
    if (overrides != null) {
      JsonNode custom;
      try {
        custom = mapper.readTree(Files.readAllBytes(overrides));
      } catch (IOException | RuntimeException e) {
        throw new PricingException("tollgate.pricing-file=" + overrides + ": not a readable JSON file (" + e.getMessage() + ")");
      }
      merge(custom, "tollgate.pricing-file=" + overrides, models, aliases, fallback);
    }
    return new PriceCatalog(asOf, models, aliases, fallback[0]);
  }

  private static void merge(JsonNode root, String where, Map<String, ModelPrice> models, Map<String, String> aliases, ModelPrice[] fallback) {
    if (!root.isObject()) {
      throw new PricingException(where + ": expected a JSON object with \"models\"");
    }
    root.fieldNames().forEachRemaining(f -> {
      if (!TOP_FIELDS.contains(f)) {
        throw new PricingException(where + ": " + f + ": unknown field; allowed: " + String.join(", ", TOP_FIELDS));
      }
    });
    requireObject(root, "models", where);
    requireObject(root, "aliases", where);
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("models").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      models.put(e.getKey(), price(where + ": models." + e.getKey(), e.getKey(), e.getValue(), models.get(e.getKey())));
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("aliases").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isTextual()) {
        throw new PricingException(where + ": aliases." + e.getKey() + " must be a model name");
      }
      aliases.put(e.getKey(), e.getValue().asText());
    }
    if (root.has("fallback")) {
      fallback[0] = price(where + ": fallback", "fallback", root.get("fallback"), fallback[0]);
    }
    for (Map.Entry<String, String> alias : aliases.entrySet()) {
      if (!models.containsKey(alias.getValue())) {
        throw new PricingException(where + ": alias " + alias.getKey() + " points to unknown model " + alias.getValue());
      }
    }
  }

  private static void requireObject(JsonNode root, String field, String where) {
    if (root.has(field) && !root.get(field).isObject()) {
      throw new PricingException(where + ": " + field + " must be an object keyed by model name");
    }
  }

  private static ModelPrice price(String where, String model, JsonNode n, /* @Nullable */ ModelPrice base) {
    if (!n.isObject()) {
      throw new PricingException(where + " must be an object such as {\"input\": 2.5, \"output\": 10}");
    }
    n.fieldNames().forEachRemaining(f -> {
      if (!MODEL_FIELDS.contains(f)) {
        throw new PricingException(where + "." + f + ": unknown field; allowed: " + String.join(", ", MODEL_FIELDS));
      }
    });
    BigDecimal input = decimal(where, n, "input", base == null ? null : base.input);
    BigDecimal output = decimal(where, n, "output", base == null ? null : base.output);
    BigDecimal cached = decimal(where, n, "cached_input", base == null ? input : base.cachedInput);
    BigDecimal cacheWrite = decimal(where, n, "cache_write", base == null ? input : base.cacheWrite);
    JsonNode max = n.get("max_output_tokens");
    if (max != null && (!max.isIntegralNumber() || !max.canConvertToLong() || max.asLong() <= 0)) {
      throw new PricingException(where + ".max_output_tokens: must be a positive integer, was " + max);
    }
    long maxOut = max != null ? max.asLong() : base != null ? base.maxOutputTokens : 4096;
    String provider = n.path("provider").asText(base == null ? "unknown" : base.provider);
    return new ModelPrice(model, provider, input, output, cached, cacheWrite, maxOut);
  }

  private static BigDecimal decimal(String where, JsonNode n, String field, /* @Nullable */ BigDecimal def) {
    JsonNode v = n.get(field);
    if (v == null) {
      if (def == null) {
        throw new PricingException(where + "." + field + ": required (USD per million tokens)");
      }
      return def;
    }
    if (!v.isNumber() || v.decimalValue().signum() < 0) {
      throw new PricingException(where + "." + field + ": must be a number of USD per million tokens, 0 or more; was " + v);
    }
    return v.decimalValue();
  }

  /** The price of {@code model}, or {@code null} when the catalog does not know it. */
  public /* @Nullable */ ModelPrice find(/* @Nullable */ String model) {
    if (model == null || model.isEmpty()) {
      return null;
    }
    ModelPrice p = resolved.computeIfAbsent(model, this::resolve);
    return p == NONE ? null : p;
  }

  private ModelPrice resolve(String model) {
    String name = model;
    for (int attempt = 0; attempt < 4; attempt++) {
      ModelPrice p = direct(name);
      if (p != null) {
        return p;
      }
      String next = simplify(name);
      if (next.equals(name)) {
        break;
      }
      name = next;
    }
    return NONE;
  }

  private /* @Nullable */ ModelPrice direct(String name) {
    ModelPrice p = models.get(name);
    if (p == null && aliases.containsKey(name)) {
      p = models.get(aliases.get(name));
    }
    if (p == null && name.contains(".")) {
      p = direct(name.replace('.', '-')); // OpenRouter's claude-3.5-sonnet
    }
    return p;
  }

  private static String simplify(String name) {
    int slash = name.lastIndexOf('/');
    if (slash >= 0) {
      return name.substring(slash + 1); // vendor/model, models/model
    }
    return SNAPSHOT.matcher(name).replaceFirst("");
  }

  /** The prices used to reserve for a model the catalog does not know. */
  public ModelPrice fallback() {
    return fallback;
  }

  /** The date the bundled prices were taken from the providers' price lists. */
  public String asOf() {
    return asOf;
  }

  public int size() {
    return models.size();
  }
}
