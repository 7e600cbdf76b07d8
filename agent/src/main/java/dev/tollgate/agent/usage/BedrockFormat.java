package dev.tollgate.agent.usage;

import dev.tollgate.agent.endpoint.Endpoint;
import dev.tollgate.agent.endpoint.Format;
import dev.tollgate.agent.endpoint.Operation;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * AWS Bedrock Runtime: Converse, ConverseStream, InvokeModel and InvokeModelWithResponseStream on
 * {@code /model/{id}/…}, the model only in the path (URL-encoded: {@code us.anthropic.claude-…-v1%3A0},
 * ARNs); streams in AWS's binary event-stream framing ({@link EventStreamUsageTap}), everything else
 * JSON ({@link BedrockUsageReader} reads every body shape).
 */
final class BedrockFormat extends Format {
  /** Converse's {@code inferenceConfig.maxTokens}, Llama's {@code max_gen_len}, Titan's {@code maxTokenCount}. */
  private static final RequestKeys KEYS = RequestKeys.COMMON.withMaxOutput("max_gen_len")
      .withMaxOutputIn("inferenceConfig", "maxTokens")
      .withMaxOutputIn("textGenerationConfig", "maxTokenCount");
  private static final String EVENT_STREAM = "application/vnd.amazon.eventstream";

  BedrockFormat() {
    super("bedrock");
  }

  @Override
  protected List<Operation> operations(Endpoint e) {
    return List.of(
        operation(e, "converse", "/converse", false),
        operation(e, "converse_stream", "/converse-stream", true),
        operation(e, "invoke", "/invoke", false),
        operation(e, "invoke_stream", "/invoke-with-response-stream", true));
  }

  @Override
  public RequestKeys requestKeys() {
    return KEYS;
  }

  /** The id between {@code /model/} and the operation, URL-decoded. */
  @Override
  public /* @Nullable */ String modelInPath(String url) {
    String segment = Endpoint.segmentAfter(url, "/model/", '/');
    if (segment == null || segment.indexOf('%') < 0) {
      return segment;
    }
    try {
      return java.net.URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return segment; // a malformed escape: the segment as it is
    }
  }

  @Override
  public UsageTap newTap(/* @Nullable */ String contentType) {
    BedrockUsageReader reader = new BedrockUsageReader();
    return UsageTap.isContentType(contentType, EVENT_STREAM) ? new EventStreamUsageTap(reader) : UsageTap.sseOrJson(contentType, reader);
  }
}
