package dev.tollgate.agent.budget;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The configured budgets indexed for one call's look-up. Budgets are grouped by shape: the sorted
 * set of dimensions their scope names, and their period. A call looks up each shape once per
 * pattern of exact and {@code *} values (at most 2^dimensions, most exact first), so its work grows
 * with the number of shapes, never with the number of scopes or values configured. Within a shape
 * the most exact pattern wins: {@code tenant.acme} overrides {@code tenant.*} for the same period.
 */
final class BudgetIndex {
  static final BudgetIndex EMPTY = new BudgetIndex(List.of());

  /** One budget that applies to a call, with the call's values for its dimensions. */
  static final class Match {
    final BudgetSpec spec;
    /** The concrete scope: the call's value for each of the budget's dimensions. */
    final String[] values;
    final String[] dimensions;

    Match(BudgetSpec spec, String[] dimensions, String[] values) {
      this.spec = spec;
      this.dimensions = dimensions;
      this.values = values;
    }
  }

  private static final class Shape {
    final String[] dimensions;
    final BudgetPeriod period;
    /** Pattern (values, {@code *} where wild) → budget. */
    final Map<List<String>, BudgetSpec> byPattern = new HashMap<>();
    /** Wildcard masks, most exact first (fewest bits set). */
    final int[] masks;

    Shape(String[] dimensions, BudgetPeriod period) {
      this.dimensions = dimensions;
      this.period = period;
      this.masks = masksBySpecificity(dimensions.length);
    }
  }

  final List<BudgetSpec> specs;
  private final Shape[] shapes;

  BudgetIndex(List<BudgetSpec> specs) {
    this.specs = List.copyOf(specs);
    Map<String, Shape> byShape = new LinkedHashMap<>();
    for (BudgetSpec s : specs) {
      String[] dims = s.scope.keySet().toArray(new String[0]);
      Shape shape = byShape.computeIfAbsent(String.join(",", dims) + "/" + s.period, k -> new Shape(dims, s.period));
      shape.byPattern.put(List.copyOf(s.scope.values()), s); // a later duplicate replaces an earlier one
    }
    this.shapes = byShape.values().toArray(new Shape[0]);
  }

  boolean isEmpty() {
    return shapes.length == 0;
  }

  /** The budgets a call with these dimension values must fit, one per shape at most. */
  List<Match> match(Dimensions call) {
    List<Match> result = new ArrayList<>(shapes.length);
    for (Shape shape : shapes) {
      String[] values = new String[shape.dimensions.length];
      boolean complete = true;
      for (int i = 0; i < values.length && complete; i++) {
        values[i] = call.value(shape.dimensions[i]);
        complete = values[i] != null;
      }
      // A dated snapshot (gpt-4o-2024-08-06, what a response names) is looked up by its undated model
      // first, exact then '*', so a call reserved as the request named it (gpt-4o) and its record
      // replayed at start-up land on the same budget and the same tally; the dated name after that.
      BudgetSpec spec = null;
      int model = Arrays.asList(shape.dimensions).indexOf("model");
      if (complete && model >= 0 && call.undatedModel() != null) {
        String dated = values[model];
        values[model] = call.undatedModel();
        spec = find(shape, values);
        if (spec == null) {
          values[model] = dated;
        }
      }
      if (spec == null && complete) {
        spec = find(shape, values);
      }
      if (spec != null) {
        result.add(new Match(spec, shape.dimensions, values));
      }
    }
    return result;
  }

  /** The budget configured for this concrete scope and period (exact, else {@code *}), or null. */
  @Nullable
  BudgetSpec specFor(Map<String, String> scope, BudgetPeriod period) {
    for (Shape shape : shapes) {
      if (shape.period == period && shape.dimensions.length == scope.size()
          && scope.keySet().containsAll(Arrays.asList(shape.dimensions))) {
        String[] values = new String[shape.dimensions.length];
        for (int i = 0; i < values.length; i++) {
          values[i] = scope.get(shape.dimensions[i]);
        }
        return find(shape, values);
      }
    }
    return null;
  }

  private static @Nullable BudgetSpec find(Shape shape, String[] values) {
    for (int mask : shape.masks) {
      String[] pattern = values.clone();
      for (int i = 0; i < pattern.length; i++) {
        if ((mask & (1 << i)) != 0) {
          pattern[i] = BudgetSpec.WILDCARD;
        }
      }
      BudgetSpec spec = shape.byPattern.get(Arrays.asList(pattern));
      if (spec != null) {
        return spec;
      }
    }
    return null;
  }

  private static int[] masksBySpecificity(int dimensions) {
    int n = 1 << Math.min(dimensions, 8);
    Integer[] masks = new Integer[n];
    for (int i = 0; i < n; i++) {
      masks[i] = i;
    }
    Arrays.sort(masks, (a, b) -> Integer.bitCount(a) != Integer.bitCount(b) ? Integer.bitCount(a) - Integer.bitCount(b) : a - b);
    return Arrays.stream(masks).mapToInt(Integer::intValue).toArray();
  }
}
