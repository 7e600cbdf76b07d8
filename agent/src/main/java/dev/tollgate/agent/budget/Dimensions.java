package dev.tollgate.agent.budget;

import java.util.Map;

/**
 * A call's values for the dimensions budgets can name: its attributes and the built-in {@code
 * model}, {@code provider} and {@code operation} (which win over an attribute of the same name).
 */
public final class Dimensions {
  private final Map<String, String> attributes;
  private final /* @Nullable */ String model;
  private final String provider;
  private final String operation;

  public Dimensions(Map<String, String> attributes, /* @Nullable */ String model, String provider, String operation) {
    this.attributes = attributes;
    this.model = model;
    this.provider = provider;
    this.operation = operation;
  }

  /* @Nullable */ String value(String dimension) {
    switch (dimension) {
      case "model": return model;
      case "provider": return provider;
      case "operation": return operation;
      default: return attributes.get(dimension);
    }
  }
}
