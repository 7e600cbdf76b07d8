package dev.tollgate.agent.usage;

import dev.tollgate.agent.endpoint.Endpoint;
import dev.tollgate.agent.endpoint.Format;
import dev.tollgate.agent.endpoint.Operation;
import java.util.List;

/** Cohere's own v2 API: {@code /v2/chat}, {@code /v2/embed}, usage in {@code billed_units}. */
final class CohereFormat extends Format {
  CohereFormat() {
    super("cohere");
  }

  @Override
  protected List<Operation> operations(Endpoint e) {
    return List.of(operation(e, "chat", "/chat", false), operation(e, "embeddings", "/embed", false));
  }

  @Override
  public UsageTap newTap(/* @Nullable */ String contentType) {
    return UsageTap.sseOrJson(contentType, new CohereUsageReader());
  }
}
