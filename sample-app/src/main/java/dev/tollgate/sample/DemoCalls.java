package dev.tollgate.sample;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.OpenAIServiceException;
import dev.tollgate.api.CreditsExhaustedException;
import com.openai.models.ChatModel;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import java.io.IOException;
import java.util.List;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The three real calls the demo makes against the fake providers: openai-java without and with
 * streaming, and a plain OkHttp POST in Anthropic's format. Each reports either the reply or how
 * the block surfaced to the application.
 */
final class DemoCalls implements AutoCloseable {
  static final long OPENAI_MAX_TOKENS = 800;
  static final long ANTHROPIC_MAX_TOKENS = 300;
  private static final MediaType JSON = MediaType.get("application/json");

  private final OpenAIClient openAi;
  private final OkHttpClient okHttp = new OkHttpClient();
  private final String anthropicUrl;

  DemoCalls(int port) {
    // Retries stay at the SDK's default: a 402 is not a status the SDK retries.
    this.openAi = OpenAIOkHttpClient.builder()
        .baseUrl("http://127.0.0.1:" + port + "/openai/v1")
        .apiKey("sk-demo-not-a-real-key")
        .build();
    this.anthropicUrl = "http://127.0.0.1:" + port + "/anthropic/v1/messages";
  }

  /** What one call gave the application: the reply, or how the block reached it. */
  static final class Result {
    final boolean blocked;
    final List<String> lines;

    private Result(boolean blocked, List<String> lines) {
      this.blocked = blocked;
      this.lines = lines;
    }

    static Result reply(int status, String reply) {
      return new Result(false, List.of("HTTP " + status + " \"" + reply + "\""));
    }

    static Result blocked(String how, String detail) {
      return new Result(true, List.of(how, detail));
    }
  }

  Result openAiChat(int n) {
    try {
      ChatCompletion completion = openAi.chat().completions().create(params(n).build());
      return Result.reply(200, completion.choices().get(0).message().content().orElse(""));
    } catch (OpenAIServiceException e) {
      return blockedOrRethrow(e);
    } catch (OpenAIIoException e) {
      return blockedOrRethrow(e);
    }
  }

  Result openAiStream(int n) {
    ChatCompletionCreateParams params = params(n)
        .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build())
        .build();
    StringBuilder text = new StringBuilder();
    try (StreamResponse<ChatCompletionChunk> stream = openAi.chat().completions().createStreaming(params)) {
      stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
      return Result.reply(200, text.toString());
    } catch (OpenAIServiceException e) {
      return blockedOrRethrow(e);
    } catch (OpenAIIoException e) {
      return blockedOrRethrow(e);
    }
  }

  Result anthropicMessage(int n) throws IOException {
    Request request = new Request.Builder()
        .url(anthropicUrl)
        .header("x-api-key", "sk-ant-demo-not-a-real-key")
        .header("anthropic-version", "2023-06-01")
        .post(RequestBody.create(anthropicBody(n), JSON))
        .build();
    Response response;
    try {
      response = okHttp.newCall(request).execute();
    } catch (CreditsExhaustedException e) { // tollgate.block-mode=exception
      return Result.blocked("OkHttp threw " + e.getClass().getName(), "message: " + e.getMessage());
    }
    try (response) {
      String body = response.body() == null ? "" : response.body().string();
      if (response.code() == 402 && "true".equals(response.header("Tollgate-Blocked"))) {
        return Result.blocked("OkHttp got HTTP 402 with header Tollgate-Blocked: true", "body: " + body);
      }
      return Result.reply(response.code(), textOf(body));
    }
  }

  private static ChatCompletionCreateParams.Builder params(int n) {
    return ChatCompletionCreateParams.builder()
        .model(ChatModel.GPT_4O_MINI)
        .addSystemMessage(Prompts.HANDBOOK)
        .addUserMessage(Prompts.ticket(n))
        .maxCompletionTokens(OPENAI_MAX_TOKENS);
  }

  private static Result blockedOrRethrow(OpenAIServiceException e) {
    if (e.statusCode() != 402 || !"true".equals(e.headers().values("Tollgate-Blocked").stream().findFirst().orElse(null))) {
      throw e;
    }
    return Result.blocked("openai-java threw " + e.getClass().getName(), "message: " + e.getMessage());
  }

  /** With {@code tollgate.block-mode=exception} the block reaches openai-java as an I/O failure. */
  private static Result blockedOrRethrow(OpenAIIoException e) {
    if (!(e.getCause() instanceof CreditsExhaustedException)) {
      throw e;
    }
    return Result.blocked("openai-java threw " + e.getClass().getName(), "cause: " + e.getCause());
  }

  private static String anthropicBody(int n) {
    return "{\"model\":\"claude-3-5-haiku\",\"max_tokens\":" + ANTHROPIC_MAX_TOKENS
        + ",\"system\":[{\"type\":\"text\",\"text\":" + Json.quote(Prompts.HANDBOOK)
        + ",\"cache_control\":{\"type\":\"ephemeral\"}}]"
        + ",\"messages\":[{\"role\":\"user\",\"content\":" + Json.quote(Prompts.ticket(n)) + "}]}";
  }

  /** The first text block of an Anthropic message, without a JSON library: the demo's own reply. */
  private static String textOf(String body) {
    int key = body.indexOf("\"text\":\"");
    int end = key < 0 ? -1 : body.indexOf('"', key + 8);
    return end < 0 ? body : body.substring(key + 8, end);
  }

  @Override
  public void close() {
    openAi.close();
    okHttp.dispatcher().executorService().shutdown();
    okHttp.connectionPool().evictAll();
  }
}
