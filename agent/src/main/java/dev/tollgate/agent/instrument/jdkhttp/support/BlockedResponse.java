package dev.tollgate.agent.instrument.jdkhttp.support;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Flow;
import javax.net.ssl.SSLSession;

/** The synthetic 402 of a blocked JDK HttpClient call, delivered through the application's own handler. */
final class BlockedResponse<T> implements HttpResponse<T> {
  private static final HttpHeaders HEADERS = HttpHeaders.of(
      Map.of("content-type", List.of("application/json; charset=utf-8"), "tollgate-blocked", List.of("true")), (k, v) -> true);

  private final HttpRequest request;
  private final T body;

  private BlockedResponse(HttpRequest request, T body) {
    this.request = request;
    this.body = body;
  }

  static <T> CompletableFuture<HttpResponse<T>> complete(HttpRequest request, HttpResponse.BodyHandler<T> handler, String json) {
    HttpResponse.ResponseInfo info = new HttpResponse.ResponseInfo() {
      @Override
      public int statusCode() {
        return 402;
      }

      @Override
      public HttpHeaders headers() {
        return HEADERS;
      }

      @Override
      public HttpClient.Version version() {
        return HttpClient.Version.HTTP_1_1;
      }
    };
    HttpResponse.BodySubscriber<T> subscriber = handler.apply(info);
    subscriber.onSubscribe(new Flow.Subscription() {
      @Override
      public void request(long n) {}

      @Override
      public void cancel() {}
    });
    subscriber.onNext(List.of(ByteBuffer.wrap(json.getBytes(StandardCharsets.UTF_8))));
    subscriber.onComplete();
    return subscriber.getBody().toCompletableFuture().thenApply(b -> new BlockedResponse<>(request, b));
  }

  @Override
  public int statusCode() {
    return 402;
  }

  @Override
  public HttpRequest request() {
    return request;
  }

  @Override
  public Optional<HttpResponse<T>> previousResponse() {
    return Optional.empty();
  }

  @Override
  public HttpHeaders headers() {
    return HEADERS;
  }

  @Override
  public T body() {
    return body;
  }

  @Override
  public Optional<SSLSession> sslSession() {
    return Optional.empty();
  }

  @Override
  public URI uri() {
    return request.uri();
  }

  @Override
  public HttpClient.Version version() {
    return HttpClient.Version.HTTP_1_1;
  }
}
