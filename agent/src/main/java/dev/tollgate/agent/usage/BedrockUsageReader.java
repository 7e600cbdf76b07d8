package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * AWS Bedrock Runtime, every shape one call can answer in:
 *
 * <ul>
 *   <li>Converse, and ConverseStream's {@code metadata} event: {@code usage.inputTokens},
 *       {@code outputTokens}, {@code cacheReadInputTokens}, {@code cacheWriteInputTokens};
 *   <li>InvokeModel's native bodies: Anthropic Messages ({@code usage.input_tokens} …, also under
 *       {@code message} in a stream's {@code message_start}), Amazon Nova ({@code usage.inputTokens},
 *       {@code cacheReadInputTokenCount}; in a stream under {@code metadata}), Meta Llama
 *       ({@code prompt_token_count}, {@code generation_token_count}), Titan ({@code inputTextTokenCount},
 *       {@code totalOutputTextTokenCount}, {@code results[].tokenCount}), Cohere
 *       ({@code meta.billed_units});
 *   <li>the {@code amazon-bedrock-invocationMetrics} Bedrock adds to the last chunk of every
 *       InvokeModelWithResponseStream: what Bedrock bills, so it wins over the model's own counts.
 * </ul>
 *
 * As for Anthropic and Converse, an input count excludes cache reads and writes, so the normalised
 * input adds them back. The model is the one the path names: Bedrock's answers name none, or (the
 * Anthropic body) a name of the vendor's that would price the same call differently.
 */
final class BedrockUsageReader extends UsageReader {
  private static final String METRICS = "amazon-bedrock-invocationMetrics";
  private long input;
  private long output;
  private long cacheRead;
  private long cacheWrite;
  /** The invocation metrics were read: the model's own counts no longer replace them. */
  private boolean metered;

  @Override
  void field(JsonPath path, int d, String name, JsonParser p, JsonToken t) throws IOException {
    String parent = d >= 2 ? path.name(d - 1) : null;
    if (METRICS.equals(parent)) {
      metric(name, p, t);
    } else if (metered) {
      return;
    } else if ("usage".equals(parent) || "billed_units".equals(parent)) {
      usageField(name, p, t);
    } else if (d == 1) {
      topLevel(name, p, t);
    } else if (d == 3 && name.equals("tokenCount") && isCount(p, t)) {
      output = p.getLongValue(); // Titan text: results[].tokenCount
      sawUsage = true;
    }
  }

  private void topLevel(String name, JsonParser p, JsonToken t) throws IOException {
    switch (name) {
      case "prompt_token_count": // Meta Llama
      case "inputTextTokenCount": // Titan
        setInput(p, t);
        break;
      case "generation_token_count":
      case "totalOutputTextTokenCount":
        setOutput(p, t);
        break;
      case "stopReason": // Converse
      case "stop_reason": // Anthropic, Llama: null until the last chunk
      case "finish_reason": // Cohere
        finished |= t == JsonToken.VALUE_STRING;
        break;
      case "id":
        responseId = t == JsonToken.VALUE_STRING ? p.getText() : responseId;
        break;
      default:
    }
  }

  private void usageField(String name, JsonParser p, JsonToken t) throws IOException {
    switch (name) {
      case "inputTokens":
      case "input_tokens":
        setInput(p, t);
        break;
      case "outputTokens":
      case "output_tokens":
        setOutput(p, t);
        break;
      case "cacheReadInputTokens":
      case "cacheReadInputTokenCount":
      case "cache_read_input_tokens":
        cacheRead = isCount(p, t) ? p.getLongValue() : cacheRead;
        break;
      case "cacheWriteInputTokens":
      case "cacheWriteInputTokenCount":
      case "cache_creation_input_tokens":
        cacheWrite = isCount(p, t) ? p.getLongValue() : cacheWrite;
        break;
      default:
    }
  }

  private void metric(String name, JsonParser p, JsonToken t) throws IOException {
    if (!isCount(p, t)) {
      return;
    }
    long v = p.getLongValue();
    metered = true; // Bedrock's own figures replace the model's
    switch (name) {
      case "inputTokenCount":
        input = v;
        break;
      case "outputTokenCount":
        output = v;
        break;
      case "cacheReadInputTokenCount":
        cacheRead = v;
        break;
      case "cacheWriteInputTokenCount":
        cacheWrite = v;
        break;
      default:
        return;
    }
    sawUsage = true;
    finished = true; // only the last chunk carries them
  }

  private void setInput(JsonParser p, JsonToken t) throws IOException {
    if (isCount(p, t)) {
      input = p.getLongValue();
      sawUsage = true;
    }
  }

  private void setOutput(JsonParser p, JsonToken t) throws IOException {
    if (isCount(p, t)) {
      output = p.getLongValue();
      sawUsage = true;
    }
  }

  /** A ConverseStream {@code metadata} event was read: its usage is the call's final figure. */
  void streamEnded() {
    finished = true;
  }

  @Override
  Usage usage() {
    return new Usage(Usage.sum(input, Usage.sum(cacheRead, cacheWrite)), output, cacheRead, cacheWrite, 0, null);
  }
}
