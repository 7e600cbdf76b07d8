package dev.tollgate.agent.usage;

import dev.tollgate.agent.endpoint.Endpoint;
import dev.tollgate.agent.endpoint.Format;
import dev.tollgate.agent.endpoint.Operation;
import java.util.List;

/**
 * Ollama's native API: {@code /api/chat}, {@code /api/generate}, {@code /api/embed} and the legacy
 * {@code /api/embeddings}. Chat and generate stream NDJSON ({@code application/x-ndjson}, one JSON
 * object a line) unless the request says {@code "stream": false}; {@code options.num_predict} bounds
 * the output. Its models run locally: priced from the {@code ollama} price table (0 unless
 * {@code tollgate.pricing-file} prices them), on the built-in endpoint and on configured ones alike.
 */
final class OllamaFormat extends Format {
  private static final RequestKeys GENERATING = RequestKeys.COMMON.withMaxOutputIn("options", "num_predict").streamingByDefault();

  OllamaFormat() {
    super("ollama");
  }

  @Override
  protected List<Operation> operations(Endpoint e) {
    return List.of(
        operation(e, "chat", "/api/chat", false, GENERATING),
        operation(e, "generate", "/api/generate", false, GENERATING),
        operation(e, "embeddings", "/api/embed", false),
        operation(e, "embeddings", "/api/embeddings", false));
  }

  @Override
  public /* @Nullable */ String priceTable() {
    return "ollama";
  }

  @Override
  public UsageTap newTap(/* @Nullable */ String contentType) {
    return new JsonUsageTap(new OllamaUsageReader(), UsageTap.isContentType(contentType, "application/x-ndjson"));
  }
}
