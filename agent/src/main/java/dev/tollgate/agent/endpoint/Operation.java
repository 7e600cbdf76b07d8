package dev.tollgate.agent.endpoint;

import java.util.List;

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

  /** The model operations of {@code format}, created once per endpoint. */
  static List<Operation> of(Endpoint e, Format format) {
    switch (format) {
      case OPENAI:
        return List.of(
            new Operation(e, "chat", "/chat/completions", false),
            new Operation(e, "responses", "/responses", false),
            new Operation(e, "embeddings", "/embeddings", false),
            new Operation(e, "completions", "/completions", false));
      case ANTHROPIC:
        return List.of(new Operation(e, "messages", "/messages", false));
      case COHERE:
        return List.of(new Operation(e, "chat", "/chat", false), new Operation(e, "embeddings", "/embed", false));
      case BEDROCK:
        return List.of(
            new Operation(e, "converse", "/converse", false),
            new Operation(e, "converse_stream", "/converse-stream", true),
            new Operation(e, "invoke", "/invoke", false),
            new Operation(e, "invoke_stream", "/invoke-with-response-stream", true));
      default:
        return List.of(
            new Operation(e, "generate_content", ":generateContent", false),
            new Operation(e, "stream_generate_content", ":streamGenerateContent", true));
    }
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

  /**
   * Whether the path (query already cut off at {@code pathEnd}) ends with this operation, past the
   * endpoint's prefix (which ends at {@code baseEnd}).
   */
  boolean matches(String url, int baseEnd, int pathEnd) {
    int start = pathEnd - pathSuffix.length();
    return start >= baseEnd && url.regionMatches(start, pathSuffix, 0, pathSuffix.length());
  }

  @Override
  public String toString() {
    return endpoint.provider() + ':' + name;
  }
}
