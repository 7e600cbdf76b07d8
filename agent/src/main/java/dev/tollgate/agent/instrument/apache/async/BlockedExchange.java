package dev.tollgate.agent.instrument.apache.async;

import dev.tollgate.agent.bootstrap.CallHandle;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.BasicFuture;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.jspecify.annotations.Nullable;

/**
 * A blocked call, answered without the client: no connection is leased, nothing is sent. In
 * {@code response} mode the application's own consumer reads a synthetic 402 and produces the
 * result the application's callback and future get, as for a real 402; in {@code exception} mode
 * the consumer, the callback and the future fail with {@code CreditsExhaustedException}. Producer
 * and consumer are released afterwards, as the client releases them at the end of an exchange.
 */
final class BlockedExchange<T> implements FutureCallback<T> {
  private final BasicFuture<T> future;

  private BlockedExchange(@Nullable FutureCallback<T> callback) {
    this.future = new BasicFuture<>(callback);
  }

  static <T> Future<T> answer(CallHandle handle, AsyncRequestProducer producer, AsyncResponseConsumer<T> consumer,
      @Nullable HttpContext context, @Nullable FutureCallback<T> callback) {
    BlockedExchange<T> exchange = new BlockedExchange<>(callback);
    IOException refusal = handle.blockedException();
    try {
      if (refusal != null) {
        consumer.failed(refusal);
        exchange.future.failed(refusal);
      } else {
        exchange.respond402(handle, consumer, context != null ? context : HttpClientContext.create());
      }
    } catch (Exception | LinkageError e) {
      exchange.future.failed(handle.blockedFailure(e));
    } finally {
      consumer.releaseResources();
      producer.releaseResources();
    }
    return exchange.future;
  }

  private void respond402(CallHandle handle, AsyncResponseConsumer<T> consumer, HttpContext context) throws HttpException, IOException {
    byte[] body = handle.requireBlockedBody().getBytes(StandardCharsets.UTF_8);
    BasicHttpResponse response = new BasicHttpResponse(402, "Payment Required");
    response.addHeader("Tollgate-Blocked", "true");
    response.addHeader("Content-Type", ContentType.APPLICATION_JSON.toString());
    response.addHeader("Content-Length", body.length);
    consumer.consumeResponse(response, new BasicEntityDetails(body.length, ContentType.APPLICATION_JSON), context, this);
    consumer.updateCapacity(increment -> {});
    consumer.consume(ByteBuffer.wrap(body));
    consumer.streamEnd(null);
    if (!future.isDone()) {
      // A consumer that produced no result from a whole response would leave the application waiting.
      future.failed(handle.blockedFailure(null));
    }
  }

  @Override
  public void completed(T result) {
    future.completed(result);
  }

  @Override
  public void failed(Exception ex) {
    future.failed(ex);
  }

  @Override
  public void cancelled() {
    future.cancel();
  }
}
