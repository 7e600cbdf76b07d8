package dev.tollgate.agent.instrument.jdkhttp.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.JdkHttpBridge;
import java.io.ByteArrayOutputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import org.jspecify.annotations.Nullable;

/**
 * The JDK HttpClient side of metering: reads replayable request bodies, wraps the application's
 * {@code BodyHandler} with a tapping subscriber, and answers blocked calls through the
 * application's own handler, so every body type ({@code ofString}, {@code ofInputStream},
 * {@code ofLines}, {@code fromLineSubscriber}…) gets a real 402 response.
 */
public final class JdkHttpSupport extends JdkHttpBridge {

  @Override
  public byte @Nullable [] bodyBytes(@Nullable Object publisher) {
    if (publisher == null || !isReplayable(publisher.getClass().getName())) {
      return null;
    }
    Collector collector = new Collector();
    ((HttpRequest.BodyPublisher) publisher).subscribe(collector);
    try {
      // Delivered on this thread as it subscribed, or not at all: no wait, which an interrupted
      // application thread would fail (and lose its flag to).
      return collector.done.getNow(null); // null: estimated from the length instead
    } catch (CompletionException | CancellationException e) {
      return null;
    }
  }

  /** The JDK's in-memory publishers ({@code ofString}, {@code ofByteArray}) replay their bytes to every subscriber. */
  static boolean isReplayable(String className) {
    return className.startsWith("jdk.internal.net.http.RequestPublishers$ByteArrayPublisher")
        || className.startsWith("jdk.internal.net.http.RequestPublishers$StringPublisher")
        || className.startsWith("jdk.internal.net.http.RequestPublishers$EmptyPublisher");
  }

  @Override
  public long contentLength(@Nullable Object publisher) {
    return publisher == null ? 0 : ((HttpRequest.BodyPublisher) publisher).contentLength();
  }

  @Override
  public Object wrapHandler(CallHandle handle, Object handler) {
    wrapping();
    return new TappingHandler<>(handle, (HttpResponse.BodyHandler<?>) handler);
  }

  @Override
  public Object trustedAs(Object subscriber) {
    return TappingHandler.tapped(subscriber);
  }

  @Override
  public Object blocked(CallHandle handle, Object request, Object handler) {
    if (handle.blockedException() != null) {
      return CompletableFuture.failedFuture(handle.blockedException());
    }
    return BlockedResponse.complete((HttpRequest) request, (HttpResponse.BodyHandler<?>) handler, handle.requireBlockedBody());
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object watch(CallHandle handle, Object future) {
    return PulledResponse.watch(handle, (CompletableFuture<HttpResponse<Object>>) future);
  }

  /** Collects an in-memory publisher's bytes; it delivers them on the subscribing thread. */
  private static final class Collector implements Flow.Subscriber<ByteBuffer> {
    final CompletableFuture<byte[]> done = new CompletableFuture<>();
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

    @Override
    public void onSubscribe(Flow.Subscription s) {
      s.request(Long.MAX_VALUE);
    }

    @Override
    public void onNext(ByteBuffer b) {
      byte[] chunk = new byte[b.remaining()];
      b.get(chunk);
      bytes.write(chunk, 0, chunk.length);
    }

    @Override
    public void onError(Throwable t) {
      done.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
      done.complete(bytes.toByteArray());
    }
  }
}
