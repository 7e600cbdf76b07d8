package dev.tollgate.agent.usage;

import dev.tollgate.agent.endpoint.Endpoint;
import dev.tollgate.agent.endpoint.Format;
import dev.tollgate.agent.endpoint.Operation;
import java.util.List;

/** Anthropic's Messages API, JSON and SSE. */
final class AnthropicFormat extends Format {
  AnthropicFormat() {
    super("anthropic");
  }

  @Override
  protected List<Operation> operations(Endpoint e) {
    return List.of(operation(e, "messages", "/messages", false));
  }

  @Override
  public UsageTap newTap(/* @Nullable */ String contentType) {
    return UsageTap.sseOrJson(contentType, new AnthropicUsageReader());
  }
}
