package dev.tollgate.agent.instrument.spring.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import java.util.concurrent.CancellationException;
import org.springframework.core.io.buffer.DataBuffer;
import org.springframework.http.client.reactive.ClientHttpResponse;
import org.springframework.http.client.reactive.ClientHttpResponseDecorator;
import reactor.core.publisher.Flux;

/** A response whose body feeds the usage tap as the application consumes it; the buffers pass on untouched. */
final class TappedReactiveResponse extends ClientHttpResponseDecorator {
  private final CallHandle handle;
  private volatile boolean subscribed;

  TappedReactiveResponse(ClientHttpResponse delegate, CallHandle handle) {
    super(delegate);
    this.handle = handle;
  }

  boolean isSubscribed() {
    return subscribed;
  }

  @Override
  public Flux<DataBuffer> getBody() {
    return getDelegate().getBody()
        .doOnSubscribe(s -> subscribed = true)
        .doOnNext(buffer -> ReactiveMetering.feed(handle, buffer))
        .doOnComplete(handle::onBodyEnd)
        .doOnError(handle::onBodyError)
        .doOnCancel(() -> handle.onBodyError(new CancellationException("the application cancelled the response body")));
  }
}
