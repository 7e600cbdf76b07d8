package dev.tollgate.agent.pricing;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Model prices: the bundled, dated catalog ({@code catalog.json}), with {@code tollgate.pricing-file}
 * entries added or overriding. An entry is model-only (what the model's vendor charges, the default
 * wherever the model is served) or provider-qualified (what one provider, the endpoint that served
 * the call, charges for a model it hosts: {@code llama-3.3-70b-versatile} on {@code groq}). A call on
 * provider P for model M takes P's entry for M, else P's default (Ollama's local models cost 0),
 * else M's model-only entry; each table resolves names as {@link PriceTable} says, so
 * {@code gpt-4o-mini-2024-07-18} and {@code openai/gpt-4o-mini} both price as {@code gpt-4o-mini},
 * and {@code gpt-4-1106-preview} never prices as {@code gpt-4}.
 */
public final class PriceCatalog {
  private static final String RESOURCE = "/dev/tollgate/agent/pricing/catalog.json";
  private static final Pattern RATES = Pattern.compile("(\\d+(?:\\.\\d+)?)/(\\d+(?:\\.\\d+)?)");
  private static final int MAX_RESOLVED = 10_000;
  private static final ModelPrice NONE = new ModelPrice("", "", BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, 0);

  private final String asOf;
  private final PriceTable common;
  private final Map<String, PriceTable> providers;
  private final ModelPrice fallback;
  private final Map<String, ModelPrice> resolved = new ConcurrentHashMap<>();

  private PriceCatalog(String asOf, PriceTable common, Map<String, PriceTable> providers, ModelPrice fallback) {
    this.asOf = asOf;
    this.common = common;
    this.providers = providers;
    this.fallback = fallback;
  }

  /** The bundled catalog, with {@code overrides} applied when not null. @throws PricingException */
  public static PriceCatalog load(/* @Nullable */ Path overrides) {
    return load(overrides, null);
  }

  /**
   * The bundled catalog, with {@code overrides} applied when not null, and the price unknown models
   * are reserved and charged at ({@code tollgate.fallback-price}) when not null. The overrides file
   * is Tollgate's catalog format or LiteLLM's {@code model_prices_and_context_window.json}, told
   * apart by shape.
   *
   * @throws PricingException naming the file, line and field, or the fallback value, that is invalid
   */
  public static PriceCatalog load(/* @Nullable */ Path overrides, /* @Nullable */ String fallbackPrice) {
    CatalogReader bundled = CatalogReader.parse("bundled catalog", bundledBytes());
    PriceTable common = new PriceTable();
    Map<String, PriceTable> providers = new LinkedHashMap<>();
    ModelPrice[] fallback = {null};
    bundled.mergeInto(common, providers, fallback);
    if (overrides != null) {
      String where = "tollgate.pricing-file=" + overrides;
      byte[] bytes;
      try {
        bytes = Files.readAllBytes(overrides);
      } catch (IOException | RuntimeException e) {
        throw new PricingException(where + ": cannot read the file (" + e + ")");
      }
      CatalogReader.parse(where, bytes).mergeInto(common, providers, fallback);
    }
    String asOf = bundled.asOf() == null ? "unknown" : bundled.asOf();
    PriceCatalog catalog = new PriceCatalog(asOf, common, providers, fallback[0]);
    return fallbackPrice == null || fallbackPrice.isEmpty() ? catalog
        : new PriceCatalog(asOf, common, providers, catalog.fallbackFrom(fallbackPrice.trim()));
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

  /** The model-only price of {@code model}, or {@code null} when the catalog does not know it. */
  public /* @Nullable */ ModelPrice find(/* @Nullable */ String model) {
    return find(null, model);
  }

  /**
   * The price of {@code model} served by {@code provider} (an endpoint's provider name, or null when
   * unknown): the provider's own entry, else its default, else the model-only entry; {@code null}
   * when none applies.
   */
  public /* @Nullable */ ModelPrice find(/* @Nullable */ String provider, /* @Nullable */ String model) {
    if (model == null || model.isEmpty()) {
      return null;
    }
    PriceTable table = provider == null ? null : providers.get(provider);
    String key = table == null ? model : provider + '\u0000' + model;
    ModelPrice p = resolved.get(key);
    if (p == null) {
      p = resolve(table, model);
      if (resolved.size() < MAX_RESOLVED) { // bounded: model names come from requests
        resolved.putIfAbsent(key, p);
      }
    }
    return p == NONE ? null : p;
  }

  private ModelPrice resolve(/* @Nullable */ PriceTable table, String model) {
    ModelPrice p = resolveName(table, model);
    for (String name : p == null ? BedrockModelIds.candidates(model) : java.util.List.<String>of()) {
      p = resolveName(table, name);
      if (p != null) {
        break;
      }
    }
    return p == null ? NONE : p;
  }

  private /* @Nullable */ ModelPrice resolveName(/* @Nullable */ PriceTable table, String model) {
    ModelPrice p = table == null ? null : table.resolve(model);
    if (p == null && table != null) {
      p = table.defaultPrice;
    }
    return p == null ? common.resolve(model) : p;
  }

  /** The prices used to reserve for a model the catalog does not know. */
  public ModelPrice fallback() {
    return fallback;
  }

  /** The date the bundled prices were taken from the providers' price lists. */
  public String asOf() {
    return asOf;
  }

  /** The number of entries, model-only and provider-qualified. */
  public int size() {
    int n = common.models.size();
    for (PriceTable t : providers.values()) {
      n += t.models.size();
    }
    return n;
  }

  /**
   * Every entry, by table: {@code "*"} for the model-only entries, then each provider's name; a
   * provider's default price is listed under the model name {@code "*"}.
   */
  public Map<String, List<ModelPrice>> entries() {
    Map<String, List<ModelPrice>> all = new LinkedHashMap<>();
    all.put("*", new ArrayList<>(common.models.values()));
    providers.forEach((name, table) -> {
      List<ModelPrice> list = new ArrayList<>(table.models.values());
      if (table.defaultPrice != null) {
        list.add(table.defaultPrice);
      }
      all.put(name, list);
    });
    return all;
  }

  /** The model-only table. */
  PriceTable common() {
    return common;
  }

  /** The provider-qualified tables, by provider name. */
  Map<String, PriceTable> providers() {
    return java.util.Collections.unmodifiableMap(providers);
  }
}
