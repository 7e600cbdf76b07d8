package dev.tollgate.agent.instrument.jdkhttp.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLSession;

/**
 * The client's response to a metered call whose body the application pulls from the JDK's own
 * stream ({@code BodyHandlers.ofInputStream()}), with the body handed over through {@link
 * CallHandle#onPulledBody}. Until the body ends, the client holds its response and that stream
 * (and reads no further while nobody reads), so only objects the application alone holds can tell
 * that it dropped the body unread: this response and the body it hands out.
 */
final class PulledResponse<T> implements HttpResponse<T> {
  private static final String JDK_INPUT_STREAM = "jdk.internal.net.http.ResponseSubscribers$HttpResponseInputStream";

  private final HttpResponse<T> response;
  private final T body;

  private PulledResponse(HttpResponse<T> response, T body) {
    this.response = response;
    this.body = body;
  }

  /**
   * The future the application gets instead of the client's: it ends as the client's does (the
   * same response, or the same error, which also releases the call), and cancelling it cancels the
   * client's. A response with a pulled body is handed over as a {@code PulledResponse}.
   */
  static <T> CompletableFuture<HttpResponse<T>> watch(CallHandle handle, CompletableFuture<HttpResponse<T>> client) {
    CompletableFuture<HttpResponse<T>> app = new CompletableFuture<>() {
      @Override
      public boolean cancel(boolean mayInterruptIfRunning) {
        boolean cancelled = client.cancel(mayInterruptIfRunning);
        return super.cancel(mayInterruptIfRunning) || cancelled;
      }
    };
    client.whenComplete((response, error) -> {
      if (error != null) {
        handle.onFailure(error);
        app.completeExceptionally(error);
      } else {
        app.complete(watched(handle, response));
      }
    });
    return app;
  }

  @SuppressWarnings("unchecked")
  private static <T> HttpResponse<T> watched(CallHandle handle, HttpResponse<T> response) {
    T body = response == null ? null : response.body();
    if (body == null || !JDK_INPUT_STREAM.equals(body.getClass().getName())) {
      return response;
    }
    return new PulledResponse<>(response, (T) handle.onPulledBody((InputStream) body));
  }

  @Override
  public int statusCode() {
    return response.statusCode();
  }

  @Override
  public HttpRequest request() {
    return response.request();
  }

  @Override
  public Optional<HttpResponse<T>> previousResponse() {
    return response.previousResponse();
  }

  @Override
  public HttpHeaders headers() {
    return response.headers();
  }

  @Override
  public T body() {
    return body;
  }

  @Override
  public Optional<SSLSession> sslSession() {
    return response.sslSession();
  }

  @Override
  public URI uri() {
    return response.uri();
  }

  @Override
  public HttpClient.Version version() {
    return response.version();
  }

  @Override
  public String toString() {
    return response.toString();
  }
}
