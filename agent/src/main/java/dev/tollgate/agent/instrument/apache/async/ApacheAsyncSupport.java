package dev.tollgate.agent.instrument.apache.async;

import dev.tollgate.agent.bootstrap.ApacheAsyncBridge;
import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The async client's side of metering, called from {@code ApacheAsyncAdvice} in {@code doExecute}.
 *
 * <p>The advice sees an {@code AsyncRequestProducer}, not a request: the request only appears when
 * the producer sends it to a channel. The client's own producers ({@code BasicRequestProducer},
 * and {@code SimpleRequestProducer} behind {@code execute(SimpleHttpRequest…)}) just hand their
 * fixed request to the channel, so they are asked once more, into a {@link RequestCapture}. Any
 * other producer might do work or change state when asked, so its calls are left unmetered.
 *
 * <p>Cost for a call that is not metered: a class check, the small capture and the URL string (the
 * request holds scheme, host and path apart); classifying it allocates nothing more.
 */
public final class ApacheAsyncSupport extends ApacheAsyncBridge {

  /** Instantiated reflectively by the agent, in the class loader it defined this class in. */
  public ApacheAsyncSupport() {}

  @Override
  public CallHandle begin(Object target, Object producer) throws Exception {
    Class<?> type = producer.getClass();
    if (type != BasicRequestProducer.class && type != SimpleRequestProducer.class) {
      return null;
    }
    RequestCapture sent = RequestCapture.of((AsyncRequestProducer) producer);
    HttpRequest request = sent.request;
    String url = target != null ? ((HttpHost) target).toURI() + request.getRequestUri() : request.getUri().toString();
    Object operation = Hooks.classify(request.getMethod(), url);
    if (operation == null) {
      return null;
    }
    return Hooks.begin(operation, url, RequestBodies.read(request, sent.entity), RequestBodies.length(sent.entity));
  }

  @Override
  public Object wrapConsumer(CallHandle handle, Object consumer) {
    return new TappingConsumer<>(handle, (AsyncResponseConsumer<?>) consumer);
  }

  @Override
  @SuppressWarnings({"unchecked", "rawtypes"})
  public Object blocked(CallHandle handle, Object producer, Object consumer, Object context, Object callback) {
    return BlockedExchange.answer(handle, (AsyncRequestProducer) producer, (AsyncResponseConsumer) consumer,
        (HttpContext) context, (FutureCallback) callback);
  }

  @Override
  public void watch(CallHandle handle, Object future) {
    // A future the client completed before returning it never reached the consumer (a failure
    // inside doExecute). A finished call has settled already, and settling twice is a no-op.
    if (future instanceof Future && ((Future<?>) future).isDone()) {
      handle.onFailure(new CancellationException("the client ended the call before sending it"));
    }
  }
}
