package dev.tollgate.agent.instrument.grpc.support;

/**
 * The {@code message} of the blocked call's JSON body ({@code {"error":{…,"message":"Tollgate blocked
 * this call to vertex (gemini-2.0-flash): it needs up to …"}}}), for the gRPC status' description: a
 * gRPC client has no body to show. The body is Tollgate's own, so a plain scan for the key suffices.
 */
final class BlockedMessage {
  private static final String KEY = "\"message\":\"";

  private BlockedMessage() {}

  /** The unescaped message, or the whole body when it has none. */
  static String of(String json) {
    int start = json.indexOf(KEY);
    if (start < 0) {
      return json;
    }
    StringBuilder message = new StringBuilder();
    for (int i = start + KEY.length(); i < json.length(); i++) {
      char c = json.charAt(i);
      if (c == '"') {
        return message.toString();
      }
      if (c == '\\' && i + 1 < json.length()) {
        i = unescape(json, i + 1, message);
      } else {
        message.append(c);
      }
    }
    return json;
  }

  /** Appends the escape at {@code at} (past the backslash); returns the index of its last character. */
  private static int unescape(String json, int at, StringBuilder out) {
    char e = json.charAt(at);
    switch (e) {
      case 'n':
        out.append('\n');
        return at;
      case 'r':
        out.append('\r');
        return at;
      case 't':
        out.append('\t');
        return at;
      case 'b':
        out.append('\b');
        return at;
      case 'f':
        out.append('\f');
        return at;
      case 'u':
        if (at + 4 < json.length()) {
          out.append((char) Integer.parseInt(json.substring(at + 1, at + 5), 16));
          return at + 4;
        }
        return json.length();
      default:
        out.append(e); // \" \\ \/
        return at;
    }
  }
}
