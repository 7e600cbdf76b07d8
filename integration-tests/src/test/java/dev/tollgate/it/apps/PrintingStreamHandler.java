package dev.tollgate.it.apps;

import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A langchain4j streaming handler for the forked apps: prints {@code CONTENT text} and {@code SDKUSAGE in out}
 * when the stream completes, hands an error to {@code onError}, and {@link #await}s the end.
 */
final class PrintingStreamHandler implements StreamingChatResponseHandler {
  private final StringBuilder text = new StringBuilder();
  private final CountDownLatch done = new CountDownLatch(1);
  private final Consumer<Throwable> onError;

  PrintingStreamHandler(Consumer<Throwable> onError) {
    this.onError = onError;
  }

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
    onError.accept(error);
    done.countDown();
  }

  /** Waits for the stream's end; prints {@code TIMEOUT} after a minute. */
  void await() throws InterruptedException {
    if (!done.await(60, TimeUnit.SECONDS)) {
      System.out.println("TIMEOUT");
    }
  }
}
