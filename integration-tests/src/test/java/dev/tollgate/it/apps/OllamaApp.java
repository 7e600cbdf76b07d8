package dev.tollgate.it.apps;

import dev.langchain4j.data.embedding.Embedding;
import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaEmbeddingModel;
import dev.langchain4j.model.ollama.OllamaLanguageModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.output.Response;

/**
 * langchain4j-ollama on its default HTTP client (the JDK's HttpClient), unmodified, as an
 * application uses it against an Ollama server.
 *
 * <pre>OllamaApp all|chat BASE_URL</pre>
 *
 * {@code all} calls, in order: chat, streaming chat, generate and embed; {@code chat} only chat.
 * Each call prints {@code CONTENT …} (or {@code EMBEDDING dimensions}) and its SDK-reported usage as
 * {@code SDKUSAGE in out}, or {@code ERROR class message} and {@code HTTPSTATUS code}.
 */
public final class OllamaApp {
  public static void main(String[] argv) throws InterruptedException {
    String base = argv[1];
    run(() -> chat(base));
    if (argv[0].equals("all")) {
      stream(base);
      run(() -> generate(base));
      run(() -> embed(base));
    }
    System.exit(0);
  }

  private static void run(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      printError(e);
    }
  }

  private static void chat(String base) {
    OllamaChatModel model = OllamaChatModel.builder().baseUrl(base).modelName("llama3.2").numPredict(100).build();
    ChatResponse response = model.chat(dev.langchain4j.model.chat.request.ChatRequest.builder()
        .messages(dev.langchain4j.data.message.UserMessage.from("Why is the sky blue?")).build());
    System.out.println("CONTENT " + response.aiMessage().text());
    System.out.println("SDKUSAGE " + response.tokenUsage().inputTokenCount() + " " + response.tokenUsage().outputTokenCount());
  }

  private static void stream(String base) throws InterruptedException {
    OllamaStreamingChatModel model = OllamaStreamingChatModel.builder().baseUrl(base).modelName("llama3.2").numPredict(100).build();
    PrintingStreamHandler handler = new PrintingStreamHandler(OllamaApp::printError);
    model.chat("Why is the sky blue?", handler);
    handler.await();
  }

  private static void generate(String base) {
    OllamaLanguageModel model = OllamaLanguageModel.builder().baseUrl(base).modelName("qwen2.5:7b").numPredict(50).build();
    Response<String> response = model.generate("What is the capital of France?");
    System.out.println("CONTENT " + response.content());
    System.out.println("SDKUSAGE " + response.tokenUsage().inputTokenCount() + " " + response.tokenUsage().outputTokenCount());
  }

  private static void embed(String base) {
    OllamaEmbeddingModel model = OllamaEmbeddingModel.builder().baseUrl(base).modelName("all-minilm").build();
    Response<Embedding> response = model.embed("The sky is blue.");
    System.out.println("EMBEDDING " + response.content().dimension());
  }

  /** langchain4j maps an HTTP error to its own exception; the status stays on the {@link HttpException} cause. */
  private static void printError(Throwable e) {
    System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof HttpException) {
        System.out.println("HTTPSTATUS " + ((HttpException) c).statusCode());
        return;
      }
    }
  }
}
