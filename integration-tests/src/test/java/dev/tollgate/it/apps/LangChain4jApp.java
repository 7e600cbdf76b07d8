package dev.tollgate.it.apps;

import dev.langchain4j.exception.HttpException;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;

/**
 * langchain4j-open-ai on its default HTTP client (langchain4j-http-client-jdk: the JDK's
 * HttpClient), unmodified, as an application uses it.
 *
 * <pre>LangChain4jApp chat|stream BASE_URL</pre>
 */
public final class LangChain4jApp {
  public static void main(String[] argv) throws InterruptedException {
    run(argv);
    System.exit(0);
  }

  /** One call, without ending the JVM (what {@code ScenarioDriver} runs). */
  public static void run(String[] argv) throws InterruptedException {
    try {
      if (argv[0].equals("chat")) {
        chat(argv[1]);
      } else {
        stream(argv[1]);
      }
    } catch (RuntimeException e) {
      printError(e);
    }
  }

  private static void chat(String base) {
    OpenAiChatModel model = OpenAiChatModel.builder().baseUrl(base).apiKey(SdkApp.KEY)
        .modelName("gpt-4o-mini").maxTokens(100).build();
    System.out.println("CONTENT " + model.chat("Say hello"));
  }

  private static void stream(String base) throws InterruptedException {
    OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder().baseUrl(base).apiKey(SdkApp.KEY)
        .modelName("gpt-4o-mini").maxTokens(100).build();
    PrintingStreamHandler handler = new PrintingStreamHandler(LangChain4jApp::printError);
    model.chat("Say hello", handler);
    handler.await();
  }

  /** langchain4j maps an HTTP error to its own exception; the status stays on the {@link HttpException} cause. */
  private static void printError(Throwable e) {
    System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
    if (e.getCause() instanceof HttpException) {
      System.out.println("HTTPSTATUS " + ((HttpException) e.getCause()).statusCode());
    }
  }
}
