package dev.tollgate.agent.metrics;

import dev.tollgate.api.UsageRecord;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The labels of {@code tollgate.cost} and {@code tollgate.calls}: the names {@code
 * tollgate.metrics.attributes} lists, each a built-in ({@code provider}, {@code model}, {@code
 * operation}) or a record attribute.
 */
public final class Labels {
  private Labels() {}

  /** Whether some listed name is a record attribute: then the labels are not a function of the {@link CallKind}. */
  public static boolean fromAttributes(List<String> names) {
    return names.stream().anyMatch(n -> !n.equals("provider") && !n.equals("model") && !n.equals("operation"));
  }

  /** The record's value of a listed name, or null when it has none. */
  public static @Nullable String value(UsageRecord r, String name) {
    switch (name) {
      case "provider":
        return r.provider();
      case "model":
        return r.model();
      case "operation":
        return r.operation();
      default:
        return r.attributes().get(name);
    }
  }
}
