package dev.tollgate.agent.instrument.reactornetty.support;

import dev.tollgate.agent.bootstrap.BlockedCallException;
import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import java.io.IOException;
import java.lang.reflect.Field;
import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyOutbound;
import reactor.netty.http.client.HttpClient;
import reactor.netty.http.client.HttpClientConfig;
import reactor.netty.http.client.HttpClientRequest;

/**
 * A metered Reactor Netty request ({@code HttpClientConnect.connect()}).
 *
 * <p>Reactor Netty runs the application's request sender only once a connection is open. To decide
 * before anything leaves, the sender is first run against a {@link RequestCapture} that keeps the
 * headers and body bytes; the reservation is made from them; only then does a copy of the client
 * connect, with a {@link ReplayingSender} that runs the application's sender again on the real
 * request but sends the captured bytes, so a body that can be read once is read once. A blocked call
 * fails before any connection with {@code CreditsExhaustedException} ({@code block-mode=exception})
 * or {@link BlockedCallException}. The response is tapped in the channel pipeline ({@link
 * ResponseTap}), so every way of reading it is covered.
 *
 * <p>Calls made through Spring's {@code ReactorClientHttpConnector} or {@code ReactorClientHttpRequest}
 * are left to the Spring support, which meters them a level up: never twice.
 */
final class ReactorNettyMetering {
  private static final String TAP = "tollgate.tap.";
  /** {@code HttpClientConfig.body}: the sender has no public getter. Null when it cannot be read (nothing is metered then). */
  private static final Field BODY = bodyField();

  private ReactorNettyMetering() {}

  static /* @Nullable */ Mono<? extends Connection> connect(HttpClient client, Object operation, String url) {
    if (BODY == null || !(client instanceof HttpClient.RequestSender)) {
      return null;
    }
    HttpClientConfig config = client.configuration();
    BiFunction<? super HttpClientRequest, ? super NettyOutbound, ? extends Publisher<Void>> sender = sender(config);
    if (sender instanceof ReplayingSender || sender != null && isSpring(sender.getClass().getName())) {
      return null;
    }
    Object caller = Hooks.captureCaller(); // on the application's thread: the send may run on another
    return Mono.defer(() -> {
      RequestCapture capture = new RequestCapture(config, url);
      return capture.render(sender).then(Mono.defer(() -> send(client, sender, capture, operation, url, caller)));
    });
  }

  /** A sender of Spring's {@code ReactorClientHttpConnector} or {@code ReactorClientHttpRequest}: the Spring support meters the call. */
  static boolean isSpring(String senderClass) {
    return senderClass.startsWith("org.springframework.");
  }

  private static Mono<? extends Connection> send(HttpClient client,
      /* @Nullable */ BiFunction<? super HttpClientRequest, ? super NettyOutbound, ? extends Publisher<Void>> sender,
      RequestCapture capture, Object operation, String url, /* @Nullable */ Object caller) {
    byte[] body = capture.body();
    ReplayingSender replaying = new ReplayingSender(sender, body);
    CallHandle handle;
    try {
      handle = Hooks.begin(operation, url, body, body == null ? -1 : body.length, capture.attributeHeaders(), caller);
    } catch (Throwable t) {
      Hooks.failed("reactor-netty", t);
      return connection(client, replaying);
    }
    if (handle.isBlocked()) {
      return Mono.error(blocked(handle));
    }
    HttpClient tapped = ((HttpClient) ((HttpClient.RequestSender) client).send(replaying))
        .doOnRequest((request, connection) -> {
          ResponseTap tap = new ResponseTap(handle); // a name of its own: a stale tap on a reused connection cannot shadow it
          connection.addHandlerLast(TAP + Integer.toHexString(System.identityHashCode(tap)), tap);
        });
    // Emitted once the response's head is in; from then on the tap settles the call. A cancel that
    // reaches this Mono after that (Reactor passes it up past a completed Mono) is the body's, not a failure.
    AtomicBoolean responded = new AtomicBoolean();
    return connection(tapped, null)
        .doOnNext(connection -> responded.set(true))
        .doOnError(handle::onFailure)
        .doOnCancel(() -> {
          if (!responded.get()) {
            handle.onFailure(new CancellationException("the application cancelled the call before its response"));
          }
        });
  }

  /**
   * The connection of {@code client} (with {@code sender} when not null), through public API: the
   * same Mono {@code connect()} returns, reached the way Spring's connector reaches it.
   */
  private static Mono<? extends Connection> connection(HttpClient client, /* @Nullable */ ReplayingSender sender) {
    HttpClient.ResponseReceiver<?> receiver = sender == null
        ? (HttpClient.ResponseReceiver<?>) client
        : ((HttpClient.RequestSender) client).send(sender);
    return receiver.responseConnection((response, connection) -> Mono.just(connection)).next();
  }

  private static IOException blocked(CallHandle handle) {
    IOException exception = handle.blockedException();
    if (exception != null) {
      return exception;
    }
    try {
      return new BlockedCallException(handle.blockedBody());
    } catch (Throwable t) {
      return handle.blockedFailure(t);
    }
  }

  @SuppressWarnings("unchecked")
  private static /* @Nullable */ BiFunction<? super HttpClientRequest, ? super NettyOutbound, ? extends Publisher<Void>> sender(
      HttpClientConfig config) {
    try {
      return (BiFunction<? super HttpClientRequest, ? super NettyOutbound, ? extends Publisher<Void>>) BODY.get(config);
    } catch (IllegalAccessException e) {
      return null;
    }
  }

  private static /* @Nullable */ Field bodyField() {
    try {
      Field f = HttpClientConfig.class.getDeclaredField("body");
      f.setAccessible(true);
      return f;
    } catch (ReflectiveOperationException | RuntimeException e) {
      Hooks.failed("reactor-netty-body-field", e);
      return null;
    }
  }
}
