package dev.tollgate.agent.instrument.spring.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import dev.tollgate.agent.bootstrap.Hooks;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.ClientHttpRequest;
import org.springframework.http.client.reactive.ClientHttpResponse;
import reactor.core.publisher.Mono;

/**
 * A metered {@code ClientHttpConnector.connect}: WebClient's way out through Reactor Netty.
 *
 * <p>WebClient renders the request body inside the connection's send callback, after a connection
 * is open. To decide before anything leaves, the callback is first run against a {@link RequestCapture}
 * that keeps the encoded body and all else the callback did; the reservation is made from it; only
 * then does the real connector connect, and the capture is replayed on the real request ({@link
 * ReplayingRequest}) without running the callback again, so a body is encoded once and a publisher
 * that can be read once is read once. A blocked call never reaches the connector.
 */
public final class ReactiveMetering {
  private ReactiveMetering() {}

  public static Mono<ClientHttpResponse> connect(ClientHttpConnector connector, HttpMethod method, URI uri,
      Function<? super ClientHttpRequest, Mono<Void>> callback, Object operation, String url) {
    // Taken where the exchange starts, on the application's thread: the send below may run on another.
    Object caller = Hooks.captureCaller();
    return Mono.defer(() -> {
      RequestCapture capture = new RequestCapture(method, uri);
      Mono<Void> rendered;
      try {
        rendered = callback.apply(capture);
      } catch (Throwable t) {
        rendered = Mono.error(t);
      }
      return rendered
          .onErrorResume(t -> {
            capture.failed(); // e.g. the app reaches for the native request: send it as written, estimate from nothing
            return Mono.empty();
          })
          .then(Mono.defer(() -> send(connector, method, uri, callback, operation, url, capture, caller)));
    });
  }

  private static Mono<ClientHttpResponse> send(ClientHttpConnector connector, HttpMethod method, URI uri,
      Function<? super ClientHttpRequest, Mono<Void>> callback, Object operation, String url, RequestCapture capture,
      @Nullable Object caller) {
    byte[] body = capture.body();
    // Marked by its class, and connected through passThrough: the advice on connect lets it through unmetered.
    Function<ClientHttpRequest, Mono<Void>> real = body == null ? request -> callback.apply(request)
        : request -> ReplayingRequest.send(request, capture, body);
    CallHandle handle;
    try {
      String[] names = Hooks.attributeHeaders();
      String[] headers = names.length == 0 ? null : new String[names.length];
      for (int i = 0; headers != null && i < names.length; i++) {
        headers[i] = capture.getHeaders().getFirst(names[i]);
      }
      handle = Hooks.begin(operation, url, body, body == null ? -1 : body.length, headers, caller);
    } catch (Throwable t) {
      Hooks.failed("spring-webclient", t);
      return passThrough(connector, method, uri, real);
    }
    if (handle.isBlocked()) {
      return blocked(handle);
    }
    AtomicReference<ClientHttpResponse> received = new AtomicReference<>();
    return passThrough(connector, method, uri, real)
        .map(response -> tap(response, handle, received))
        .doOnError(handle::onFailure)
        .doOnCancel(() -> cancelled(handle, received.get()));
  }

  /**
   * The connector's real connect, which the advice on it lets through unmetered. Its callback's class says so, and so
   * does this thread while it runs: another agent's advice on the same method may replace the callback with its own
   * wrapper before Tollgate's sees it (the Elastic APM agent listed after Tollgate's does), and the call was then
   * metered again, and again, until the stack overflowed.
   */
  private static Mono<ClientHttpResponse> passThrough(ClientHttpConnector connector, HttpMethod method, URI uri,
      Function<ClientHttpRequest, Mono<Void>> real) {
    Hooks.enterOuterCall();
    try {
      return connector.connect(method, uri, real);
    } finally {
      Hooks.exitOuterCall();
    }
  }

  /**
   * The application cancelled the exchange. Before a response that is a failed call; after one, a
   * body it never subscribed to will never be read, so the call settles as cancelled; a body being
   * read settles through its own signals.
   */
  private static void cancelled(CallHandle handle, @Nullable ClientHttpResponse response) {
    if (response == null) {
      handle.onFailure(new CancellationException("the application cancelled the call before its response"));
    } else if (!(response instanceof TappedReactiveResponse) || !((TappedReactiveResponse) response).isSubscribed()) {
      // A body nobody will read (a no-op for a call its status already settled).
      handle.onBodyError(new CancellationException("the application dropped the response unread"));
    }
  }

  private static Mono<ClientHttpResponse> blocked(CallHandle handle) {
    IOException exception = handle.blockedException();
    if (exception != null) {
      return Mono.error(exception);
    }
    try {
      return Mono.just(new BlockedReactiveResponse(handle.requireBlockedBody().getBytes(StandardCharsets.UTF_8)));
    } catch (Throwable t) {
      return Mono.error(handle.blockedFailure(t));
    }
  }

  /** Taps {@code response}; {@code received} holds it (or its tapped form) before the call can settle on it. */
  private static ClientHttpResponse tap(ClientHttpResponse response, CallHandle handle, AtomicReference<ClientHttpResponse> received) {
    received.set(response); // a cancel from here on is after the response, never a failed call
    try {
      int status = response.getStatusCode().value();
      HttpHeaders headers = response.getHeaders(); // Reactor Netty drops Content-Encoding once it decodes
      if (!handle.onResponseStart(new ResponseInfo(status, headers.getFirst("Content-Type"), headers.getFirst("Content-Encoding")))) {
        return response;
      }
      TappedReactiveResponse tapped = new TappedReactiveResponse(response, handle);
      received.set(tapped);
      return tapped;
    } catch (Throwable t) {
      Hooks.failed("spring-webclient-response", t);
      return response;
    }
  }

  /** Feeds the readable bytes of {@code buffer} to the tap without moving its read position. */
  static void feed(CallHandle handle, DataBuffer buffer) {
    try (DataBuffer.ByteBufferIterator it = buffer.readableByteBuffers()) {
      while (it.hasNext()) {
        ByteBuffer b = it.next();
        int n = b.remaining();
        if (b.hasArray()) {
          handle.onBodyChunk(b.array(), b.arrayOffset() + b.position(), n);
        } else {
          byte[] copy = new byte[n];
          b.duplicate().get(copy);
          handle.onBodyChunk(copy, 0, n);
        }
      }
    }
  }
}
