package dev.tollgate.agent.meter;

/** The endpoint as recorded: scheme, host, port and path. Never the query string or user info. */
final class EndpointText {
  private EndpointText() {}

  static String of(String url) {
    int query = url.indexOf('?');
    int fragment = url.indexOf('#');
    int end = query < 0 ? (fragment < 0 ? url.length() : fragment) : query;
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
}
