package dev.tollgate.agent.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model prices: the bundled, dated catalog ({@code catalog.json}), with {@code tollgate.pricing-file}
 * entries added or overriding. A model name resolves exactly, then through the alias table, then
 * with an OpenRouter-style vendor prefix, a dated snapshot suffix ({@code -2024-07-18},
 * {@code -20250514}) or Google's version suffix ({@code -001}) removed: so
 * {@code gpt-4o-mini-2024-07-18} and {@code openai/gpt-4o-mini} both price as {@code gpt-4o-mini}.
 *
 * <p>Nothing else is removed: a version code ({@code -1106}, {@code -2407}), {@code -preview} or
 * {@code -latest} can name a different model at a different price ({@code gpt-4-1106-preview} is not
 * {@code gpt-4}, {@code mistral-large-2407} is not Mistral Large 3), so such names resolve only
 * through their own entry or alias.
 */
public final class PriceCatalog {
  private static final String RESOURCE = "/dev/tollgate/agent/pricing/catalog.json";
  private static final Pattern SNAPSHOT = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|20\\d{6}|00\\d)$");
  private static final Pattern RATES = Pattern.compile("(\\d+(?:\\.\\d+)?)/(\\d+(?:\\.\\d+)?)");
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
    return load(overrides, null);
  }

  /**
   * The bundled catalog, with {@code overrides} applied when not null, and the price unknown models
   * are reserved and charged at ({@code tollgate.fallback-price}) when not null.
   *
   * @throws PricingException naming the file, line and field, or the fallback value, that is invalid
   */
  public static PriceCatalog load(/* @Nullable */ Path overrides, /* @Nullable */ String fallbackPrice) {
    CatalogReader bundled = CatalogReader.parse("bundled catalog", bundledBytes());
    Map<String, ModelPrice> models = new LinkedHashMap<>();
    Map<String, String> aliases = new LinkedHashMap<>();
    ModelPrice[] fallback = {null};
    bundled.mergeInto(models, aliases, fallback);
    if (overrides != null) {
      String where = "tollgate.pricing-file=" + overrides;
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(overrides);
      } catch (IOException | RuntimeException e) {
        throw new PricingException(where + ": cannot read the file (" + e + ")");
      }
      CatalogReader.parse(where, bytes).mergeInto(models, aliases, fallback);
    }
    String asOf = bundled.asOf() == null ? "unknown" : bundled.asOf();
    PriceCatalog catalog = new PriceCatalog(asOf, models, aliases, fallback[0]);
    return fallbackPrice == null || fallbackPrice.isEmpty() ? catalog
        : new PriceCatalog(asOf, models, aliases, catalog.fallbackFrom(fallbackPrice.trim()));
  }

  private static byte[] bundledBytes() {
    try (InputStream in = PriceCatalog.class.getResourceAsStream(RESOURCE)) {
      return in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      throw new PricingException("bundled price catalog unreadable: " + e);
    }
  }

  /** {@code tollgate.fallback-price}: {@code INPUT/OUTPUT} in USD per million tokens, or a catalog model's prices. */
  private ModelPrice fallbackFrom(String value) {
    Matcher m = RATES.matcher(value);
    if (m.matches() && CatalogReader.isPrice(new BigDecimal(m.group(1))) && CatalogReader.isPrice(new BigDecimal(m.group(2)))) {
      BigDecimal in = new BigDecimal(m.group(1));
      return new ModelPrice("fallback", "unknown", in, new BigDecimal(m.group(2)), in, in, fallback.maxOutputTokens);
    }
    ModelPrice p = m.matches() ? null : find(value);
    if (p == null) {
      throw new PricingException("invalid configuration tollgate.fallback-price=" + value
          + ": INPUT/OUTPUT in USD per million tokens, each 0 to 1000000 with at most 24 decimals (for example 10/30), or the name of a model in the price catalog");
    }
    return p;
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

  /** The model-only entries' names, for checks that every name resolves to its own entry. */
  java.util.Set<String> modelNames() {
    return java.util.Collections.unmodifiableSet(models.keySet());
  }

  /** The model-only alias table (alias → model). */
  Map<String, String> aliases() {
    return java.util.Collections.unmodifiableMap(aliases);
  }
}
