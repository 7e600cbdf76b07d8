package dev.tollgate.agent.endpoint;

/**
 * A metered model operation on one endpoint, for example OpenAI chat completions on
 * api.openai.com. Instances are created once per endpoint, so classification never allocates.
 */
public final class Operation {
  private final Endpoint endpoint;
  private final String name;
  private final String pathSuffix;
  private final boolean alwaysStreams;

  Operation(Endpoint endpoint, String name, String pathSuffix, boolean alwaysStreams) {
    this.endpoint = endpoint;
    this.name = name;
    this.pathSuffix = pathSuffix;
    this.alwaysStreams = alwaysStreams;
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

  /** Short name recorded in the journal: {@code chat}, {@code responses}, {@code messages}... */
  public String name() {
    return name;
  }

  /** {@code true} when the path itself asks for a stream (Gemini {@code streamGenerateContent}). */
  public boolean alwaysStreams() {
    return alwaysStreams;
  }

  /** Whether the path (query already cut off at {@code pathEnd}) ends with this operation. */
  boolean matches(String url, int pathEnd) {
    int start = pathEnd - pathSuffix.length();
    return start >= endpoint.prefix().length() && url.regionMatches(start, pathSuffix, 0, pathSuffix.length());
  }

  @Override
  public String toString() {
    return endpoint.provider() + ':' + name;
  }
}
