package dev.tollgate.agent.pricing;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * One table of entries: the model-only table, or one provider's. A name resolves exactly, then
 * through the aliases, then (dots read as dashes) with a vendor prefix, a dated snapshot suffix
 * ({@code -2024-07-18}, {@code -20250514}, Vertex AI's {@code @20250514} and {@code @default}) or Google's version suffix
 * ({@code -001}) removed.
 *
 * <p>Nothing else is removed: a version code ({@code -1106}, {@code -2407}), {@code -preview} or
 * {@code -latest} can name a different model at a different price ({@code gpt-4-1106-preview} is not
 * {@code gpt-4}, {@code mistral-large-2407} is not Mistral Large 3), so such names resolve only
 * through their own entry or alias.
 */
final class PriceTable {
  /**
   * A dated snapshot or Google's version suffix; {@code @20250514} is Vertex AI's spelling of a Claude
   * snapshot, and {@code @default} its name for a model's current version.
   */
  private static final Pattern SNAPSHOT = Pattern.compile("(-(\\d{4}-\\d{2}-\\d{2}|20\\d{6}|00\\d)|@20\\d{6}|@default)$");

  final Map<String, ModelPrice> models = new LinkedHashMap<>();
  final Map<String, String> aliases = new LinkedHashMap<>();
  /** The price of any model this provider serves that has no entry of its own (Ollama's 0), or null. */
  @Nullable
  ModelPrice defaultPrice;

  /** The entry {@code model} resolves to, or null. */
  @Nullable
  ModelPrice resolve(String model) {
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
    return null;
  }

  private @Nullable ModelPrice direct(String name) {
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
}
