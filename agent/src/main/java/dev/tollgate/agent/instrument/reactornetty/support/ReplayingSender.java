package dev.tollgate.agent.instrument.reactornetty.support;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;
import reactor.netty.Connection;
import reactor.netty.NettyOutbound;
import reactor.netty.http.client.HttpClientRequest;

/**
 * The application's sender, run again on the real request: headers, cookies and connection tweaks
 * go through, but the body sent is the one captured (and estimated), once, whatever the sender sends
 * this time, which is dropped unread. Its class marks the support's own connect, which the advice
 * lets through.
 */
final class ReplayingSender implements BiFunction<HttpClientRequest, NettyOutbound, Publisher<Void>> {
  private final /* @Nullable */ BiFunction<? super HttpClientRequest, ? super NettyOutbound, ? extends Publisher<Void>> sender;
  private final /* @Nullable */ byte[] body;

  /** {@code body} null: the capture failed, the sender sends as written. */
  ReplayingSender(/* @Nullable */ BiFunction<? super HttpClientRequest, ? super NettyOutbound, ? extends Publisher<Void>> sender,
      /* @Nullable */ byte[] body) {
    this.sender = sender;
    this.body = body;
  }

  @Override
  public Publisher<Void> apply(HttpClientRequest request, NettyOutbound outbound) {
    if (sender == null) {
      return outbound;
    }
    if (body == null) {
      return sender.apply(request, outbound);
    }
    return sender.apply(request, new Replaying(outbound, new AtomicBoolean()));
  }

  /** The real outbound, whose first send of any kind sends the captured body and whose later sends send nothing. */
  private final class Replaying implements NettyOutbound {
    private final NettyOutbound delegate;
    private final AtomicBoolean sent;

    Replaying(NettyOutbound delegate, AtomicBoolean sent) {
      this.delegate = delegate;
      this.sent = sent;
    }

    private NettyOutbound sendCaptured() {
      if (sent.getAndSet(true)) {
        return this;
      }
      return new Replaying(delegate.send(Mono.fromSupplier(() -> Unpooled.wrappedBuffer(body))), sent);
    }

    @Override
    public ByteBufAllocator alloc() {
      return UnpooledByteBufAllocator.DEFAULT; // what the sender writes here is dropped: keep it off the pooled allocator
    }

    @Override
    public NettyOutbound send(Publisher<? extends ByteBuf> ignored, Predicate<ByteBuf> flush) {
      return sendCaptured();
    }

    @Override
    public NettyOutbound sendObject(Publisher<?> ignored, Predicate<Object> flush) {
      return sendCaptured();
    }

    @Override
    public NettyOutbound sendObject(Object ignored) {
      ReferenceCountUtil.release(ignored);
      return sendCaptured();
    }

    @Override
    public <S> NettyOutbound sendUsing(Callable<? extends S> input, BiFunction<? super Connection, ? super S, ?> mapped,
        Consumer<? super S> cleanup) {
      return sendCaptured();
    }

    @Override
    public NettyOutbound withConnection(Consumer<? super Connection> action) {
      return new Replaying(delegate.withConnection(action), sent);
    }

    @Override
    public Mono<Void> then() {
      return delegate.then();
    }
  }
}
