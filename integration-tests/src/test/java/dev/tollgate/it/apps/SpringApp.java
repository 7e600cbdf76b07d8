package dev.tollgate.it.apps;

import dev.tollgate.api.Tollgate;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.springframework.ai.chat.client.ChatClient;
import org.springframework.ai.chat.model.ChatResponse;
import org.springframework.ai.chat.prompt.Prompt;
import org.springframework.ai.openai.OpenAiChatModel;
import org.springframework.ai.openai.OpenAiChatOptions;
import org.springframework.ai.openai.api.OpenAiApi;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.core.io.buffer.DataBufferUtils;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Spring's HTTP clients on Reactor Netty (as a Spring Boot WebFlux app has them), and Spring AI's
 * OpenAI chat client on top.
 *
 * <pre>
 * SpringApp webclient|webclient-stream|restclient URL JSON
 * SpringApp springai|springai-stream BASE_URL
 * </pre>
 */
public final class SpringApp {
  public static void main(String[] argv) {
    run(argv);
    System.exit(0); // Reactor Netty's event loops are not daemons
  }

  /** One call, without ending the JVM (what {@code ScenarioDriver} runs). */
  public static void run(String[] argv) {
    String mode = argv[0];
    System.out.println("ACTIVE " + Tollgate.isActive());
    try {
      switch (mode) {
        case "webclient":
          webClient(argv[1], argv[2]);
          break;
        case "webclient-pojo":
          webClientPojo(argv[1]);
          break;
        case "webclient-stream":
          webClientStream(argv[1], argv[2]);
          break;
        case "webclient-cancel":
          webClientCancel(argv[1], argv[2]);
          break;
        case "restclient":
          restClient(argv[1], argv[2]);
          break;
        case "springai":
          springAi(argv[1], false);
          break;
        case "springai-stream":
          springAi(argv[1], true);
          break;
        default:
          throw new IllegalArgumentException(mode);
      }
    } catch (Exception e) {
      System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
      for (Throwable c = e.getCause(); c != null; c = c.getCause()) {
        System.out.println("CAUSE " + c.getClass().getName() + " " + c.getMessage());
      }
    }
  }

  private static void webClient(String url, String body) {
    ResponseEntity<String> r = WebClient.create().post().uri(url).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
        .exchangeToMono(response -> response.toEntity(String.class)).block();
    System.out.println("STATUS " + r.getStatusCode().value());
    System.out.println("BLOCKED " + r.getHeaders().getFirst("Tollgate-Blocked"));
    System.out.println("BODY " + r.getBody());
  }

  /**
   * A request body WebClient encodes with Jackson, counting how often it is encoded; with a cookie, a
   * header, an attribute and an action before commit beside it. Prints {@code ENCODED n}.
   */
  private static void webClientPojo(String url) {
    ChatRequest request = new ChatRequest();
    ResponseEntity<String> r = WebClient.create().post().uri(url).contentType(MediaType.APPLICATION_JSON).header("X-App", "yes")
        .cookie("session", "abc").attribute("app.attribute", "kept")
        .httpRequest(http -> http.beforeCommit(() -> {
          http.getHeaders().set("X-Commit", "at-commit"); // an action that sets a header on its request as it commits
          return reactor.core.publisher.Mono.empty();
        }))
        .bodyValue(request)
        .exchangeToMono(response -> response.toEntity(String.class)).block();
    System.out.println("STATUS " + r.getStatusCode().value());
    System.out.println("BODY " + r.getBody());
    System.out.println("ENCODED " + ChatRequest.ENCODED.get());
  }

  /** An OpenAI chat request as an application's own type; Jackson reads {@link #getModel} once per encoding. */
  public static final class ChatRequest {
    static final java.util.concurrent.atomic.AtomicInteger ENCODED = new java.util.concurrent.atomic.AtomicInteger();

    public String getModel() {
      ENCODED.incrementAndGet();
      return "gpt-4o-mini";
    }

    public int getMax_tokens() {
      return 100;
    }

    public List<Map<String, String>> getMessages() {
      return List.of(Map.of("role", "user", "content", "Say hello"));
    }
  }

  private static void webClientStream(String url, String body) {
    List<String> chunks = WebClient.create().post().uri(url).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
        .exchangeToFlux(response -> {
          System.out.println("STATUS " + response.statusCode().value());
          return response.bodyToFlux(DataBuffer.class).map(b -> {
            String s = b.toString(StandardCharsets.UTF_8);
            DataBufferUtils.release(b);
            return s;
          });
        }).collectList().block();
    // Line by line as a BufferedReader reads them: joined with \n (and one more), they are the body.
    new java.io.BufferedReader(new java.io.StringReader(String.join("", chunks))).lines().forEach(line -> System.out.println("LINE "
        + line));
  }

  /** Takes the first chunk of a stream and cancels the rest. */
  private static void webClientCancel(String url, String body) {
    DataBuffer first = WebClient.create().post().uri(url).contentType(MediaType.APPLICATION_JSON).bodyValue(body)
        .retrieve().bodyToFlux(DataBuffer.class).take(1).blockFirst();
    System.out.println("FIRST " + first.toString(StandardCharsets.UTF_8).replace('\n', ' '));
    DataBufferUtils.release(first);
    System.out.println("BALANCE " + Tollgate.balance().balanceCredits().toPlainString());
  }

  private static void restClient(String url, String body) {
    RestClient.create().post().uri(url).contentType(MediaType.APPLICATION_JSON).body(body).exchange((request, response) -> {
      System.out.println("STATUS " + response.getStatusCode().value());
      System.out.println("BLOCKED " + response.getHeaders().getFirst("Tollgate-Blocked"));
      System.out.println("BODY " + new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8));
      return null;
    });
  }

  private static void springAi(String baseUrl, boolean stream) {
    OpenAiApi api = OpenAiApi.builder().baseUrl(baseUrl).apiKey("sk-test-not-a-real-key").build();
    OpenAiChatModel model = OpenAiChatModel.builder().openAiApi(api)
        .defaultOptions(OpenAiChatOptions.builder().model("gpt-4o-mini").maxTokens(100).streamUsage(true).build()).build();
    ChatClient chat = ChatClient.create(model);
    if (stream) {
      List<ChatResponse> responses = chat.prompt("Say hello").stream().chatResponse().collectList().block();
      StringBuilder text = new StringBuilder();
      for (ChatResponse r : responses) {
        if (r.getResult() != null && r.getResult().getOutput().getText() != null) {
          text.append(r.getResult().getOutput().getText());
        }
      }
      System.out.println("TEXT " + text);
    } else {
      ChatResponse r = chat.prompt(new Prompt("Say hello")).call().chatResponse();
      System.out.println("TEXT " + r.getResult().getOutput().getText());
      System.out.println("TOKENS " + r.getMetadata().getUsage().getTotalTokens());
    }
  }
}
