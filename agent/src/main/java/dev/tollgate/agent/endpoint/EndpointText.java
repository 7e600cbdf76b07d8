package dev.tollgate.agent.endpoint;

/** The endpoint as recorded: scheme, host, port and path. Never the query string or user info. */
public final class EndpointText {
  private EndpointText() {}

  /** {@code url} without its query, fragment and user info: what may be logged or recorded. */
  public static String of(String url) {
    int end = pathEnd(url);
    int scheme = url.indexOf("://");
    int hostStart = scheme < 0 ? 0 : scheme + 3;
    int slash = url.indexOf('/', hostStart);
    int authorityEnd = slash < 0 || slash > end ? end : slash;
    int at = url.lastIndexOf('@', authorityEnd - 1);
    if (at >= hostStart) {
      return url.substring(0, hostStart) + url.substring(at + 1, end);
    }
    return url.substring(0, end);
  }

  /** Where the query or the fragment starts, whichever is first: a '?' inside a fragment is no query. */
  private static int pathEnd(String url) {
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c == '?' || c == '#') {
        return i;
      }
    }
    return url.length();
  }
}
