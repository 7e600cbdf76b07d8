package dev.tollgate.it.apps;

import dev.tollgate.api.Tollgate;
import java.nio.CharBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.hc.client5.http.async.methods.AbstractCharResponseConsumer;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.io.CloseMode;

/**
 * A plain Apache HttpClient 5 async application, written against the API 5.1 to 5.6 share.
 * {@code simple}, {@code minimal}, {@code h2} and {@code h2minimal} post a {@code SimpleHttpRequest}
 * (default, minimal, HTTP/2 and minimal HTTP/2 client; HTTP/2 in clear text is prior knowledge);
 * {@code stream} posts through {@code AsyncRequestBuilder} and reads the body with a streaming
 * {@code AbstractCharResponseConsumer}, line by line.
 *
 * <pre>ApacheAsyncApp simple|minimal|h2|h2minimal|stream URL JSON</pre>
 */
public final class ApacheAsyncApp {
  public static void main(String[] argv) throws Exception {
    String mode = argv[0];
    System.out.println("ACTIVE " + Tollgate.isActive());
    CloseableHttpAsyncClient client = client(mode);
    client.start();
    try {
      Callback<Object> callback = new Callback<>();
      Future<?> future = mode.equals("stream") ? stream(client, argv[1], argv[2], callback) : simple(client, argv[1], argv[2], callback);
      try {
        Object result = future.get(60, TimeUnit.SECONDS);
        callback.done.await(60, TimeUnit.SECONDS); // the future may complete before the callback runs
        if (result instanceof SimpleHttpResponse) {
          SimpleHttpResponse r = (SimpleHttpResponse) result;
          head(r);
          System.out.println("BODY " + r.getBodyText());
        }
      } catch (ExecutionException e) {
        callback.done.await(60, TimeUnit.SECONDS);
        System.out.println("ERROR " + e.getCause().getClass().getName() + " " + e.getCause().getMessage());
      }
    } finally {
      client.close(CloseMode.GRACEFUL);
    }
  }

  private static CloseableHttpAsyncClient client(String mode) {
    switch (mode) {
      case "minimal":
        return HttpAsyncClients.createMinimal();
      case "h2":
        return HttpAsyncClients.createHttp2Default();
      case "h2minimal":
        return HttpAsyncClients.createHttp2Minimal();
      default:
        return HttpAsyncClients.createDefault();
    }
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Future<?> simple(CloseableHttpAsyncClient client, String url, String json, Callback<Object> callback) {
    return client.execute(SimpleRequestBuilder.post(url).setBody(json, ContentType.APPLICATION_JSON).build(), (FutureCallback) callback);
  }

  private static Future<?> stream(CloseableHttpAsyncClient client, String url, String json, Callback<Object> callback) {
    return client.execute(
        AsyncRequestBuilder.post(url).setEntity(AsyncEntityProducers.create(json, ContentType.APPLICATION_JSON)).build(),
        new Lines(), null, null, callback);
  }

  private static void head(HttpResponse r) {
    System.out.println("STATUS " + r.getCode());
    Header blocked = r.getFirstHeader("Tollgate-Blocked");
    System.out.println("BLOCKED " + (blocked == null ? null : blocked.getValue()));
  }

  /** Prints each line of the body as it streams in. */
  static final class Lines extends AbstractCharResponseConsumer<Object> {
    private final StringBuilder line = new StringBuilder();

    @Override
    protected void start(HttpResponse response, ContentType contentType) {
      head(response);
    }

    @Override
    protected int capacityIncrement() {
      return Integer.MAX_VALUE;
    }

    @Override
    protected void data(CharBuffer src, boolean endOfStream) {
      while (src.hasRemaining()) {
        char c = src.get();
        if (c == '\n') {
          System.out.println("LINE " + line);
          line.setLength(0);
        } else {
          line.append(c);
        }
      }
      if (endOfStream && line.length() > 0) {
        System.out.println("LINE " + line);
        line.setLength(0);
      }
    }

    @Override
    protected Object buildResult() {
      return "done";
    }

    @Override
    public void failed(Exception cause) {
      System.out.println("CONSUMER-FAILED " + cause.getClass().getName());
    }

    @Override
    public void releaseResources() {}
  }

  /** Reports how the application's callback was told. */
  static final class Callback<T> implements FutureCallback<T> {
    final CountDownLatch done = new CountDownLatch(1);

    @Override
    public void completed(T result) {
      System.out.println("CALLBACK completed");
      done.countDown();
    }

    @Override
    public void failed(Exception ex) {
      System.out.println("CALLBACK failed " + ex.getClass().getName());
      done.countDown();
    }

    @Override
    public void cancelled() {
      System.out.println("CALLBACK cancelled");
      done.countDown();
    }
  }
}
