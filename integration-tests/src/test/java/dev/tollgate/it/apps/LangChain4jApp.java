package dev.tollgate.it.apps;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * langchain4j-open-ai on its default HTTP client (langchain4j-http-client-jdk: the JDK's
 * HttpClient), unmodified, as an application uses it.
 *
 * <pre>LangChain4jApp chat|stream BASE_URL</pre>
 */
public final class LangChain4jApp {
  public static void main(String[] argv) throws InterruptedException {
    try {
      if (argv[0].equals("chat")) {
        chat(argv[1]);
      } else {
        stream(argv[1]);
      }
    } catch (RuntimeException e) {
      printError(e);
    }
    System.exit(0);
  }

  private static void chat(String base) {
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(base).apiKey(SdkApp.KEY)
        .modelName("gpt-4o-mini").maxTokens(100).build();
    System.out.println("CONTENT " + model.chat("Say hello"));
  }

  private static void stream(String base) throws InterruptedException {
    OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(base).apiKey(SdkApp.KEY)
        .modelName("gpt-4o-mini").maxTokens(100).build();
    CountDownLatch done = new CountDownLatch(1);
    StringBuilder text = new StringBuilder();
    model.chat("Say hello", new StreamingChatResponseHandler() {
      @Override
      public void onPartialResponse(String partial) {
        text.append(partial);
      }

      @Override
      public void onCompleteResponse(ChatResponse response) {
        System.out.println("CONTENT " + text);
        System.out.println("SDKUSAGE " + response.tokenUsage().inputTokenCount() + " " + response.tokenUsage().outputTokenCount());
        done.countDown();
      }

      @Override
      public void onError(Throwable error) {
        printError(error);
        done.countDown();
      }
    });
    if (!done.await(60, TimeUnit.SECONDS)) {
      System.out.println("TIMEOUT");
    }
  }

  /** langchain4j maps an HTTP error to its own exception; the status stays on the {@link HttpException} cause. */
  private static void printError(Throwable e) {
    System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
    if (e.getCause() instanceof HttpException) {
      System.out.println("HTTPSTATUS " + ((HttpException) e.getCause()).statusCode());
    }
  }
}
