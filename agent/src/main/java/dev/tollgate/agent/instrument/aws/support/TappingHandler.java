package dev.tollgate.agent.instrument.aws.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import java.nio.ByteBuffer;
import java.util.concurrent.CancellationException;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscriber;
import org.reactivestreams.Subscription;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;

/**
 * The SDK's response handler with the call's tap in front of it: each buffer of the body is fed to
 * the tap (its position untouched) before the SDK's subscriber gets it. The call settles at the
 * tap's end of usage, the body's end, an error, or a cancel; whichever comes first.
 */
final class TappingHandler implements SdkAsyncHttpResponseHandler {
  private final SdkAsyncHttpResponseHandler delegate;
  private final CallHandle handle;
  private volatile boolean responded;
  private boolean tapBody;

  TappingHandler(SdkAsyncHttpResponseHandler delegate, CallHandle handle) {
    this.delegate = delegate;
    this.handle = handle;
  }

  @Override
  public void onHeaders(SdkHttpResponse headers) {
    try {
      AwsCalls.usageHeaders(handle, headers);
      tapBody = handle.onResponseStart(AwsCalls.info(headers));
    } catch (Throwable t) {
      Hooks.failed("aws-sdk-async-response", t);
    }
    responded = true;
    delegate.onHeaders(headers);
  }

  @Override
  public void onStream(Publisher<ByteBuffer> stream) {
    delegate.onStream(tapBody ? new Tapped(stream) : stream);
  }

  @Override
  public void onError(Throwable error) {
    failed(error);
    delegate.onError(error);
  }

  /** The exchange failed: before a response, the call failed; after one, its body did. */
  void failed(Throwable error) {
    if (responded) {
      handle.onBodyError(error);
    } else {
      handle.onFailure(error);
    }
  }

  /** The body, each buffer through the tap first. */
  private final class Tapped implements Publisher<ByteBuffer> {
    private final Publisher<ByteBuffer> upstream;

    Tapped(Publisher<ByteBuffer> upstream) {
      this.upstream = upstream;
    }

    @Override
    public void subscribe(Subscriber<? super ByteBuffer> s) {
      upstream.subscribe(new Subscriber<ByteBuffer>() {
        @Override
        public void onSubscribe(Subscription subscription) {
          s.onSubscribe(new Subscription() {
            @Override
            public void request(long n) {
              subscription.request(n);
            }

            @Override
            public void cancel() {
              handle.onBodyError(new CancellationException("the SDK cancelled the response body"));
              subscription.cancel();
            }
          });
        }

        @Override
        public void onNext(ByteBuffer buffer) {
          handle.onBodyChunk(buffer);
          s.onNext(buffer);
        }

        @Override
        public void onError(Throwable t) {
          handle.onBodyError(t);
          s.onError(t);
        }

        @Override
        public void onComplete() {
          handle.onBodyEnd();
          s.onComplete();
        }
      });
    }
  }
}
