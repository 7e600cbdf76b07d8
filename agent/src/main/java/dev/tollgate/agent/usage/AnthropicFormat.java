package dev.tollgate.agent.usage;

import dev.tollgate.agent.endpoint.Endpoint;
import dev.tollgate.agent.endpoint.Format;
import dev.tollgate.agent.endpoint.Operation;
import java.util.List;

/**
 * Anthropic's Messages API, JSON and SSE: on {@code /messages}, and on Vertex AI at
 * {@code …/publishers/anthropic/models/{model}:rawPredict} and {@code :streamRawPredict}, where the
 * body names no model (the path does) and Vertex's token counting ({@code count-tokens}) is no call.
 */
final class AnthropicFormat extends Format {
  private static final String VERTEX_MODELS = "/publishers/anthropic/models/";
  private static final String VERTEX_COUNT_TOKENS = VERTEX_MODELS + "count-tokens:";
  private static final String VERTEX_PROJECTS = "/projects/";

  AnthropicFormat() {
    super("anthropic");
  }

  @Override
  protected List<Operation> operations(Endpoint e) {
    return List.of(
        operation(e, "messages", "/messages", false),
        operation(e, "messages", ":rawPredict", false),
        operation(e, "messages", ":streamRawPredict", true));
  }

  /** Vertex's suffixes only under Anthropic's publisher path (not its token counting); {@code /messages} never under a Vertex project. */
  @Override
  protected boolean isOperationPath(Operation op, String url, int baseEnd, int pathEnd) {
    if (op.pathSuffix().charAt(0) != ':') {
      int projects = url.indexOf(VERTEX_PROJECTS, baseEnd);
      return projects < 0 || projects >= pathEnd;
    }
    int models = url.indexOf(VERTEX_MODELS, baseEnd);
    return models >= 0 && models < pathEnd && !url.startsWith(VERTEX_COUNT_TOKENS, models);
  }

  /** Vertex AI: {@code …/publishers/anthropic/models/claude-sonnet-4@20250514:rawPredict}. */
  @Override
  public /* @Nullable */ String modelInPath(String url) {
    return Endpoint.segmentAfter(url, VERTEX_MODELS, ':');
  }

  @Override
  public UsageTap newTap(/* @Nullable */ String contentType) {
    return UsageTap.sseOrJson(contentType, new AnthropicUsageReader());
  }
}
