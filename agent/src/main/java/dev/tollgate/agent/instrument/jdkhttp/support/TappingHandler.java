package dev.tollgate.agent.instrument.jdkhttp.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * The application's {@code BodyHandler}, with each chunk fed to the call's tap just before the
 * application's subscriber gets it. Nothing is buffered or changed: same buffers, same order.
 */
final class TappingHandler<T> implements HttpResponse.BodyHandler<T> {
  private final CallHandle handle;
  private final HttpResponse.BodyHandler<T> delegate;

  TappingHandler(CallHandle handle, HttpResponse.BodyHandler<T> delegate) {
    this.handle = handle;
    this.delegate = delegate;
  }

  @Override
  public HttpResponse.BodySubscriber<T> apply(HttpResponse.ResponseInfo info) {
    HttpResponse.BodySubscriber<T> subscriber = delegate.apply(info);
    String type = info.headers().firstValue("content-type").orElse(null);
    String encoding = info.headers().firstValue("content-encoding").orElse(null); // the JDK client never decodes
    return handle.onResponseStart(new ResponseInfo(info.statusCode(), type, encoding, contentLength(info)))
        ? new Tap<>(handle, subscriber) : subscriber;
  }

  /** The {@code Content-Length}, or -1 when there is none or it is not a number (the client, not the tap, reports that). */
  private static long contentLength(HttpResponse.ResponseInfo info) {
    try {
      return info.headers().firstValueAsLong("content-length").orElse(-1);
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  /** The application's subscriber inside {@code subscriber} if it is a tap, else {@code subscriber}. */
  static Object tapped(Object subscriber) {
    return subscriber instanceof Tap ? ((Tap<?>) subscriber).delegate : subscriber;
  }

  private static final class Tap<T> implements HttpResponse.BodySubscriber<T> {
    private final CallHandle handle;
    private final HttpResponse.BodySubscriber<T> delegate;

    Tap(CallHandle handle, HttpResponse.BodySubscriber<T> delegate) {
      this.handle = handle;
      this.delegate = delegate;
    }

    @Override
    public CompletionStage<T> getBody() {
      return delegate.getBody();
    }

    @Override
    public void onSubscribe(Flow.Subscription subscription) {
      delegate.onSubscribe(new Cancelling(handle, subscription));
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
      for (ByteBuffer b : buffers) {
        handle.onBodyChunk(b);
      }
      delegate.onNext(buffers);
    }

    @Override
    public void onError(Throwable t) {
      handle.onBodyError(t);
      delegate.onError(t);
    }

    @Override
    public void onComplete() {
      handle.onBodyEnd();
      delegate.onComplete();
    }
  }

  /**
   * The client's subscription, as the application's subscriber sees it. The client may or may not
   * signal the end of a body whose subscriber cancelled (closing an {@code ofInputStream} body
   * early cancels it), so the cancel itself ends the call.
   */
  private static final class Cancelling implements Flow.Subscription {
    private final CallHandle handle;
    private final Flow.Subscription subscription;

    Cancelling(CallHandle handle, Flow.Subscription subscription) {
      this.handle = handle;
      this.subscription = subscription;
    }

    @Override
    public void request(long n) {
      subscription.request(n);
    }

    @Override
    public void cancel() {
      try {
        subscription.cancel();
      } finally {
        handle.onBodyError(new CancellationException("the application cancelled the response body"));
      }
    }
  }
}
