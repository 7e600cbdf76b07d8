package dev.tollgate.agent.budget;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import dev.tollgate.agent.config.JsonErrors;
import dev.tollgate.agent.journal.FileProblems;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code tollgate.budgets-file}: {@code {"budgets":[{"scope":{"tenant":"acme"},"limit":5,"period":"day",
 * "alerts":["50%","90%"]}]}}. Read with a streaming parser so that every problem names its line and
 * field ({@code budgets[1].limit}); a file with one bad budget, or two of the same scope and period, is
 * refused whole.
 */
public final class BudgetsFile {
  private static final JsonFactory JSON = new JsonFactory();

  /** A budgets file that cannot be used: the message names the file, the line and the field. */
  public static final class Invalid extends Exception {
    private static final long serialVersionUID = 1L;

    Invalid(Path file, long line, String field, String problem) {
      this("budgets file " + file + " line " + line + (field.isEmpty() ? "" : " field " + field) + ": " + problem);
    }

    Invalid(String message) {
      super(message);
    }
  }

  private final Path file;
  private final List<String> defaultAlerts;
  @SuppressWarnings("NullAway.Init") // set by read() before any parsing method runs
  private JsonParser p;

  private BudgetsFile(Path file, List<String> defaultAlerts) {
    this.file = file;
    this.defaultAlerts = defaultAlerts;
  }

  /** The budgets in {@code file}; a budget without {@code alerts} gets {@code defaultAlerts}. */
  public static List<BudgetSpec> read(Path file, List<String> defaultAlerts) throws Invalid {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new Invalid("budgets file " + file + " does not exist");
    } catch (IOException e) {
      throw new Invalid("budgets file " + file + " cannot be read: " + FileProblems.describe(e, file));
    }
    BudgetsFile reader = new BudgetsFile(file, defaultAlerts);
    try (JsonParser parser = JSON.createParser(bytes)) {
      reader.p = parser;
      return reader.root();
    } catch (JsonProcessingException e) {
      throw new Invalid("budgets file " + file + " is not valid JSON: " + JsonErrors.describe(e));
    } catch (IOException e) {
      throw new Invalid("budgets file " + file + " cannot be read: " + FileProblems.describe(e, file));
    }
  }

  private List<BudgetSpec> root() throws IOException, Invalid {
    expect(p.nextToken() == JsonToken.START_OBJECT, "", "must be a JSON object {\"budgets\":[…]}");
    List<BudgetSpec> budgets = null;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.getCurrentName();
      p.nextToken();
      if (name.equals("budgets")) {
        budgets = budgets();
      } else {
        p.skipChildren(); // room for later fields
      }
    }
    if (budgets == null) {
      throw new Invalid(file, line(), "budgets", "missing: the file must hold {\"budgets\":[…]}");
    }
    return budgets;
  }

  private List<BudgetSpec> budgets() throws IOException, Invalid {
    expect(p.currentToken() == JsonToken.START_ARRAY, "budgets", "must be an array of budgets");
    List<BudgetSpec> result = new ArrayList<>();
    Map<String, String> seen = new HashMap<>(); // scope and period → the entry that budgets it, as messages name it
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String at = "budgets[" + result.size() + "]";
      long line = line();
      BudgetSpec spec = budget(at);
      String entry = at + " (" + spec.describe() + ", line " + line + ")";
      String earlier = seen.putIfAbsent(spec.scopeAndPeriod(), entry);
      if (earlier != null) {
        throw new Invalid(file, line, at, "budgets the same scope and period as " + earlier + " (" + spec.describe()
            + " here): each scope and period may appear once; remove one of them");
      }
      result.add(spec);
    }
    return result;
  }

  private BudgetSpec budget(String at) throws IOException, Invalid {
    long line = line();
    expect(p.currentToken() == JsonToken.START_OBJECT, at, "must be an object with scope, limit and period");
    Map<String, String> scope = null;
    BigDecimal limit = null;
    BudgetPeriod period = BudgetPeriod.LIFETIME;
    List<String> alerts = defaultAlerts;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String name = p.getCurrentName();
      String field = at + "." + name;
      p.nextToken();
      switch (name) {
        case "scope":
          scope = scope(field);
          break;
        case "limit":
          limit = limit(field);
          break;
        case "period":
          period = period(field);
          break;
        case "alerts":
          alerts = alerts(field);
          break;
        default:
          throw new Invalid(file, line(), field, "unknown field (allowed: scope, limit, period, alerts)");
      }
    }
    if (limit == null) {
      throw new Invalid(file, line, at + ".limit", "missing");
    }
    return new BudgetSpec(scope == null ? Map.of() : scope, limit, period, alerts, file.getFileName() + ":" + line);
  }

  private Map<String, String> scope(String field) throws IOException, Invalid {
    expect(p.currentToken() == JsonToken.START_OBJECT, field, "must be an object of dimension → value, e.g. {\"tenant\":\"acme\"}");
    Map<String, String> scope = new LinkedHashMap<>();
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String dimension = p.getCurrentName();
      JsonToken t = p.nextToken();
      expect(BudgetSpec.isDimension(dimension), field + "." + dimension,
          "a dimension is an attribute name [a-z0-9_-]{1,32}, model or provider");
      expect(t == JsonToken.VALUE_STRING && !p.getText().isEmpty(), field + "." + dimension,
          "must be a non-empty string (a value, or * for each value)");
      scope.put(dimension, p.getText());
    }
    return scope;
  }

  private BigDecimal limit(String field) throws IOException, Invalid {
    JsonToken t = p.currentToken();
    BigDecimal d = t == JsonToken.VALUE_NUMBER_INT || t == JsonToken.VALUE_NUMBER_FLOAT || t == JsonToken.VALUE_STRING
        ? BudgetSpec.credits(p.getText()) : null;
    if (d == null) {
      throw new Invalid(file, line(), field, "must be a number of credits, 0 or more (for example 5 or 0.50)");
    }
    return d;
  }

  private BudgetPeriod period(String field) throws IOException, Invalid {
    BudgetPeriod period = p.currentToken() == JsonToken.VALUE_STRING ? BudgetPeriod.parse(p.getText()) : null;
    if (p.currentToken() == JsonToken.VALUE_STRING && p.getText().equalsIgnoreCase("lifetime")) {
      return BudgetPeriod.LIFETIME;
    }
    if (period == null) {
      throw new Invalid(file, line(), field, "must be one of hour, day, week, month, lifetime");
    }
    return period;
  }

  private List<String> alerts(String field) throws IOException, Invalid {
    expect(p.currentToken() == JsonToken.START_ARRAY, field, "must be an array such as [\"50%\",\"90%\"]");
    List<String> alerts = new ArrayList<>();
    while (p.nextToken() != JsonToken.END_ARRAY) {
      String at = field + "[" + alerts.size() + "]";
      try {
        alerts.addAll(BudgetSpec.alerts(p.getText()));
      } catch (IllegalArgumentException e) {
        throw new Invalid(file, line(), at, "must be " + e.getMessage());
      }
    }
    return alerts;
  }

  private void expect(boolean ok, String field, String problem) throws Invalid {
    if (!ok) {
      throw new Invalid(file, line(), field, problem);
    }
  }

  private long line() {
    return p.getTokenLocation().getLineNr();
  }
}
