package dev.tollgate.agent.cli;

/** Text and attribute escaping for the report's page, which is also well-formed XML (XHTML syntax). */
final class Html {
  private Html() {}

  /** {@code s} safe in element text and in a double-quoted attribute; control characters dropped. */
  static String escape(String s) {
    StringBuilder b = new StringBuilder(s.length() + 8);
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '&':
          b.append("&amp;");
          break;
        case '<':
          b.append("&lt;");
          break;
        case '>':
          b.append("&gt;");
          break;
        case '"':
          b.append("&quot;");
          break;
        case '\'':
          b.append("&#39;");
          break;
        default:
          if (c >= 0x20 || c == '\t' || c == '\n') {
            b.append(c);
          }
      }
    }
    return b.toString();
  }
}
