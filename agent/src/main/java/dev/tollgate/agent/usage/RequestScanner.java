package dev.tollgate.agent.usage;

import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * One pass over the bytes of a request body for what the pre-flight needs: the model, the output
 * bound, whether it streams, the characters and number of its string values (for the heuristic),
 * and an upper bound on the tokens any counting of its text could give.
 *
 * <p>It exists for speed: a JSON parser turns every key and string into objects, and the pre-flight
 * runs before every metered call. It reads well-formed JSON objects in UTF-8 as the parser would and
 * gives up ({@link #scan} returns false) on anything else — a key or model with an escape, a number
 * out of range, invalid UTF-8, a control character, a structure error, deep nesting — so the caller
 * can read such a body with the parser and get exactly the parser's answer, errors included.
 */
final class RequestScanner {
  /** Deeper than this, the parser refuses the body ({@code UsageTap.JSON}'s limit). */
  private static final int MAX_DEPTH = 64;
  /**
   * Tokens of framing a counting can add per container (a message's 3 and a name's 1, a function's 7
   * or 10, a property list's 3), per string (a property's 3, an enum item's 3) and once (the reply's
   * 3 and the tool list's 12): see {@link PromptTokens}. Every token of text is at least one byte.
   */
  static final int BOUND_PER_CONTAINER = 12;
  /** Below the parser's default limits on a number's and a name's length: longer ones are the parser's to judge. */
  private static final int MAX_NUMBER_LENGTH = 1000;
  private static final int MAX_NAME_BYTES = 50_000;
  private static final int MAX_STRING_BYTES = 20_000_000;
  static final int BOUND_PER_STRING = 4;
  static final int BOUND_ONCE = 16;

  private static final int OTHER = 0;
  private static final int MODEL = 1;
  private static final int MAX_OUTPUT = 2;
  private static final int STREAM = 3;
  /** A member of a root container that bounds the output (Gemini's {@code generationConfig.maxOutputTokens}). */
  private static final int NESTED_MAX_OUTPUT = 4;
  /** The root key of container {@code k} of {@link RequestKeys#nestedIn} is {@code CONTAINER + k}. */
  private static final int CONTAINER = 5;
  // Scalars
  private static final int STRING = 0;
  private static final int INTEGER = 1;
  private static final int TRUE = 2;
  private static final int OTHER_SCALAR = 3;

  private static final byte[] MODEL_KEY = EventFilter.ascii(RequestKeys.MODEL);
  private static final byte[] STREAM_KEY = EventFilter.ascii(RequestKeys.STREAM);
  private static final byte[] TTL_KEY = EventFilter.ascii(RequestKeys.TTL);
  private static final byte[] ONE_HOUR = EventFilter.ascii(RequestKeys.ONE_HOUR);

  private static final long HIGHS = 0x8080808080808080L;
  private static final long QUOTES = ByteScan.pattern('"');
  private static final long BACKSLASHES = ByteScan.pattern('\\');
  private static final long SPACES = ByteScan.pattern(' ');

  @Nullable
  String model;
  long maxOutput = -1;
  boolean stream;
  /** Characters of the string values the parser would count (UTF-16 units, as {@code String.length()}). */
  long textChars;
  long values;
  /** At least the tokens {@link PromptTokens} can count for this body with any encoding. */
  long tokenBound;
  /** Whether a member {@code "ttl":"1h"} is anywhere in the body: Anthropic's 1-hour cache ({@link RequestKeys#TTL}). */
  boolean cacheTtl1h;

  private final byte[] b;
  private final RequestKeys keys;
  private final BodyPointers pointers;
  /** Where the scan puts the value of each pointer it finds; null when there are none. */
  private final String @Nullable [] found;
  /** By depth: the pointers whose members so far match the path to the open container, and those the last key there matched. */
  private final long @Nullable [] pathMasks;
  private final long @Nullable [] keyMasks;
  private int i;
  private int containers;
  private int strings;
  private long stringBytes;
  /** Set by {@link #string(int)}: where the string's content ended, and its characters. */
  private int stringEnd;
  private int stringChars;
  private boolean stringEscaped;

  private RequestScanner(byte[] body, RequestKeys keys, BodyPointers pointers, String @Nullable [] found) {
    this.b = body;
    this.keys = keys;
    this.stream = keys.streamByDefault;
    this.pointers = pointers;
    boolean picking = !pointers.isEmpty() && found != null;
    this.found = picking ? found : null;
    // Deeper than the deepest pointer nothing can match: the masks stop there.
    this.pathMasks = picking ? new long[pointers.deeperThan.length + 1] : null;
    this.keyMasks = picking ? new long[pointers.deeperThan.length + 1] : null;
  }

  /** The scan of {@code body}, or null when it is not a plain well-formed JSON object. */
  static @Nullable RequestScanner scan(byte[] body) {
    return scan(body, RequestKeys.COMMON, BodyPointers.NONE, null);
  }

  /**
   * As {@link #scan(byte[])}, also picking out the string or number each of {@code pointers} names
   * into {@code found} (same index; left as it is where the body has none). {@code found} may be
   * partly filled when the scan gives up.
   */
  static @Nullable RequestScanner scan(byte[] body, BodyPointers pointers, String @Nullable [] found) {
    return scan(body, RequestKeys.COMMON, pointers, found);
  }

  /** As {@link #scan(byte[], BodyPointers, String[])}, reading the request's own {@code keys}. */
  static @Nullable RequestScanner scan(byte[] body, RequestKeys keys, BodyPointers pointers, String @Nullable [] found) {
    RequestScanner s = new RequestScanner(body, keys, pointers, found);
    try {
      return s.object() ? s : null;
    } catch (ArrayIndexOutOfBoundsException truncated) {
      // The body ended inside a value: cheaper to catch once than to check the end at every byte.
      return null;
    }
  }

  private boolean object() {
    skipSpace();
    if (i >= b.length || b[i] != '{') {
      return false;
    }
    // Containers open at each depth: true for an object. Depth 1 is the root object.
    boolean[] objects = new boolean[MAX_DEPTH + 1];
    int depth = 1;
    objects[1] = true;
    containers = 1;
    if (pathMasks != null) {
      pathMasks[1] = pointers.deeperThan[0];
    }
    i++;
    int rootKey = OTHER;
    int depth2Key = OTHER;
    int container = -1; // the root container (of RequestKeys.nestedIn) open at depth 2, or -1
    boolean expectValue = false; // after a key and its colon, or after '[' or ','
    boolean ttlKey = false; // the key just read is "ttl"
    boolean first = true; // nothing yet in the open container
    while (true) {
      skipSpace();
      byte c = b[i];
      if (!expectValue) {
        if (c == '}' || c == ']') {
          if ((c == '}') != objects[depth]) {
            return false;
          }
          i++;
          if (--depth == 0) {
            skipSpace();
            tokenBound = stringBytes + (long) BOUND_PER_STRING * strings + (long) BOUND_PER_CONTAINER * containers + BOUND_ONCE;
            return i == b.length;
          }
          if (depth == 1) {
            container = -1;
          }
          first = false;
          continue;
        }
        if (!first) {
          if (c != ',') {
            return false;
          }
          i++;
          skipSpace();
          c = b[i];
        }
        if (!objects[depth]) {
          expectValue = true;
          first = false;
          continue;
        }
        // a key
        if (c != '"' || !string(MAX_NAME_BYTES) || stringEscaped) {
          return false;
        }
        int keyStart = i + 1;
        int key = depth == 1 ? rootKey(keyStart, stringEnd)
            : depth == 2 && container >= 0 && matches(keyStart, stringEnd, keys.nestedMaxOutputBytes[container]) ? NESTED_MAX_OUTPUT
                : OTHER;
        if (depth == 1) {
          rootKey = key;
        } else if (depth == 2) {
          depth2Key = key;
        }
        ttlKey = matches(keyStart, stringEnd, TTL_KEY);
        if (pathMasks != null && keyMasks != null && depth < pathMasks.length) {
          keyMasks[depth] = pathMasks[depth] == 0 ? 0 : keyMask(pathMasks[depth], depth, keyStart, stringEnd);
        }
        i = stringEnd + 1;
        skipSpace();
        if (b[i] != ':') {
          return false;
        }
        i++;
        expectValue = true;
        first = false;
        continue;
      }
      // a value; its name is the key just read when the open container is an object
      int name = !objects[depth] ? OTHER : depth == 1 ? rootKey : depth == 2 ? depth2Key : OTHER;
      long picked = keyMasks != null && objects[depth] && depth < keyMasks.length ? keyMasks[depth] : 0; // set with pathMasks
      boolean ttl = ttlKey && objects[depth];
      ttlKey = false;
      expectValue = false;
      if (c == '{' || c == '[') {
        if (depth == MAX_DEPTH) {
          return false;
        }
        if (pathMasks != null && keyMasks != null && depth + 1 < pathMasks.length) {
          pathMasks[depth + 1] = c == '{' && depth < pointers.deeperThan.length ? picked & pointers.deeperThan[depth] : 0;
          keyMasks[depth + 1] = 0;
        }
        depth++;
        objects[depth] = c == '{';
        containers++;
        container = depth == 2 && name >= CONTAINER && c == '{' ? name - CONTAINER : -1;
        if (depth == 2) {
          depth2Key = OTHER;
        }
        first = true;
        i++;
        // an empty container closes in the loop; otherwise a key or a value comes next
        skipSpace();
        if (b[i] != '}' && b[i] != ']') {
          expectValue = c == '[';
          if (c == '[') {
            first = false;
          }
        }
        continue;
      }
      // a scalar, applied as the parser's reading applies it
      int start = i;
      int type;
      long n = 0;
      if (c == '"') {
        if (!string(MAX_STRING_BYTES)) {
          return false;
        }
        i = stringEnd + 1;
        type = STRING;
      } else if (c == '-' || (c >= '0' && c <= '9')) {
        n = number(name == MAX_OUTPUT || name == NESTED_MAX_OUTPUT);
        if (n == Long.MIN_VALUE) {
          return false;
        }
        type = n == Long.MAX_VALUE ? OTHER_SCALAR : INTEGER;
      } else if (literal("true")) {
        type = TRUE;
      } else if (literal("false") || literal("null")) {
        type = OTHER_SCALAR;
      } else {
        return false;
      }
      if (picked != 0 && depth < pointers.endingAt.length && (picked &= pointers.endingAt[depth]) != 0
          && (type == STRING || type == INTEGER || (type == OTHER_SCALAR && c != 'f' && c != 'n'))) {
        pick(picked, type == STRING ? scalarString(start) : new String(b, start, i - start, StandardCharsets.US_ASCII));
      }
      if (ttl && type == STRING && isOneHour(start)) {
        cacheTtl1h = true;
      }
      if (name == MODEL) {
        if (type == STRING && stringEscaped) {
          return false;
        }
        model = type == STRING ? new String(b, start + 1, stringEnd - start - 1, StandardCharsets.UTF_8) : null;
      } else if (name == MAX_OUTPUT) {
        maxOutput = type == INTEGER ? n : maxOutput;
      } else if (name == STREAM) {
        stream = type == TRUE;
      } else if (name == NESTED_MAX_OUTPUT && type == INTEGER) {
        maxOutput = n;
      } else if (type == STRING) {
        textChars += stringChars;
        values++;
      }
    }
  }

  /** The pointers of {@code pathMask} (at {@code depth}) whose member at this depth is the key {@code b[from, to)}. */
  private long keyMask(long pathMask, int depth, int from, int to) {
    long result = 0;
    for (long m = pathMask; m != 0; m &= m - 1) {
      int p = Long.numberOfTrailingZeros(m);
      if (matches(from, to, pointers.segments[p][depth - 1])) {
        result |= 1L << p;
      }
    }
    return result;
  }

  private void pick(long picked, @Nullable String value) {
    String[] found = this.found;
    for (long m = picked; found != null && m != 0; m &= m - 1) {
      found[Long.numberOfTrailingZeros(m)] = value; // a repeated key: the last wins, as with the parser
    }
  }

  /** The string whose quotes are at {@code start} and {@link #stringEnd}, its escapes decoded. */
  private @Nullable String scalarString(int start) {
    if (!stringEscaped) {
      return new String(b, start + 1, stringEnd - start - 1, StandardCharsets.UTF_8);
    }
    try (com.fasterxml.jackson.core.JsonParser p = UsageTap.JSON.createParser(b, start, stringEnd - start + 1)) {
      p.nextToken();
      return p.getText(); // rare: the scan has checked the string, the parser only decodes it
    } catch (java.io.IOException e) {
      return null;
    }
  }

  /** Whether the string whose quotes are at {@code start} and {@link #stringEnd} is {@code 1h}. */
  private boolean isOneHour(int start) {
    return stringEscaped ? RequestKeys.ONE_HOUR.equals(scalarString(start)) : matches(start + 1, stringEnd, ONE_HOUR);
  }

  private int rootKey(int from, int to) {
    if (matches(from, to, MODEL_KEY)) {
      return MODEL;
    }
    if (matches(from, to, STREAM_KEY)) {
      return STREAM;
    }
    for (byte[] key : keys.maxOutputBytes) {
      if (matches(from, to, key)) {
        return MAX_OUTPUT;
      }
    }
    for (int k = 0; k < keys.nestedInBytes.length; k++) {
      if (matches(from, to, keys.nestedInBytes[k])) {
        return CONTAINER + k;
      }
    }
    return OTHER;
  }

  /** Whether {@code b[from, to)} is exactly {@code key}. */
  private boolean matches(int from, int to, byte[] key) {
    return to - from == key.length && EventFilter.startsWith(b, from, to, key);
  }

  /**
   * Reads the string whose opening quote is at {@link #i}: sets {@link #stringEnd} (its closing
   * quote), {@link #stringChars} and {@link #stringEscaped}; false when the parser would refuse it.
   */
  private boolean string(int maxBytes) {
    int j = i + 1;
    int chars = 0;
    boolean escaped = false;
    while (true) {
      // Text is most of a body: eight bytes at a time, straight to the first that needs a closer look.
      if (j + Long.BYTES <= b.length) {
        long flagged = specials(ByteScan.word(b, j));
        int plain = flagged == 0 ? Long.BYTES : ByteScan.firstFlagged(flagged);
        j += plain;
        chars += plain;
        if (flagged == 0) {
          continue;
        }
      }
      int c = b[j];
      if (c >= 0x20 && c != '"' && c != '\\') {
        j++;
        chars++;
        continue;
      }
      if (c == '"') {
        break;
      }
      if (c == '\\') {
        escaped = true;
        int e = b[j + 1];
        if (e == 'u') {
          for (int h = j + 2; h < j + 6; h++) {
            if (Character.digit(b[h], 16) < 0) {
              return false;
            }
          }
          j += 6;
        } else if (e == '"' || e == '\\' || e == '/' || e == 'b' || e == 'f' || e == 'n' || e == 'r' || e == 't') {
          j += 2;
        } else {
          return false;
        }
        chars++;
        continue;
      }
      if (c >= 0) {
        return false; // an unescaped control character
      }
      int n = utf8Sequence(j);
      if (n == 0) {
        return false;
      }
      chars += n == 4 ? 2 : 1; // beyond the BMP, a surrogate pair
      j += n;
    }
    if (j - i - 1 > maxBytes) {
      return false;
    }
    stringEnd = j;
    stringChars = chars;
    stringEscaped = escaped;
    strings++;
    stringBytes += j - i - 1;
    return true;
  }

  /**
   * The high bit of each of eight bytes that is not printable ASCII other than a quote or a
   * backslash, as {@link ByteScan#zeroBytes} flags: a quote or a backslash is a zero byte once XORed
   * with it; {@code w - 0x20…} sets the high bit of a control character; a non-ASCII byte has it set
   * already. A borrow can flag a plain byte above a control character, never one below: the lowest
   * flag is always a byte that needs a closer look.
   */
  private static long specials(long w) {
    return (ByteScan.zeroBytes(w ^ QUOTES) | ByteScan.zeroBytes(w ^ BACKSLASHES) | (w - SPACES) | w) & HIGHS;
  }

  /** The length of the well-formed UTF-8 sequence at {@code j} (RFC 3629), or 0. */
  private int utf8Sequence(int j) {
    int lead = b[j] & 0xff;
    int n;
    int min2 = 0x80;
    int max2 = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
      n = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
      n = 3;
      min2 = lead == 0xe0 ? 0xa0 : 0x80;
      max2 = lead == 0xed ? 0x9f : 0xbf;
    } else if (lead >= 0xf0 && lead <= 0xf4) {
      n = 4;
      min2 = lead == 0xf0 ? 0x90 : 0x80;
      max2 = lead == 0xf4 ? 0x8f : 0xbf;
    } else {
      return 0;
    }
    int second = b[j + 1] & 0xff;
    if (second < min2 || second > max2) {
      return 0;
    }
    for (int k = 2; k < n; k++) {
      int cont = b[j + k] & 0xff;
      if (cont < 0x80 || cont > 0xbf) {
        return 0;
      }
    }
    return n;
  }

  /**
   * Reads a JSON number at {@link #i}. Returns its value when {@code wanted} and it is an integer
   * the parser reads as one, {@link Long#MAX_VALUE} for any other well-formed number, and {@link
   * Long#MIN_VALUE} when the parser would refuse it (or might not read it as a long).
   */
  private long number(boolean wanted) {
    int start = i;
    if (b[i] == '-') {
      i++;
    }
    int digitsFrom = i;
    while (i < b.length && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    int digits = i - digitsFrom;
    if (digits == 0 || (digits > 1 && b[digitsFrom] == '0')) {
      return Long.MIN_VALUE;
    }
    boolean integer = true;
    if (i < b.length && b[i] == '.') {
      integer = false;
      i++;
      if (!digits()) {
        return Long.MIN_VALUE;
      }
    }
    if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
      integer = false;
      i++;
      if (i < b.length && (b[i] == '+' || b[i] == '-')) {
        i++;
      }
      if (!digits()) {
        return Long.MIN_VALUE;
      }
    }
    if (i < b.length && !isDelimiter(b[i])) {
      return Long.MIN_VALUE;
    }
    if (i - start > MAX_NUMBER_LENGTH) {
      return Long.MIN_VALUE;
    }
    if (!wanted || !integer) {
      return Long.MAX_VALUE;
    }
    if (digits > 18) {
      return Long.MIN_VALUE; // may not fit a long: the parser decides
    }
    long n = 0;
    for (int k = digitsFrom; k < i; k++) {
      n = n * 10 + (b[k] - '0');
    }
    return b[start] == '-' ? -n : n;
  }

  private boolean digits() {
    int from = i;
    while (i < b.length && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    return i > from;
  }

  private boolean literal(String word) {
    int end = i + word.length();
    if (end > b.length) {
      return false;
    }
    for (int k = 0; k < word.length(); k++) {
      if (b[i + k] != word.charAt(k)) {
        return false;
      }
    }
    if (end < b.length && !isDelimiter(b[end])) {
      return false;
    }
    i = end;
    return true;
  }

  private static boolean isDelimiter(byte c) {
    return c == ',' || c == '}' || c == ']' || c == ' ' || c == '\n' || c == '\r' || c == '\t';
  }

  private void skipSpace() {
    while (i < b.length) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        return;
      }
      i++;
    }
  }
}
