package dev.tollgate.agent.source;

/** Joining a configured base URL and an API path without doubling or dropping the slash. */
final class Urls {
  private Urls() {}

  static String join(String base, String path) {
    String b = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return path.isEmpty() ? b : b + (path.startsWith("/") ? path : "/" + path);
  }
}
