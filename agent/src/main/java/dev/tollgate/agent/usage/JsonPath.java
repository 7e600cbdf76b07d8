package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Walks a JSON token stream keeping the field name at each depth, and hands every scalar to a
 * {@link UsageReader}. Works with the non-blocking parser (body fed as it arrives) and a plain one
 * (one SSE event). Depth is 1 inside the root object. Keeps the names of the open levels only,
 * so its memory does not grow with the body.
 */
final class JsonPath {
  private static final int MAX_DEPTH = 8;

  private final String[] names = new String[MAX_DEPTH + 1];
  private int depth;

  int depth() {
    return depth;
  }

  /** The field name at {@code level} (1 = a field of the root), or null in an array or too deep. */
  @Nullable
  String name(int level) {
    return level >= 1 && level <= MAX_DEPTH && level <= depth ? names[level] : null;
  }

  /** Whether the field at {@code level} is named {@code expected}. */
  boolean is(int level, String expected) {
    return expected.equals(name(level));
  }

  /**
   * Consumes tokens until the parser needs more input or the root value closes.
   *
   * @return {@code true} when the root value closed
   */
  boolean scan(JsonParser p, UsageReader reader) throws IOException {
    JsonToken t;
    while ((t = p.nextToken()) != null && t != JsonToken.NOT_AVAILABLE) {
      switch (t) {
        case START_OBJECT:
        case START_ARRAY:
          depth++;
          if (depth <= MAX_DEPTH) {
            names[depth] = null;
          }
          break;
        case END_OBJECT:
        case END_ARRAY:
          depth--;
          if (depth == 0) {
            return true;
          }
          break;
        case FIELD_NAME:
          if (depth <= MAX_DEPTH) {
            names[depth] = p.currentName();
          }
          break;
        default:
          if (depth <= MAX_DEPTH && t.isScalarValue()) {
            reader.value(this, p, t);
          }
      }
    }
    return false;
  }

  void reset() {
    depth = 0;
  }
}
