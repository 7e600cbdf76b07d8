package dev.tollgate.agent.instrument.aws.support;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Hooks;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.async.AsyncExecuteRequest;
import software.amazon.awssdk.http.async.SdkAsyncHttpClient;
import software.amazon.awssdk.http.async.SdkAsyncHttpResponseHandler;

/**
 * An async stage's client, metered: a metered call is decided before the transport (Netty, over
 * HTTP/1.1 or HTTP/2; CRT) is handed it; a blocked one never reaches it, and the SDK's own handler
 * reads a synthetic 402. An allowed call's response handler is wrapped so the body's buffers pass
 * through the call's tap on their way to the SDK.
 */
final class MeteredAsyncHttpClient implements SdkAsyncHttpClient {
  private final SdkAsyncHttpClient delegate;
  private final /* @Nullable */ Object caller;

  MeteredAsyncHttpClient(SdkAsyncHttpClient delegate, /* @Nullable */ Object caller) {
    this.delegate = delegate;
    this.caller = caller;
  }

  @Override
  public CompletableFuture<Void> execute(AsyncExecuteRequest request) {
    CallHandle handle;
    AsyncExecuteRequest metered;
    TappingHandler tapping;
    try {
      SdkHttpRequest r = request.request();
      Object operation = AwsCalls.classify(r);
      if (operation == null) {
        return delegate.execute(request);
      }
      long length = request.requestContentPublisher() == null ? -1 : request.requestContentPublisher().contentLength().orElse(-1L);
      handle = AwsCalls.begin(operation, r, AwsCalls.content(r), length, caller);
      if (handle.isBlocked()) {
        return blocked(request.responseHandler(), handle);
      }
      tapping = new TappingHandler(request.responseHandler(), handle);
      metered = withHandler(request, tapping);
    } catch (Throwable t) {
      Hooks.failed("aws-sdk-async-begin", t);
      return delegate.execute(request);
    }
    CompletableFuture<Void> sent;
    try {
      sent = delegate.execute(metered);
    } catch (RuntimeException | Error e) {
      handle.onFailure(e);
      throw e;
    }
    // The SDK completes this very future to cancel the exchange: it is returned as it is.
    sent.whenComplete((done, failure) -> {
      if (failure != null) {
        tapping.failed(failure);
      }
    });
    return sent;
  }

  private static AsyncExecuteRequest withHandler(AsyncExecuteRequest r, SdkAsyncHttpResponseHandler handler) {
    AsyncExecuteRequest.Builder b = AsyncExecuteRequest.builder()
        .request(r.request())
        .requestContentPublisher(r.requestContentPublisher())
        .responseHandler(handler)
        .fullDuplex(r.fullDuplex())
        .httpExecutionAttributes(r.httpExecutionAttributes());
    r.metricCollector().ifPresent(b::metricCollector);
    return b.build();
  }

  private static CompletableFuture<Void> blocked(SdkAsyncHttpResponseHandler handler, CallHandle handle) {
    IOException exception = handle.blockedException();
    if (exception == null) {
      try {
        handler.onHeaders(AwsCalls.blockedResponse());
        handler.onStream(new OneBuffer(AwsCalls.blockedBody(handle)));
        return CompletableFuture.completedFuture(null);
      } catch (RuntimeException | LinkageError e) {
        exception = handle.blockedFailure(e);
      }
    }
    handler.onError(exception);
    CompletableFuture<Void> failed = new CompletableFuture<>();
    failed.completeExceptionally(exception);
    return failed;
  }

  @Override
  public String clientName() {
    return delegate.clientName();
  }

  @Override
  public void close() {
    delegate.close();
  }
}
