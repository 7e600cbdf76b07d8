package dev.tollgate.agent.instrument.aws.support;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;

/** A body of one buffer: a blocked call's 402, published on the first request. */
final class OneBuffer implements Publisher<ByteBuffer> {
  private final byte[] bytes;

  OneBuffer(byte[] bytes) {
    this.bytes = bytes;
  }

  @Override
  public void subscribe(Subscriber<? super ByteBuffer> s) {
    AtomicBoolean done = new AtomicBoolean();
    s.onSubscribe(new Subscription() {
      @Override
      public void request(long n) {
        if (!done.compareAndSet(false, true)) {
          return;
        }
        if (n <= 0) {
          s.onError(new IllegalArgumentException("reactive-streams 3.9: a request must be positive, was " + n));
          return;
        }
        s.onNext(ByteBuffer.wrap(bytes));
        s.onComplete();
      }

      @Override
      public void cancel() {
        done.set(true);
      }
    });
  }
}
