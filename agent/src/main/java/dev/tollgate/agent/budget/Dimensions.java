package dev.tollgate.agent.budget;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A call's values for the dimensions budgets can name: its attributes and the built-in {@code
 * model}, {@code provider} and {@code operation} (which win over an attribute of the same name).
 */
public final class Dimensions {
  private final Map<String, String> attributes;
  private final @Nullable String model;
  private final String provider;
  private final String operation;

  public Dimensions(Map<String, String> attributes, @Nullable String model, String provider, String operation) {
    this.attributes = attributes;
    this.model = model;
    this.provider = provider;
    this.operation = operation;
  }

  private static final java.util.regex.Pattern DATED = java.util.regex.Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8})$");

  /**
   * A journaled call: its record names the model the response named (often a dated snapshot,
   * {@code gpt-4o-mini-2024-07-18}) where the request, and so the reservation, named the undated one;
   * a {@code model} budget that does not name the snapshot matches it by its undated name.
   */
  static Dimensions ofRecord(Map<String, String> attributes, String model, String provider, String operation) {
    Dimensions d = new Dimensions(attributes, model, provider, operation);
    java.util.regex.Matcher m = DATED.matcher(model);
    d.undatedModel = m.find() ? model.substring(0, m.start()) : null;
    return d;
  }

  private @Nullable String undatedModel;

  /** The model without its snapshot date, for a journaled call whose model carries one; else null. */
  @Nullable
  String undatedModel() {
    return undatedModel;
  }

  @Nullable
  String value(String dimension) {
    switch (dimension) {
      case "model":
        return model;
      case "provider":
        return provider;
      case "operation":
        return operation;
      default:
        return attributes.get(dimension);
    }
  }
}
