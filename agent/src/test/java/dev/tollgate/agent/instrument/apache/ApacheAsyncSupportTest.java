package dev.tollgate.agent.instrument.apache;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.agent.bootstrap.ApacheAsyncBridge;
import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Dispatcher;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.instrument.HidingAgentInternals;
import dev.tollgate.agent.instrument.RecordingHandle;
import dev.tollgate.api.CreditsExhaustedException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.async.methods.SimpleResponseConsumer;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.impl.BasicEntityDetails;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.DataStreamChannel;
import org.apache.hc.core5.http.nio.RequestChannel;
import org.apache.hc.core5.http.nio.entity.AsyncEntityProducers;
import org.apache.hc.core5.http.nio.entity.StringAsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.AsyncRequestBuilder;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The async support as the agent runs it: defined by {@link ApacheHttpClient5Instrumentation#ASYNC_SUPPORT} in a loader that
 * sees Apache and the boot bridge but none of the agent's other classes, as in an application
 * server, so a stray reference from the support package fails here.
 */
@org.junit.jupiter.api.parallel.Isolated("installs the JVM-wide Hooks dispatcher")
class ApacheAsyncSupportTest {
  private static final String JSON = "{\"model\":\"gpt-4o-mini\",\"max_tokens\":5}";
  private static final String URL = "http://127.0.0.1:1/v1/chat/completions";

  private final List<String> begun = new ArrayList<>();
  private final AtomicReference<byte[]> beganWith = new AtomicReference<>();
  private RecordingHandle handle = RecordingHandle.proceeding();
  private ApacheAsyncBridge apache;

  @BeforeEach
  void defineSupportWithoutTheAgentInSight() throws Exception {
    apache = ApacheHttpClient5Instrumentation.ASYNC_SUPPORT.define(new HidingAgentInternals(getClass().getClassLoader()));
    Hooks.install(new Dispatcher() {
      @Override
      public Object classify(String method, String url) {
        return url.contains("/v1/") ? "op" : null;
      }

      @Override
      public CallHandle begin(Object operation, String url, byte[] body, long contentLength) {
        begun.add(url + " " + contentLength);
        beganWith.set(body);
        return handle;
      }

      @Override
      public void failed(String site, Throwable t) {
        throw new AssertionError(site, t);
      }
    });
  }

  @AfterEach
  void uninstall() {
    Hooks.install((Dispatcher) null);
  }

  @Test
  void define_loadsTheSupportInItsOwnLoader() {
    assertThat(apache.getClass().getName()).isEqualTo("dev.tollgate.agent.instrument.apache.async.ApacheAsyncSupport");
    assertThat(apache.getClass().getClassLoader()).isInstanceOf(dev.tollgate.agent.instrument.LibrarySupport.HelperLoader.class);
  }

  @Test
  void begin_simpleRequest_readsItsBody() throws Exception {
    AsyncRequestProducer producer = jsonPost();

    assertThat(apache.begin(null, producer)).isSameAs(handle);

    assertThat(begun).containsExactly(URL + " " + JSON.length());
    assertThat(new String(beganWith.get(), StandardCharsets.UTF_8)).isEqualTo(JSON);
    assertThat(produce(producer)).isEqualTo(JSON);
  }

  @Test
  void begin_bytesEntity_isReadWithoutBeingTaken() throws Exception {
    AsyncRequestProducer producer = AsyncRequestBuilder.post(URL)
        .setEntity(AsyncEntityProducers.create(JSON.getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON)).build();

    apache.begin(null, producer);

    assertThat(new String(beganWith.get(), StandardCharsets.UTF_8)).isEqualTo(JSON);
    assertThat(produce(producer)).isEqualTo(JSON);
  }

  @Test
  void begin_stringEntity_isReadAndRewound() throws Exception {
    String text = JSON.replace("gpt", "gpt-ü");
    AsyncRequestProducer producer = new BasicRequestProducer(SimpleRequestBuilder.post(URL).build(),
        new StringAsyncEntityProducer(text, ContentType.APPLICATION_JSON));

    apache.begin(null, producer);

    assertThat(new String(beganWith.get(), StandardCharsets.UTF_8)).isEqualTo(text);
    assertThat(produce(producer)).isEqualTo(text);
  }

  @Test
  void begin_unknownProducer_isNeverAsked() throws Exception {
    AsyncRequestProducer producer = new BasicRequestProducer(SimpleRequestBuilder.post(URL).build(), null) {};

    assertThat(apache.begin(null, producer)).isNull();
    assertThat(begun).isEmpty();
  }

  /** As the OpenTelemetry Java agent wraps every producer: one field holding the client's own producer. */
  private static final class Delegating extends ForwardingProducer {
    private final AsyncRequestProducer delegate;
    private final String label = "span";

    Delegating(AsyncRequestProducer delegate) {
      super(delegate);
      this.delegate = delegate;
    }
  }

  /** Two producer fields: which one sends is not for Tollgate to guess. */
  private static final class TwoProducers extends ForwardingProducer {
    private final AsyncRequestProducer first;
    private final AsyncRequestProducer second;

    TwoProducers(AsyncRequestProducer first, AsyncRequestProducer second) {
      super(first);
      this.first = first;
      this.second = second;
    }
  }

  @Test
  void begin_theClientsProducerInADelegatingWrapper_isReadThroughIt() throws Exception {
    AsyncRequestProducer own = jsonPost();
    AsyncRequestProducer wrapped = new Delegating(own);

    assertThat(apache.begin(null, wrapped)).isSameAs(handle);

    assertThat(begun).containsExactly(URL + " " + JSON.length());
    assertThat(new String(beganWith.get(), StandardCharsets.UTF_8)).isEqualTo(JSON);
    assertThat(produce(wrapped)).isEqualTo(JSON);
  }

  /** Two agents stacked, as the OpenTelemetry and Elastic APM agents wrap a producer when both are attached. */
  @Test
  void begin_theClientsProducerInWrappersOfWrappers_isReadThroughThemUpToTheLimit() throws Exception {
    AsyncRequestProducer own = jsonPost();
    AsyncRequestProducer wrapped = own;
    for (int i = 0; i < 4; i++) {
      wrapped = new Delegating(wrapped);
    }

    assertThat(apache.begin(null, new Delegating(new Delegating(own)))).isSameAs(handle);
    assertThat(apache.begin(null, wrapped)).isSameAs(handle);
    assertThat(apache.begin(null, new Delegating(wrapped))).isNull(); // five deep: not looked for
    assertThat(begun).containsExactly(URL + " " + JSON.length(), URL + " " + JSON.length());
  }

  @Test
  void begin_aWrapperOfAnUnknownProducerOrOfTwo_isNeverAsked() throws Exception {
    AsyncRequestProducer own = jsonPost();
    AsyncRequestProducer unknown = new BasicRequestProducer(SimpleRequestBuilder.post(URL).build(), null) {};

    assertThat(apache.begin(null, new Delegating(unknown))).isNull();
    assertThat(apache.begin(null, new Delegating(new Delegating(unknown)))).isNull();
    assertThat(apache.begin(null, new TwoProducers(own, own))).isNull();
    assertThat(apache.begin(null, new Delegating(new TwoProducers(own, own)))).isNull();
    assertThat(begun).isEmpty();
  }

  @Test
  void begin_notMeteredUrl_startsNothing() throws Exception {
    assertThat(apache.begin(null, SimpleRequestProducer.create(SimpleRequestBuilder.get("http://127.0.0.1:1/other").build()))).isNull();
    assertThat(begun).isEmpty();
  }

  @Test
  void wrapConsumer_tapsEveryChunk_andLeavesTheBuffersToTheApp() throws Exception {
    byte[] json = JSON.getBytes(StandardCharsets.UTF_8);
    AtomicReference<SimpleHttpResponse> result = new AtomicReference<>();
    AsyncResponseConsumer<SimpleHttpResponse> consumer = wrap(SimpleResponseConsumer.create());

    consumer.consumeResponse(new BasicHttpResponse(200), new BasicEntityDetails(json.length, ContentType.APPLICATION_JSON),
        HttpClientContext.create(), callback(result));
    consumer.consume(ByteBuffer.wrap(json, 0, 10));
    ByteBuffer direct = ByteBuffer.allocateDirect(json.length - 10).put(json, 10, json.length - 10);
    direct.flip();
    consumer.consume(direct);
    consumer.streamEnd(null);
    consumer.releaseResources();

    assertThat(handle.events).containsExactly("start 200 application/json; charset=UTF-8", "end");
    assertThat(handle.body.toString(StandardCharsets.UTF_8)).isEqualTo(JSON);
    assertThat(result.get().getBodyText()).isEqualTo(JSON);
  }

  @Test
  void wrapConsumer_bodylessResponse_endsTheBodyBeforeTheAppHearsOfIt() throws Exception {
    AsyncResponseConsumer<SimpleHttpResponse> consumer = wrap(SimpleResponseConsumer.create());
    List<String> seenByApp = new ArrayList<>();

    consumer.consumeResponse(new BasicHttpResponse(204), null, HttpClientContext.create(), new FutureCallback<SimpleHttpResponse>() {
      @Override
      public void completed(SimpleHttpResponse r) {
        seenByApp.addAll(handle.events);
      }

      @Override
      public void failed(Exception ex) {}

      @Override
      public void cancelled() {}
    });

    assertThat(seenByApp).containsExactly("start 204 null", "end");
  }

  @Test
  void wrapConsumer_failureBeforeTheResponse_releasesTheCall() {
    AsyncResponseConsumer<SimpleHttpResponse> consumer = wrap(SimpleResponseConsumer.create());

    consumer.failed(new java.net.ConnectException("refused"));

    assertThat(handle.events).containsExactly("failure");
  }

  @Test
  void blocked_responseMode_theAppsConsumerReadsA402() throws Exception {
    handle = new RecordingHandle("{\"error\":{\"code\":\"tollgate_blocked\"}}", null);
    AtomicReference<SimpleHttpResponse> viaCallback = new AtomicReference<>();

    Future<?> future = (Future<?>) apache.blocked(handle, SimpleRequestProducer.create(SimpleRequestBuilder.post(URL).build()),
        SimpleResponseConsumer.create(), null, callback(viaCallback));

    SimpleHttpResponse response = (SimpleHttpResponse) future.get();
    assertThat(response.getCode()).isEqualTo(402);
    assertThat(response.getFirstHeader("Tollgate-Blocked").getValue()).isEqualTo("true");
    assertThat(response.getBodyText()).isEqualTo(handle.blockedBody());
    assertThat(viaCallback.get()).isSameAs(response);
  }

  @Test
  void blocked_exceptionMode_failsConsumerCallbackAndFuture() {
    handle = new RecordingHandle(null, new CreditsExhaustedException("no credits", BigDecimal.ONE, BigDecimal.ZERO));
    AtomicReference<Exception> consumerFailure = new AtomicReference<>();
    AtomicReference<SimpleHttpResponse> viaCallback = new AtomicReference<>();
    AsyncResponseConsumer<SimpleHttpResponse> consumer = new SimpleResponseConsumerSpy(consumerFailure);

    Future<?> future = (Future<?>) apache.blocked(handle, SimpleRequestProducer.create(SimpleRequestBuilder.post(URL).build()),
        consumer, null, callback(viaCallback));

    assertThatThrownBy(future::get).isInstanceOf(ExecutionException.class).hasCauseReference(handle.blockedException());
    assertThat(consumerFailure.get()).isSameAs(handle.blockedException());
  }

  @SuppressWarnings("unchecked")
  private <T> AsyncResponseConsumer<T> wrap(AsyncResponseConsumer<T> consumer) {
    return (AsyncResponseConsumer<T>) apache.wrapConsumer(handle, consumer);
  }

  private static FutureCallback<SimpleHttpResponse> callback(AtomicReference<SimpleHttpResponse> result) {
    return new FutureCallback<>() {
      @Override
      public void completed(SimpleHttpResponse r) {
        result.set(r);
      }

      @Override
      public void failed(Exception ex) {}

      @Override
      public void cancelled() {}
    };
  }

  /** The client's own producer of a JSON POST, as {@code execute(SimpleHttpRequest…)} makes it. */
  private static AsyncRequestProducer jsonPost() {
    return SimpleRequestProducer.create(SimpleRequestBuilder.post(URL).setBody(JSON, ContentType.APPLICATION_JSON).build());
  }

  /** Hands every call on to another producer; its subclasses declare the fields the support looks at. */
  private abstract static class ForwardingProducer implements AsyncRequestProducer {
    private final AsyncRequestProducer to;

    ForwardingProducer(AsyncRequestProducer to) {
      this.to = to;
    }

    @Override
    public void sendRequest(RequestChannel channel, HttpContext context) throws HttpException, IOException {
      to.sendRequest(channel, context);
    }

    @Override
    public boolean isRepeatable() {
      return to.isRepeatable();
    }

    @Override
    public void failed(Exception cause) {
      to.failed(cause);
    }

    @Override
    public int available() {
      return to.available();
    }

    @Override
    public void produce(DataStreamChannel channel) throws IOException {
      to.produce(channel);
    }

    @Override
    public void releaseResources() {
      to.releaseResources();
    }
  }

  /** What the client would send: the producer's entity, produced to its end. */
  private static String produce(AsyncRequestProducer producer) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    boolean[] ended = {false};
    DataStreamChannel channel = new DataStreamChannel() {
      @Override
      public int write(ByteBuffer src) {
        int n = src.remaining();
        byte[] b = new byte[n];
        src.get(b);
        out.write(b, 0, n);
        return n;
      }

      @Override
      public void requestOutput() {}

      @Override
      public void endStream() {
        ended[0] = true;
      }

      @Override
      public void endStream(List<? extends Header> trailers) {
        ended[0] = true;
      }
    };
    for (int i = 0; i < 100 && !ended[0]; i++) {
      producer.produce(channel);
    }
    assertThat(ended[0]).as("stream ended").isTrue();
    return out.toString(StandardCharsets.UTF_8);
  }

  /** A response consumer that notes its failure. */
  private static final class SimpleResponseConsumerSpy implements AsyncResponseConsumer<SimpleHttpResponse> {
    private final AsyncResponseConsumer<SimpleHttpResponse> delegate = SimpleResponseConsumer.create();
    private final AtomicReference<Exception> failure;

    SimpleResponseConsumerSpy(AtomicReference<Exception> failure) {
      this.failure = failure;
    }

    @Override
    public void consumeResponse(org.apache.hc.core5.http.HttpResponse r, org.apache.hc.core5.http.EntityDetails e,
        org.apache.hc.core5.http.protocol.HttpContext c, FutureCallback<SimpleHttpResponse> cb)
        throws org.apache.hc.core5.http.HttpException, java.io.IOException {
      delegate.consumeResponse(r, e, c, cb);
    }

    @Override
    public void informationResponse(org.apache.hc.core5.http.HttpResponse r, org.apache.hc.core5.http.protocol.HttpContext c) {}

    @Override
    public void failed(Exception cause) {
      failure.set(cause);
    }

    @Override
    public void updateCapacity(org.apache.hc.core5.http.nio.CapacityChannel channel) {}

    @Override
    public void consume(ByteBuffer src) {}

    @Override
    public void streamEnd(List<? extends Header> trailers) {}

    @Override
    public void releaseResources() {}
  }
}
