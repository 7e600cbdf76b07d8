package dev.tollgate.agent.pricing;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The line each field of a JSON document starts on, by dotted path ({@code models.gpt-4o.input}),
 * so that an error in a price file can say where to look. A tree model keeps no locations.
 */
final class JsonLines {
  private static final JsonFactory JSON = new JsonFactory();

  private final Map<String, Integer> lines;

  private JsonLines(Map<String, Integer> lines) {
    this.lines = lines;
  }

  /** Reads the whole document. @throws IOException if it is not well-formed JSON (with its location) */
  static JsonLines of(byte[] json) throws IOException {
    Map<String, Integer> lines = new HashMap<>();
    List<String> names = new ArrayList<>();
    try (JsonParser p = JSON.createParser(json)) {
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
          names.add(null);
        } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
          names.remove(names.size() - 1);
        } else if (t == JsonToken.FIELD_NAME) {
          names.set(names.size() - 1, p.currentName());
          lines.putIfAbsent(String.join(".", names), p.currentTokenLocation().getLineNr());
        }
      }
    }
    return new JsonLines(lines);
  }

  /** "line N: " for the field at {@code path}, or "" when it is not in the document. */
  String at(String path) {
    Integer line = lines.get(path);
    return line == null ? "" : "line " + line + ": ";
  }
}
