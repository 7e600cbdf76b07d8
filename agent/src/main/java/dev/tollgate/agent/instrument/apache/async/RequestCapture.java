package dev.tollgate.agent.instrument.apache.async;

import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.protocol.HttpContext;
import java.io.IOException;
import org.jspecify.annotations.Nullable;

/** What a request producer sends: the request and its entity, kept rather than sent. */
final class RequestCapture implements RequestChannel {
  @SuppressWarnings("NullAway.Init") // set by sendRequest; of() checks that it was
  HttpRequest request;

  @Nullable
  EntityDetails entity;

  private RequestCapture() {}

  /** Only for producers that send a fixed request and do nothing else when asked. */
  static RequestCapture of(AsyncRequestProducer producer) throws HttpException, IOException {
    RequestCapture capture = new RequestCapture();
    producer.sendRequest(capture, null);
    if (capture.request == null) {
      throw new IllegalStateException(producer.getClass().getName() + " sent no request");
    }
    return capture;
  }

  @Override
  public void sendRequest(HttpRequest request, EntityDetails entity, HttpContext context) {
    this.request = request;
    this.entity = entity; // the client's producers send their AsyncEntityProducer as the details

  }
}
