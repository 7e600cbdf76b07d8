package dev.tollgate.agent.endpoint;

import java.util.List;

/** A metered API base: a URL prefix, the provider's name and its wire format. */
public final class Endpoint {
  private final String provider;
  private final String prefix;
  private final Format format;
  private final List<Operation> operations;

  Endpoint(String provider, String prefix, Format format) {
    this.provider = provider;
    this.prefix = stripTrailingSlash(prefix);
    this.format = format;
    this.operations = operationsOf(format);
  }

  public String provider() {
    return provider;
  }

  /** Scheme, host, optional port and base path, without a trailing slash. */
  public String prefix() {
    return prefix;
  }

  public Format format() {
    return format;
  }

  /**
   * The operation {@code url} calls on this endpoint, or null when it is not under the prefix or is
   * another path on the same host (a models or credits listing, a token count).
   */
  /* @Nullable */ Operation match(String url) {
    int n = prefix.length();
    if (!url.startsWith(prefix) || (url.length() > n && url.charAt(n) != '/' && url.charAt(n) != '?')) {
      return null;
    }
    int query = url.indexOf('?', n);
    int pathEnd = query < 0 ? url.length() : query;
    for (int i = 0; i < operations.size(); i++) {
      Operation op = operations.get(i);
      if (op.matches(url, pathEnd)) {
        return op;
      }
    }
    return null;
  }

  private List<Operation> operationsOf(Format f) {
    switch (f) {
      case OPENAI:
        return List.of(
            new Operation(this, "chat", "/chat/completions", false),
            new Operation(this, "responses", "/responses", false),
            new Operation(this, "embeddings", "/embeddings", false),
            new Operation(this, "completions", "/completions", false));
      case ANTHROPIC:
        return List.of(new Operation(this, "messages", "/messages", false));
      default:
        return List.of(
            new Operation(this, "generate_content", ":generateContent", false),
            new Operation(this, "stream_generate_content", ":streamGenerateContent", true));
    }
  }

  private static String stripTrailingSlash(String s) {
    return s.endsWith("/") ? s.substring(0, s.length() - 1) : s;
  }

  @Override
  public String toString() {
    return provider + '(' + format.wireName() + ")=" + prefix;
  }
}
