package dev.tollgate.agent.instrument.reactornetty.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.LastHttpContent;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Taps one metered response in the connection's pipeline, where Reactor Netty hands the decoded
 * (and, with {@code compress(true)}, decompressed) response to the application's side: the head,
 * then the body as it flows, whichever of Reactor Netty's APIs reads it. Added before the request
 * is written, removed by Reactor Netty when the exchange ends; removed after the head but before the
 * body's end (the application cancelled, the connection closed), the call settles as cut short.
 * Before a head it does nothing: a failure or retry there is the request's, not the body's.
 */
final class ResponseTap extends ChannelInboundHandlerAdapter {
  private final CallHandle handle;
  private boolean started; // the head arrived and its body is tapped
  private boolean ended;

  ResponseTap(CallHandle handle) {
    this.handle = handle;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
    try {
      observe(msg);
    } catch (Throwable t) {
      Hooks.failed("reactor-netty-response", t);
    }
    ctx.fireChannelRead(msg);
  }

  private void observe(Object msg) {
    if (ended) {
      return;
    }
    if (msg instanceof HttpObject && ((HttpObject) msg).decoderResult().isFailure()) {
      cutShort(((HttpObject) msg).decoderResult().cause()); // e.g. the connection closed mid-body: Netty ends it with a failed last part
      return;
    }
    if (msg instanceof HttpResponse) {
      HttpResponse head = (HttpResponse) msg;
      HttpHeaders headers = head.headers(); // Content-Encoding is gone when Reactor Netty decompressed the body
      started = handle.onResponseStart(new ResponseInfo(head.status().code(), headers.get("Content-Type"), headers.get("Content-Encoding")));
      ended = !started;
    }
    if (started && msg instanceof HttpContent) {
      ByteBuf content = ((HttpContent) msg).content();
      if (content.isReadable()) {
        for (ByteBuffer b : content.nioBuffers()) { // views: the application's read position is untouched
          handle.onBodyChunk(b);
        }
      }
      if (msg instanceof LastHttpContent) {
        ended = true;
        handle.onBodyEnd();
      }
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) throws Exception {
    cutShort(cause);
    ctx.fireExceptionCaught(cause);
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) throws Exception {
    cutShort(new IOException("the connection closed before the response body ended"));
    ctx.fireChannelInactive();
  }

  @Override
  public void handlerRemoved(ChannelHandlerContext ctx) {
    cutShort(new java.util.concurrent.CancellationException("the response body was not read to its end"));
  }

  private void cutShort(Throwable why) {
    if (started && !ended) {
      ended = true;
      handle.onBodyError(why);
    }
  }
}
