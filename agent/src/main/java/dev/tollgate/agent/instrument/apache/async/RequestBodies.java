package dev.tollgate.agent.instrument.apache.async;

import dev.tollgate.agent.bootstrap.Hooks;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.entity.BasicAsyncEntityProducer;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityProducer;

/**
 * The request body's bytes for the estimate, when they can be had without changing what is sent. A
 * {@code SimpleHttpRequest} holds them. The client's in-memory entities ({@code AsyncEntityProducers}
 * of a string or bytes) are read by producing them into this channel: a byte producer offers its
 * whole buffer, which is copied without being taken, so the producer is left exactly as it was; a
 * string producer encodes as it goes, so it is produced to the end and rewound with {@code
 * releaseResources()}, as the client rewinds a repeatable entity before a retry. (Rewinding a byte
 * producer that way would be wrong: httpcore5 5.1 then sends bytes past its content.)
 * Anything else is estimated from its length.
 */
final class RequestBodies implements DataStreamChannel {
  private static final int LIMIT = Hooks.MAX_BODY_COPY;

  private final boolean take;
  private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
  private boolean ended;

  private RequestBodies(boolean take) {
    this.take = take;
  }

  /** The body, or null to estimate it from its length (also when reading it failed). */
  static /* @Nullable */ byte[] read(HttpRequest request, /* @Nullable */ EntityDetails entity) {
    try {
      if (request instanceof SimpleHttpRequest && ((SimpleHttpRequest) request).getBody() != null) {
        return ((SimpleHttpRequest) request).getBodyBytes();
      }
      if (entity != null && entity.getClass() == BasicAsyncEntityProducer.class) {
        return peek((AsyncEntityProducer) entity);
      }
      if (entity != null && entity.getClass() == StringAsyncEntityProducer.class) {
        return drain((AsyncEntityProducer) entity);
      }
      return null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  static long length(/* @Nullable */ EntityDetails entity) {
    return entity == null ? 0 : entity.getContentLength();
  }

  private static /* @Nullable */ byte[] peek(AsyncEntityProducer producer) throws IOException {
    long length = producer.getContentLength();
    if (length <= 0 || length > LIMIT) {
      return length == 0 ? new byte[0] : null; // an empty producer would end its stream when asked
    }
    RequestBodies sink = new RequestBodies(false);
    producer.produce(sink);
    return sink.bytes.size() == length ? sink.bytes.toByteArray() : null;
  }

  /** Produces until the end of the stream, or until a round adds nothing twice (over the limit). */
  private static /* @Nullable */ byte[] drain(AsyncEntityProducer producer) throws IOException {
    RequestBodies sink = new RequestBodies(true);
    try {
      for (int idle = 0; !sink.ended && idle < 2; ) {
        int before = sink.bytes.size();
        producer.produce(sink);
        idle = sink.bytes.size() > before ? 0 : idle + 1;
      }
    } finally {
      producer.releaseResources();
    }
    return sink.ended ? sink.bytes.toByteArray() : null;
  }

  @Override
  public int write(ByteBuffer src) {
    int n = src.remaining();
    if (bytes.size() + n > LIMIT) {
      return 0;
    }
    ByteBuffer from = take ? src : src.duplicate();
    byte[] chunk = new byte[n];
    from.get(chunk);
    bytes.write(chunk, 0, n);
    return n;
  }

  @Override
  public void requestOutput() {}

  @Override
  public void endStream() {
    ended = true;
  }

  @Override
  public void endStream(List<? extends Header> trailers) {
    ended = true;
  }
}
