package dev.tollgate.agent.usage;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/**
 * Google Gemini {@code generateContent}, its SSE stream and its JSON-array stream (no {@code
 * alt=sse}): {@code usageMetadata} with prompt, candidates, cached-content and thoughts counts.
 * Stream chunks repeat running totals, so the last non-zero count of each field wins. Thoughts are
 * billed as output, tool-use prompt tokens as input.
 *
 * <p>Over gRPC ({@link GrpcUsageTap}) the same fields are read by number from each {@code
 * GenerateContentResponse} (Vertex AI's {@code google.cloud.aiplatform.v1} and {@code v1beta1}):
 * {@code usage_metadata} (4) with {@code prompt_token_count} (1), {@code candidates_token_count} (2),
 * {@code cached_content_token_count} (5), {@code tool_use_prompt_token_count} (13) and {@code
 * thoughts_token_count} (14); {@code model_version} (11), {@code response_id} (13) and each
 * candidate's {@code finish_reason} (2.3). A message's values count only once it was read whole.
 */
final class GeminiUsageReader extends UsageReader implements GrpcUsageTap.Messages {
  private static final int CANDIDATES = 2;
  private static final int USAGE_METADATA = 4;
  private static final int MODEL_VERSION = 11;
  private static final int RESPONSE_ID = 13;
  private static final int FINISH_REASON = 3;
  /** {@code UsageMetadata}'s field numbers, at the index of the JSON name {@link #usageField} takes. */
  private static final int[] USAGE_NUMBERS = {1, 2, 5, 14, 13};
  private static final String[] USAGE_NAMES = {"promptTokenCount", "candidatesTokenCount", "cachedContentTokenCount",
      "thoughtsTokenCount", "toolUsePromptTokenCount"};

  private long prompt;
  private long candidates;
  private long cached;
  private long thoughts;
  private long toolUsePrompt;
  // What the gRPC message being read says, kept once it was read whole.
  private final long[] messageUsage = new long[USAGE_NUMBERS.length];
  private @Nullable String messageModel;
  private @Nullable String messageResponseId;
  private boolean messageFinished;

  @Override
  void field(JsonPath path, int d, String name, JsonParser p, JsonToken t) throws IOException {
    // streamGenerateContent without alt=sse answers one JSON array of responses: one level deeper.
    int base = d > 1 && path.name(1) == null ? 1 : 0;
    if (d == base + 1 && t == JsonToken.VALUE_STRING) {
      if (name.equals("modelVersion")) {
        model = p.getText();
      } else if (name.equals("responseId")) {
        responseId = p.getText();
      }
    } else if (d == base + 2 && path.is(base + 1, "usageMetadata")) {
      usageField(name, longValue(p, t));
    } else if (name.equals("finishReason")) {
      finished = true;
    }
  }

  private void usageField(String name, long value) {
    if (value == 0) {
      return;
    }
    switch (name) {
      case "promptTokenCount":
        prompt = value;
        sawUsage = true;
        break;
      case "candidatesTokenCount":
        candidates = value;
        sawUsage = true;
        break;
      case "cachedContentTokenCount":
        cached = value;
        break;
      case "thoughtsTokenCount":
        thoughts = value;
        break;
      case "toolUsePromptTokenCount":
        toolUsePrompt = value; // results of built-in tools (search, code execution) fed back as input
        break;
      default:
    }
  }

  @Override
  public void messageStart() {
    java.util.Arrays.fill(messageUsage, 0);
    messageModel = null;
    messageResponseId = null;
    messageFinished = false;
  }

  @Override
  public int lengthDelimited(int[] path, int depth, int field) {
    if (depth != 0) {
      return ProtoWalker.SKIP;
    }
    return field == CANDIDATES || field == USAGE_METADATA ? ProtoWalker.DESCEND
        : field == MODEL_VERSION || field == RESPONSE_ID ? ProtoWalker.STRING : ProtoWalker.SKIP;
  }

  @Override
  public void varint(int[] path, int depth, int field, long value) {
    if (depth == 1 && path[0] == CANDIDATES && field == FINISH_REASON && value != 0) {
      messageFinished = true;
    } else if (depth == 1 && path[0] == USAGE_METADATA) {
      for (int i = 0; i < USAGE_NUMBERS.length; i++) {
        if (USAGE_NUMBERS[i] == field) {
          messageUsage[i] = Math.max(0, value); // an int32 below 0 is no count
        }
      }
    }
  }

  @Override
  public void string(int[] path, int depth, int field, String value) {
    if (field == MODEL_VERSION) {
      messageModel = value;
    } else {
      messageResponseId = value;
    }
  }

  @Override
  public void messageEnd(boolean whole) {
    if (!whole) {
      return;
    }
    for (int i = 0; i < USAGE_NUMBERS.length; i++) {
      usageField(USAGE_NAMES[i], messageUsage[i]);
    }
    model = messageModel != null ? messageModel : model;
    responseId = messageResponseId != null ? messageResponseId : responseId;
    finished |= messageFinished;
  }

  @Override
  Usage usage() {
    return new Usage(Usage.sum(prompt, toolUsePrompt), Usage.sum(candidates, thoughts), Math.min(cached, prompt), 0, thoughts, null);
  }
}
