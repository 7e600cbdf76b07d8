package dev.tollgate.agent.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * Reads LiteLLM's {@code model_prices_and_context_window.json} as it is published: an object keyed
 * by model name ({@code gpt-4o}, {@code groq/llama-3.3-70b-versatile}) whose entries give USD per
 * token ({@code input_cost_per_token: 1.5e-07}) and a {@code litellm_provider}. Each entry of a
 * provider Tollgate has endpoints for becomes that provider's entry (its name without the provider
 * prefix); an entry of the model's own vendor (OpenAI, Anthropic, Gemini, Mistral, xAI, DeepSeek,
 * Cohere) is also the model-only default. Prices are converted from the JSON text (1.5e-07 per token
 * is exactly 0.15 per million, never through a double). Entries of other providers and modes (image,
 * audio, rerank) and fields Tollgate does not price are ignored; a price that is not a number of USD,
 * 0 or more, stops the file with the entry and field named.
 */
final class LiteLlmReader {
  /** {@code litellm_provider} → Tollgate's provider name (as {@code EndpointCatalog} names endpoints). */
  static final Map<String, String> PROVIDERS = Map.ofEntries(
      Map.entry("openai", "openai"), Map.entry("text-completion-openai", "openai"), Map.entry("anthropic", "anthropic"),
      Map.entry("gemini", "gemini"), Map.entry("vertex_ai-language-models", "vertex"), Map.entry("vertex_ai-anthropic_models", "vertex"),
      Map.entry("vertex_ai-mistral_models", "vertex"), Map.entry("vertex_ai-llama_models", "vertex"), Map.entry("vertex_ai", "vertex"),
      Map.entry("vertex_ai-embedding-models", "vertex"), Map.entry("azure", "azure"), Map.entry("azure_ai", "azure"),
      Map.entry("mistral", "mistral"), Map.entry("groq", "groq"), Map.entry("deepseek", "deepseek"), Map.entry("together_ai", "together"),
      Map.entry("xai", "xai"), Map.entry("fireworks_ai", "fireworks"), Map.entry("fireworks_ai-embedding-models", "fireworks"),
      Map.entry("cohere", "cohere"), Map.entry("cohere_chat", "cohere"), Map.entry("openrouter", "openrouter"),
      Map.entry("bedrock", "bedrock"), Map.entry("bedrock_converse", "bedrock"), Map.entry("ollama", "ollama"));
  /** Providers whose own entries are the model-only default, and the vendor name the catalog gives them. */
  private static final Map<String, String> VENDORS = Map.of("openai", "openai", "anthropic", "anthropic", "gemini", "google",
      "mistral", "mistral", "xai", "xai", "deepseek", "deepseek", "cohere", "cohere");
  private static final Set<String> MODES = Set.of("chat", "completion", "embedding", "responses");
  private static final String[] TIERS = {"128k", "200k", "256k", "272k"};

  private final CatalogReader file;
  private final JsonNode root;
  /**
   * Per price read, the fields (as {@link CatalogDiff} names them) the entry does not state and that
   * were filled in for charging: a missing cache price is charged at the input price, but LiteLLM does
   * not say so, so a comparison must not take it for LiteLLM's price.
   */
  private final Map<ModelPrice, Set<String>> unstated = new IdentityHashMap<>();

  LiteLlmReader(CatalogReader file, JsonNode root) {
    this.file = file;
    this.root = root;
  }

  /** Whether {@code root} has LiteLLM's shape: entries keyed by model, each with a {@code litellm_provider}. */
  static boolean looksLikeLiteLlm(JsonNode root) {
    if (root.has("models") || root.has("providers") || root.has("aliases") || root.has("fallback")) {
      return false;
    }
    for (Iterator<JsonNode> it = root.elements(); it.hasNext();) {
      JsonNode entry = it.next();
      if (entry.isObject() && entry.has("litellm_provider")) {
        return true;
      }
    }
    return false;
  }

