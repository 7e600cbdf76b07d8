package dev.tollgate.agent.endpoint;

import dev.tollgate.agent.usage.RequestKeys;

/**
 * A metered model operation on one endpoint, for example OpenAI chat completions on
 * api.openai.com. Instances are created once per endpoint, so classification never allocates.
 */
public final class Operation {
  private final Endpoint endpoint;
  private final String name;
  private final String pathSuffix;
  private final boolean alwaysStreams;
  private final RequestKeys requestKeys;

  Operation(Endpoint endpoint, String name, String pathSuffix, boolean alwaysStreams, RequestKeys requestKeys) {
    this.endpoint = endpoint;
    this.name = name;
    this.pathSuffix = pathSuffix;
    this.alwaysStreams = alwaysStreams;
    this.requestKeys = requestKeys;
  }

  public Endpoint endpoint() {
    return endpoint;
  }

  public Format format() {
    return endpoint.format();
  }

  public String provider() {
    return endpoint.provider();
  }

  /** The provider whose prices apply: the format's price table if it has one, else {@link #provider()}. */
  public String pricingProvider() {
    String table = endpoint.format().priceTable();
    return table != null ? table : endpoint.provider();
  }

  /** Short name recorded in the journal: {@code chat}, {@code responses}, {@code messages}... */
  public String name() {
    return name;
  }

  /** The end of the paths it matches: {@code /chat/completions}, {@code :generateContent}. */
  public String pathSuffix() {
    return pathSuffix;
  }

  /** The keys its request body names the model, the output bound and a stream with. */
  public RequestKeys requestKeys() {
    return requestKeys;
  }

  /** {@code true} when the path itself asks for a stream (Gemini {@code streamGenerateContent}). */
  public boolean alwaysStreams() {
    return alwaysStreams;
  }

  /**
   * Whether the path (query already cut off at {@code pathEnd}) ends with this operation, past the
   * endpoint's prefix (which ends at {@code baseEnd}).
   */
  boolean matches(String url, int baseEnd, int pathEnd) {
    int start = pathEnd - pathSuffix.length();
    return start >= baseEnd && url.regionMatches(start, pathSuffix, 0, pathSuffix.length())
        && endpoint.format().isOperationPath(this, url, baseEnd, pathEnd);
  }

  @Override
  public String toString() {
    return endpoint.provider() + ':' + name;
  }
}
