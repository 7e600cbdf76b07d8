package dev.tollgate.agent.usage;

import dev.tollgate.agent.endpoint.Endpoint;
import dev.tollgate.agent.endpoint.Format;
import dev.tollgate.agent.endpoint.Operation;
import java.util.List;

/** OpenAI's API and every OpenAI-compatible host: chat completions, Responses, embeddings, legacy completions. */
final class OpenAiFormat extends Format {
  OpenAiFormat() {
    super("openai");
  }

  @Override
  protected List<Operation> operations(Endpoint e) {
    return List.of(
        operation(e, "chat", "/chat/completions", false),
        operation(e, "responses", "/responses", false),
        operation(e, "embeddings", "/embeddings", false),
        operation(e, "completions", "/completions", false));
  }

  @Override
  public boolean countsInputWithTokenizer() {
    return true;
  }

  @Override
  public UsageTap newTap(/* @Nullable */ String contentType) {
    return UsageTap.sseOrJson(contentType, new OpenAiUsageReader());
  }
}
