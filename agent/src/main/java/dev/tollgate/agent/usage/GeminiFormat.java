package dev.tollgate.agent.usage;

import dev.tollgate.agent.endpoint.Endpoint;
import dev.tollgate.agent.endpoint.Format;
import dev.tollgate.agent.endpoint.Operation;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Google Gemini and Vertex AI: {@code generateContent} and {@code streamGenerateContent} (SSE with
 * {@code alt=sse}, else one JSON array), the model in the path. Vertex AI over gRPC is the same
 * format: its calls are classified by the REST path they stand for, and its responses ({@code
 * application/grpc}) read by {@link GrpcUsageTap}.
 */
final class GeminiFormat extends Format {
  GeminiFormat() {
    super("gemini");
  }

  @Override
  protected List<Operation> operations(Endpoint e) {
    return List.of(
        operation(e, "generate_content", ":generateContent", false),
        operation(e, "stream_generate_content", ":streamGenerateContent", true));
  }

  /** {@code …/models/gemini-2.5-flash:generateContent}. */
  @Override
  public @Nullable String modelInPath(String url) {
    return Endpoint.segmentAfter(url, "/models/", ':');
  }

  @Override
  public UsageTap newTap(@Nullable String contentType) {
    if (UsageTap.isContentType(contentType, GrpcUsageTap.CONTENT_TYPE)) {
      return new GrpcUsageTap(new GeminiUsageReader());
    }
    return UsageTap.sseOrJson(contentType, new GeminiUsageReader());
  }
}
