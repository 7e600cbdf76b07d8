package dev.tollgate.it.apps;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;

/**
 * The official SDKs, unmodified, as an application uses them.
 *
 * <pre>SdkApp openai|openai-stream|anthropic|anthropic-stream BASE_URL</pre>
 */
public final class SdkApp {
  /** Looks like a real key, so tests can grep every output for it. */
  public static final String KEY = "sk-it-LEAKCHECK-0123456789abcdefghijklmnop";

  public static void main(String[] argv) {
    run(argv);
    System.exit(0); // the SDKs' OkHttp pools keep non-daemon threads for a while
  }

  /** One call, without ending the JVM (what {@code ScenarioDriver} runs). */
  public static void run(String[] argv) {
    String base = argv[1];
    try {
      switch (argv[0]) {
        case "openai":
          openAi(base, false);
          break;
        case "openai-stream":
          openAi(base, true);
          break;
        case "anthropic":
          anthropic(base, false);
          break;
        case "anthropic-stream":
          anthropic(base, true);
          break;
        default:
          throw new IllegalArgumentException(argv[0]);
      }
    } catch (RuntimeException e) {
      System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
    }
  }

  private static void openAi(String base, boolean stream) {
    OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(base).apiKey(KEY).build();
    ChatCompletionCreateParams.Builder params = ChatCompletionCreateParams.builder()
        .model("gpt-4o-mini").addUserMessage("Say hello").maxCompletionTokens(100);
    if (!stream) {
      ChatCompletion c = client.chat().completions().create(params.build());
      System.out.println("CONTENT " + c.choices().get(0).message().content().orElse(""));
      c.usage().ifPresent(u -> System.out.println("SDKUSAGE " + u.promptTokens() + " " + u.completionTokens()));
      return;
    }
    params.streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build());
    StringBuilder text = new StringBuilder();
    try (com.openai.core.http.StreamResponse<ChatCompletionChunk> s = client.chat().completions().createStreaming(params.build())) {
      s.stream().forEach(chunk -> {
        chunk.choices().forEach(choice -> choice.delta().content().ifPresent(text::append));
        chunk.usage().ifPresent(u -> System.out.println("SDKUSAGE " + u.promptTokens() + " " + u.completionTokens()));
      });
    }
    System.out.println("CONTENT " + text);
  }

  private static void anthropic(String base, boolean stream) {
    AnthropicClient client = AnthropicOkHttpClient.builder().baseUrl(base).apiKey(KEY).build();
    MessageCreateParams params = MessageCreateParams.builder()
        .model("claude-3-5-haiku-latest").maxTokens(200).addUserMessage("Hi").build();
    if (!stream) {
      Message m = client.messages().create(params);
      System.out.println("SDKUSAGE " + m.usage().inputTokens() + " " + m.usage().outputTokens());
      return;
    }
    int[] events = {0};
    try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params)) {
      s.stream().forEach(e -> events[0]++);
    }
    System.out.println("EVENTS " + events[0]);
  }
}