  void mergeInto(PriceTable common, Map<String, PriceTable> providers) {
    for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext();) {
      Map.Entry<String, JsonNode> e = it.next();
      JsonNode n = e.getValue();
      String provider = n.isObject() ? PROVIDERS.get(n.path("litellm_provider").asText()) : null;
      boolean priced = n.has("input_cost_per_token") || n.has("output_cost_per_token");
      if (provider == null || !priced || (n.has("mode") && !MODES.contains(n.get("mode").asText()))) {
        continue; // not a provider Tollgate meters, or not a per-token model operation
      }
      String name = nameAtProvider(e.getKey(), n.get("litellm_provider").asText(), provider);
      providers.computeIfAbsent(provider, k -> new PriceTable()).models.put(name, price(e.getKey(), name, provider, n));
      String vendor = VENDORS.get(provider);
      if (vendor != null) {
        common.models.put(name, price(e.getKey(), name, vendor, n));
      }
    }
  }

  /** {@code groq/llama-3.3-70b-versatile} → {@code llama-3.3-70b-versatile}: the name the provider's API takes. */
  static String nameAtProvider(String key, String litellmProvider, String provider) {
    int slash = key.indexOf('/');
    if (slash < 0) {
      return key;
    }
    String first = key.substring(0, slash);
    int dash = litellmProvider.indexOf('-');
    String family = dash < 0 ? litellmProvider : litellmProvider.substring(0, dash);
    boolean prefix = first.equals(litellmProvider) || first.equals(family) || first.equals(provider)
        || first.equals(provider + "_ai") || first.equals("vertex_ai") || first.equals("azure_ai");
    return prefix ? key.substring(slash + 1) : key;
  }

  private ModelPrice price(String key, String name, String provider, JsonNode n) {
    BigDecimal input = perMillion(key, n, "input_cost_per_token", BigDecimal.ZERO);
    BigDecimal output = perMillion(key, n, "output_cost_per_token", BigDecimal.ZERO);
    BigDecimal cached = perMillion(key, n, "cache_read_input_token_cost", input);
    BigDecimal cacheWrite = perMillion(key, n, "cache_creation_input_token_cost", input);
    BigDecimal cacheWrite1h = perMillion(key, n, "cache_creation_input_token_cost_above_1hr", cacheWrite);
    long maxOut = tokens(n, "max_output_tokens", tokens(n, "max_tokens", 4096));
    ModelPrice longContext = null;
    long threshold = 0;
    for (String tier : TIERS) {
      String suffix = "_above_" + tier + "_tokens";
      if (longContext == null && n.has("input_cost_per_token" + suffix)) {
        threshold = Long.parseLong(tier.substring(0, tier.length() - 1)) * 1000;
        BigDecimal lin = perMillion(key, n, "input_cost_per_token" + suffix, input);
        BigDecimal tierWrite = perMillion(key, n, "cache_creation_input_token_cost" + suffix, cacheWrite);
        longContext = new ModelPrice(name, provider, lin, perMillion(key, n, "output_cost_per_token" + suffix, output),
            perMillion(key, n, "cache_read_input_token_cost" + suffix, cached), tierWrite, maxOut)
            .withDetails(perMillion(key, n, "cache_creation_input_token_cost_above_1hr" + suffix, tierWrite), null, null);
      }
    }
    String source = n.path("source").isTextual() ? n.get("source").asText() : "LiteLLM model_prices_and_context_window.json";
    ModelPrice price = new ModelPrice(name, provider, input, output, cached, cacheWrite, maxOut, threshold, longContext, null)
        .withDetails(cacheWrite1h, source, null);
    Set<String> missing = new HashSet<>();
    unstatedIn(n, "", missing, "cached_input", "cache_read_input_token_cost", "cache_write", "cache_creation_input_token_cost",
        "cache_write_1h", "cache_creation_input_token_cost_above_1hr");
    if (longContext != null) {
      unstatedIn(n, "_above_" + threshold / 1000 + "k_tokens", missing, "long_context.output", "output_cost_per_token",
          "long_context.cached_input", "cache_read_input_token_cost");
    }
    if (!missing.isEmpty()) {
      unstated.put(price, missing);
    }
    return price;
  }

  /** Adds to {@code missing} each field of {@code pairs} (name, LiteLLM's field) whose LiteLLM field plus {@code suffix} is absent or null. */
  private static void unstatedIn(JsonNode n, String suffix, Set<String> missing, String... pairs) {
    for (int i = 0; i < pairs.length; i += 2) {
      JsonNode v = n.get(pairs[i + 1] + suffix);
      if (v == null || v.isNull()) {
        missing.add(pairs[i]);
      }
    }
  }

  /** The fields {@code price} (read by this reader) does not state, as {@link CatalogDiff} names them; empty when it states all. */
  Set<String> unstated(ModelPrice price) {
    return unstated.getOrDefault(price, Set.of());
  }

  /** USD per token at {@code field}, as USD per million tokens, exactly; {@code def} when absent or null. */
  private BigDecimal perMillion(String key, JsonNode n, String field, BigDecimal def) {
    JsonNode v = n.get(field);
    if (v == null || v.isNull()) {
      return def;
    }
    BigDecimal perMillion = v.isNumber() ? v.decimalValue().movePointRight(6).stripTrailingZeros() : null;
    if (perMillion == null || !CatalogReader.isPrice(perMillion)) {
      throw file.fail(key + "." + field, "must be a number of USD per token, 0 to 1 with at most "
          + (CatalogReader.MAX_PRICE_DECIMALS + 6) + " decimals; was " + CatalogReader.shown(v));
    }
    return perMillion.scale() < 0 ? perMillion.setScale(0) : perMillion;
  }

  /** A token count; {@code def} when absent or not a positive integer (LiteLLM's placeholders are text). */
  private static long tokens(JsonNode n, String field, long def) {
    JsonNode v = n.get(field);
    return v != null && v.isIntegralNumber() && v.canConvertToLong() && v.asLong() > 0 ? v.asLong() : def;
  }
}
