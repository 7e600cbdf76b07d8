package dev.tollgate.agent.instrument.reactornetty.support;

import dev.tollgate.agent.bootstrap.Hooks;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufHolder;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.util.Collections;
import java.util.concurrent.Callable;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyOutbound;
import reactor.netty.http.client.HttpClientConfig;
import reactor.netty.http.client.HttpClientRequest;

/**
 * A request that goes nowhere: the application's sender writes the call into it so the body can be
 * estimated before a connection opens. Keeps the headers the sender sets and the body bytes it
 * sends. The request is a proxy, so it answers what any Reactor Netty version asks of it; what it
 * cannot answer (a file or stream sent with {@code sendUsing}, a form) fails the capture, and the
 * call is sent as written and estimated from nothing.
 */
final class RequestCapture implements NettyOutbound, InvocationHandler {
  private final HttpClientConfig config;
  private final String url;
  private final HttpHeaders headers = new DefaultHttpHeaders();
  private final ByteArrayOutputStream body = new ByteArrayOutputStream();
  private volatile boolean failed;

  RequestCapture(HttpClientConfig config, String url) {
    this.config = config;
    this.url = url;
    if (config.headers() != null) {
      headers.set(config.headers());
    }
  }

  /** Runs {@code sender} into this capture; completes when it has sent its body (never with an error). */
  Mono<Void> render(/* @Nullable */ BiFunction<? super HttpClientRequest, ? super NettyOutbound, ? extends Publisher<Void>> sender) {
    if (sender == null) {
      return Mono.empty();
    }
    Mono<Void> rendered;
    try {
      HttpClientRequest request = (HttpClientRequest) Proxy.newProxyInstance(
          RequestCapture.class.getClassLoader(), new Class<?>[] {HttpClientRequest.class}, this);
      rendered = Mono.from(sender.apply(request, this));
    } catch (Throwable t) {
      rendered = Mono.error(t);
    }
    return rendered.onErrorResume(t -> {
      failed = true;
      return Mono.empty();
    });
  }

  /** The body sent (empty when none), or null when rendering it failed. */
  /* @Nullable */ byte[] body() {
    synchronized (body) {
      return failed ? null : body.toByteArray();
    }
  }

  /** The values of the headers attribution reads, as the sender set them; null when none is read. */
  /* @Nullable */ String[] attributeHeaders() {
    String[] names = Hooks.attributeHeaders();
    if (names.length == 0) {
      return null;
    }
    String[] values = new String[names.length];
    for (int i = 0; i < names.length; i++) {
      values[i] = headers.get(names[i]);
    }
    return values;
  }

  private void write(Object message) {
    try {
      ByteBuf buf = message instanceof ByteBuf ? (ByteBuf) message
          : message instanceof ByteBufHolder ? ((ByteBufHolder) message).content() : null;
      if (buf == null) {
        throw new IllegalArgumentException("Tollgate estimates only byte bodies, not " + message.getClass().getName());
      }
      byte[] bytes = new byte[buf.readableBytes()];
      buf.getBytes(buf.readerIndex(), bytes);
      synchronized (body) {
        body.write(bytes, 0, bytes.length);
      }
    } finally {
      ReferenceCountUtil.release(message);
    }
  }

  // NettyOutbound: what the sender sends is kept, in order, when the returned publisher is subscribed.

  @Override
  public ByteBufAllocator alloc() {
    return UnpooledByteBufAllocator.DEFAULT;
  }

  @Override
  public NettyOutbound send(Publisher<? extends ByteBuf> data, Predicate<ByteBuf> flush) {
    return then(Flux.from(data).doOnNext(this::write).then());
  }

  @Override
  public NettyOutbound sendObject(Publisher<?> data, Predicate<Object> flush) {
    return then(Flux.from(data).doOnNext(this::write).then());
  }

  @Override
  public NettyOutbound sendObject(Object message) {
    return then(Mono.fromRunnable(() -> write(message)));
  }

  @Override
  public <S> NettyOutbound sendUsing(Callable<? extends S> input, BiFunction<? super Connection, ? super S, ?> mapped,
      Consumer<? super S> cleanup) {
    return then(Mono.error(new UnsupportedOperationException("a body sent with sendUsing is estimated from nothing")));
  }

  @Override
  public NettyOutbound withConnection(Consumer<? super Connection> action) {
    return this; // no connection yet; the real request runs the sender again
  }

  // HttpClientRequest, as a proxy: headers are kept, the rest describes the request.

  @Override
  public Object invoke(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "requestHeaders":
        return headers;
      case "addHeader":
        headers.add((CharSequence) args[0], args[1]);
        return proxy;
      case "header":
        headers.set((CharSequence) args[0], args[1]);
        return proxy;
      case "headers":
        headers.set((HttpHeaders) args[0]);
        return proxy;
      case "addCookie":
      case "responseTimeout":
        return proxy; // the real request gets them when the sender runs again
      case "method":
        return config.method();
      case "uri":
      case "resourceUrl":
        return url;
      case "fullPath":
      case "path":
        return URI.create(url).getPath();
      case "version":
        return HttpVersion.HTTP_1_1;
      case "requestId":
        return "tollgate-estimate";
      case "redirectedFrom":
        return new String[0];
      case "cookies":
        return Collections.emptyMap();
      case "isFollowRedirect":
      case "isWebsocket":
        return false;
      case "isKeepAlive":
        return true;
      case "currentContext":
      case "currentContextView":
        return reactor.util.context.Context.empty();
      case "hashCode":
        return System.identityHashCode(proxy);
      case "equals":
        return proxy == args[0];
      case "toString":
        return "Tollgate's estimate of " + config.method() + ' ' + url;
      default:
        throw new UnsupportedOperationException(method.getName() + " while Tollgate estimates the body");
    }
  }
}
