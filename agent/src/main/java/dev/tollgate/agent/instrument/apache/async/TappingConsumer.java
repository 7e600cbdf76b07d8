package dev.tollgate.agent.instrument.apache.async;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CancellationException;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * The application's {@code AsyncResponseConsumer}, with each chunk fed to the call's tap just before
 * the consumer gets it, untouched (the tap reads the buffer without moving its position). The call
 * settles at the end of the body, before the consumer completes the application's future, so the
 * record is written by the time the application sees the result.
 */
final class TappingConsumer<T> implements AsyncResponseConsumer<T> {
  private final CallHandle handle;
  private final AsyncResponseConsumer<T> delegate;
  private volatile boolean started;
  private volatile boolean tapping;
  private volatile boolean ended; // the handle has heard the end of the call

  TappingConsumer(CallHandle handle, AsyncResponseConsumer<T> delegate) {
    this.handle = handle;
    this.delegate = delegate;
  }

  @Override
  public void consumeResponse(HttpResponse response, /* @Nullable */ EntityDetails entity, HttpContext context,
      FutureCallback<T> resultCallback) throws HttpException, IOException {
    started = true;
    // The async client never decodes: the consumer gets the body as it came, so the tap decodes its own view.
    tapping = handle.onResponseStart(entity == null ? new ResponseInfo(response.getCode(), null, null)
        : new ResponseInfo(response.getCode(), entity.getContentType(), entity.getContentEncoding()));
    ended = !tapping;
    if (tapping && entity == null) {
      end(); // a 2xx without a body: the consumer completes right away
    }
    delegate.consumeResponse(response, entity, context, resultCallback);
  }

  @Override
  public void informationResponse(HttpResponse response, HttpContext context) throws HttpException, IOException {
    delegate.informationResponse(response, context);
  }

  @Override
  public void updateCapacity(CapacityChannel capacityChannel) throws IOException {
    delegate.updateCapacity(capacityChannel);
  }

  @Override
  public void consume(ByteBuffer src) throws IOException {
    if (tapping) {
      handle.onBodyChunk(src);
    }
    delegate.consume(src);
  }

  @Override
  public void streamEnd(List<? extends Header> trailers) throws HttpException, IOException {
    if (tapping) {
      end();
    }
    delegate.streamEnd(trailers);
  }

  @Override
  public void failed(Exception cause) {
    fail(cause);
    delegate.failed(cause);
  }

  /** The client is done with the exchange; a call it dropped without an end or a failure was cancelled. */
  @Override
  public void releaseResources() {
    if (!ended) {
      fail(new CancellationException("the exchange ended before the response did"));
    }
    delegate.releaseResources();
  }

  private void end() {
    ended = true;
    handle.onBodyEnd();
  }

  private void fail(Exception cause) {
    if (ended) {
      return;
    }
    ended = true;
    if (started) {
      handle.onBodyError(cause);
    } else {
      handle.onFailure(cause);
    }
  }
}
