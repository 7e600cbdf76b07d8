package dev.tollgate.agent.instrument.grpc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Dispatcher;
import dev.tollgate.agent.bootstrap.GrpcBridge;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.instrument.HidingAgentInternals;
import dev.tollgate.agent.instrument.RecordingHandle;
import io.grpc.ClientCall;
import io.grpc.Drainable;
import io.grpc.KnownLength;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.lite.ProtoLiteUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The gRPC support as the agent runs it, defined in a loader that sees grpc's API and the boot bridge
 * but none of the agent's other classes, wrapping a fake channel call: when the call starts, what
 * reaches the meter, what a blocked call's listener hears.
 */
@org.junit.jupiter.api.parallel.Isolated("installs the JVM-wide Hooks dispatcher")
class GrpcSupportTest {
  private static final String MODEL = "projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash";
  private static final String AUTHORITY = "us-central1-aiplatform.googleapis.com:443";
  private static final String BLOCKED_JSON = "{\"error\":{\"type\":\"insufficient_credits\",\"code\":\"tollgate_blocked\","
      + "\"message\":\"Tollgate blocked this call to vertex (gemini-2.0-flash): it needs up to 0.0033 credits and 0 are available.\"}}";

  /** The order things happened in: the channel's call, the meter, the application's listener. */
  private final List<String> events = new ArrayList<>();
  private RecordingHandle handle = RecordingHandle.proceeding();
  private GrpcBridge grpc;

  @BeforeEach
  void defineSupportWithoutTheAgentInSight() throws Exception {
    grpc = GrpcInstrumentation.SUPPORT.define(new HidingAgentInternals(getClass().getClassLoader()));
    Hooks.install(new Dispatcher() {
      @Override
      public Object classify(String method, String url) {
        return url.endsWith("Content") || url.endsWith("Predict") ? "op" : null;
      }

      @Override
      public CallHandle begin(Object operation, String url, byte[] body, long contentLength) {
        return begin(operation, url, body, contentLength, -1, null, null);
      }

      @Override
      public CallHandle begin(Object operation, String url, byte[] body, long contentLength, long maxOutputTokens,
          String[] headerValues, Object caller) {
        events.add("begin " + url + " " + contentLength + (body == null ? "" : " with a body")
            + (maxOutputTokens < 0 ? "" : " max_output_tokens " + maxOutputTokens));
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

  /** How many times a {@link FakeMessage} was written out (serialized). */
  static int writes;

  /** A protobuf message as far as the support can tell: the public methods every generated message has. */
  public static final class FakeMessage {
    private final String model;
    private final byte[] bytes;
    private final FakeGenerationConfig config;

    FakeMessage(String model, byte[] bytes) {
      this(model, bytes, 0);
    }

    FakeMessage(String model, byte[] bytes, int maxOutputTokens) {
      this.model = model;
      this.bytes = bytes;
      this.config = new FakeGenerationConfig(maxOutputTokens);
    }

    public String getModel() {
      return model;
    }

    /** As protobuf's getter: the default instance (every field 0) when the request sets none. */
    public FakeGenerationConfig getGenerationConfig() {
      return config;
    }

    public int getSerializedSize() {
      return bytes.length;
    }

    public void writeTo(OutputStream out) throws IOException {
      writes++;
      out.write(bytes, 0, 2); // in pieces, as the runtime's buffer flushes
      out.write(bytes, 2, bytes.length - 2);
    }

    @Override
    public String toString() {
      return model;
    }
  }

  /** A {@code GenerationConfig}. */
  public static final class FakeGenerationConfig {
    private final int maxOutputTokens;

    FakeGenerationConfig(int maxOutputTokens) {
      this.maxOutputTokens = maxOutputTokens;
    }

    public int getMaxOutputTokens() {
      return maxOutputTokens;
    }
  }

  /** A {@code ByteString}: its public methods; its classes are not public, the public class above declares them. */
  public abstract static class FakeBytes {
    public abstract int size();

    public abstract byte[] toByteArray();

    public abstract void writeTo(OutputStream out) throws IOException;

    static FakeBytes of(String s) {
      return new Literal(s.getBytes(StandardCharsets.UTF_8));
    }

    private static final class Literal extends FakeBytes {
      private final byte[] bytes;

      Literal(byte[] bytes) {
        this.bytes = bytes;
      }

      @Override
      public int size() {
        return bytes.length;
      }

      @Override
      public byte[] toByteArray() {
        return bytes.clone();
      }

      @Override
      public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
      }
    }
  }

  /** A {@code google.api.HttpBody}. */
  public static final class FakeHttpBody {
    private final String contentType;
    private final FakeBytes data;

    FakeHttpBody(String contentType, String data) {
      this.contentType = contentType;
      this.data = FakeBytes.of(data);
    }

    public String getContentType() {
      return contentType;
    }

    public FakeBytes getData() {
      return data;
    }
  }

  /** A {@code RawPredictRequest}. */
  public static final class FakeRawRequest {
    private final String endpoint;
    private final FakeHttpBody body;

    FakeRawRequest(String endpoint, String json) {
      this.endpoint = endpoint;
      this.body = new FakeHttpBody("application/json", json);
    }

    public String getEndpoint() {
      return endpoint;
    }

    public FakeHttpBody getHttpBody() {
      return body;
    }

    @Override
    public String toString() {
      return "raw " + endpoint;
    }
  }

  /** The channel's call: writes down what it is asked. */
  private final class FakeCall extends ClientCall<Object, Object> {
    Listener<Object> listener;
    /** The descriptor the channel created it with. */
    MethodDescriptor<Object, Object> method;

    /** A response off the wire, as grpc's {@code ClientCallImpl} hands it over: parsed, then to the listener. */
    void deliver(InputStream message) {
      listener.onMessage(method.parseResponse(message));
    }

    @Override
    public void start(Listener<Object> l, Metadata headers) {
      listener = l;
      events.add("call start");
    }

    @Override
    public void request(int n) {
      events.add("call request " + n);
    }

    @Override
    public void cancel(String message, Throwable cause) {
      events.add("call cancel");
    }

    @Override
    public void halfClose() {
      events.add("call halfClose");
    }

    @Override
    public void sendMessage(Object message) {
      events.add("call send " + message);
    }
  }

  /** The application's listener. */
  private final class AppListener extends ClientCall.Listener<Object> {
    Status status;
    Metadata trailers;

    @Override
    public void onMessage(Object message) {
      events.add("app message " + handle.events + " " + handle.body.size());
    }

    @Override
    public void onClose(Status s, Metadata t) {
      status = s;
      trailers = t;
      events.add("app close " + s.getCode() + " " + handle.events);
    }
  }

  private static MethodDescriptor<Object, Object> method(String name, MethodDescriptor.MethodType type) {
    MethodDescriptor.Marshaller<Object> none = new MethodDescriptor.Marshaller<Object>() {
      @Override
      public InputStream stream(Object value) {
        return new ByteArrayInputStream(new byte[0]);
      }

      @Override
      public Object parse(InputStream stream) {
        return null;
      }
    };
    return MethodDescriptor.newBuilder(none, none).setType(type).setFullMethodName(name).build();
  }

  private ClientCall<Object, Object> wrap(FakeCall call, String name, MethodDescriptor.MethodType type) {
    return newCall(call, method(name, type));
  }

  /** What the advice does around {@code newCall}: the channel creates {@code call} with the support's descriptor. */
  @SuppressWarnings("unchecked")
  private ClientCall<Object, Object> newCall(FakeCall call, MethodDescriptor<Object, Object> method) {
    Object metering = grpc.meter(method, AUTHORITY);
    if (metering == null) {
      call.method = method;
      return call;
    }
    call.method = (MethodDescriptor<Object, Object>) grpc.method(metering, method);
    return (ClientCall<Object, Object>) grpc.wrap(call, metering);
  }

  private static final byte[] RESPONSE = {0x22, 0x02, 0x08, 0x05};

  @Test
  void otherMethods_areNotMetered() {
    for (String name : new String[] {"google.cloud.aiplatform.v1.PredictionService/Predict",
        "google.cloud.aiplatform.v1.PredictionService/CountTokens", "google.cloud.aiplatform.v1.EndpointService/GenerateContent",
        "tollgate.Echo/GenerateContent"}) {
      assertThat(grpc.meter(method(name, MethodDescriptor.MethodType.UNARY), AUTHORITY)).as(name).isNull();
    }
  }

  @Test
  void unary_startsOnlyWithItsRequest_andSettlesBeforeTheApplicationGetsTheAnswer() {
    FakeCall fake = new FakeCall();
    ClientCall<Object, Object> call = wrap(fake, "google.cloud.aiplatform.v1.PredictionService/GenerateContent",
        MethodDescriptor.MethodType.UNARY);

    call.start(new AppListener(), new Metadata());
    call.request(1);
    call.request(1);
    assertThat(events).isEmpty();
    call.sendMessage(new FakeMessage(MODEL, new byte[42]));
    call.halfClose();
    fake.listener.onMessage(new FakeMessage("", RESPONSE));
    fake.listener.onClose(Status.OK, new Metadata());

    assertThat(events).containsExactly(
        "begin https://" + AUTHORITY + "/v1/" + MODEL + ":generateContent 42",
        "call start", "call request 2", "call send " + MODEL, "call halfClose",
        "app message [start 200 application/grpc, end] 9",
        "app close OK [start 200 application/grpc, end]");
    assertThat(handle.body.toByteArray()).containsExactly(0, 0, 0, 0, 4, 0x22, 0x02, 0x08, 0x05);
  }

  @Test
  void generateContent_withMaxOutputTokens_passesTheBoundToTheMeter() {
    for (String method : new String[] {"GenerateContent", "StreamGenerateContent"}) {
      events.clear();
      FakeCall fake = new FakeCall();
      ClientCall<Object, Object> call = wrap(fake, "google.cloud.aiplatform.v1.PredictionService/" + method,
          MethodDescriptor.MethodType.SERVER_STREAMING);

      call.start(new AppListener(), new Metadata());
      call.sendMessage(new FakeMessage(MODEL, new byte[42], 64));

      String suffix = method.equals("GenerateContent") ? ":generateContent" : ":streamGenerateContent";
      assertThat(events).first().isEqualTo("begin https://" + AUTHORITY + "/v1/" + MODEL + suffix + " 42 max_output_tokens 64");
    }
  }

  @Test
  void stream_settlesWhenItCloses_beforeTheApplicationHears() {
    FakeCall fake = new FakeCall();
    ClientCall<Object, Object> call = wrap(fake, "google.cloud.aiplatform.v1beta1.PredictionService/StreamGenerateContent",
        MethodDescriptor.MethodType.SERVER_STREAMING);

    call.start(new AppListener(), new Metadata());
    call.sendMessage(new FakeMessage(MODEL, new byte[7]));
    fake.listener.onMessage(new FakeMessage("", RESPONSE));
    fake.listener.onMessage(new FakeMessage("", RESPONSE));
    fake.listener.onClose(Status.OK, new Metadata());

    assertThat(events).containsExactly(
        "begin https://" + AUTHORITY + "/v1beta1/" + MODEL + ":streamGenerateContent 7",
        "call start", "call send " + MODEL,
        "app message [start 200 application/grpc] 9",
        "app message [start 200 application/grpc] 18",
        "app close OK [start 200 application/grpc, end]");
  }

  @Test
  void rawPredict_isEstimatedFromItsJson_andTheHttpBodysDataIsTapped() {
    String claude = "projects/p/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514";
    String json = "{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":64,\"messages\":[]}";
    FakeCall fake = new FakeCall();
    ClientCall<Object, Object> call = wrap(fake, "google.cloud.aiplatform.v1.PredictionService/StreamRawPredict",
        MethodDescriptor.MethodType.SERVER_STREAMING);

    call.start(new AppListener(), new Metadata());
    call.sendMessage(new FakeRawRequest(claude, json));
    fake.listener.onMessage(new FakeHttpBody("text/event-stream", "event: message_start\n"));
    fake.listener.onMessage(new FakeHttpBody("text/event-stream", "data: {}\n\n"));
    fake.listener.onClose(Status.OK, new Metadata());

    assertThat(events).containsExactly(
        "begin https://" + AUTHORITY + "/v1/" + claude + ":streamRawPredict " + json.length() + " with a body",
        "call start", "call send raw " + claude,
        "app message [start 200 text/event-stream] 21",
        "app message [start 200 text/event-stream] 31",
        "app close OK [start 200 text/event-stream, end]");
    assertThat(handle.body.toString(StandardCharsets.UTF_8)).isEqualTo("event: message_start\ndata: {}\n\n");
  }

  @Test
  void blocked_closesWithResourceExhausted_andTheChannelsCallNeverStarts() {
    handle = new RecordingHandle(BLOCKED_JSON, null);
    FakeCall fake = new FakeCall();
    AppListener app = new AppListener();
    ClientCall<Object, Object> call = wrap(fake, "google.cloud.aiplatform.v1.PredictionService/GenerateContent",
        MethodDescriptor.MethodType.UNARY);

    call.start(app, new Metadata());
    call.request(2);
    call.sendMessage(new FakeMessage(MODEL, new byte[3]));
    call.halfClose();
    call.request(1);
    call.cancel("late", null);

    assertThat(events).containsExactly("begin https://" + AUTHORITY + "/v1/" + MODEL + ":generateContent 3",
        "app close RESOURCE_EXHAUSTED []");
    assertThat(app.status.getDescription())
        .isEqualTo("Tollgate blocked this call to vertex (gemini-2.0-flash): it needs up to 0.0033 credits and 0 are available.");
    assertThat(app.trailers.get(Metadata.Key.of("tollgate-blocked", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("true");
    assertThat(call.isReady()).isFalse();
  }

  @Test
  void blockedInExceptionMode_carriesTheExceptionAsTheCause() {
    IOException refusal = new IOException("Tollgate blocked this call to vertex (gemini-2.0-flash): budget");
    handle = new RecordingHandle(null, refusal);
    AppListener app = new AppListener();
    ClientCall<Object, Object> call = wrap(new FakeCall(), "google.cloud.aiplatform.v1.PredictionService/StreamGenerateContent",
        MethodDescriptor.MethodType.SERVER_STREAMING);

    call.start(app, new Metadata());
    call.sendMessage(new FakeMessage(MODEL, new byte[3]));

    assertThat(app.status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(app.status.getDescription()).isEqualTo(refusal.getMessage());
    assertThat(app.status.getCause()).isSameAs(refusal);
  }

  @Test
  void failureBeforeAnyMessage_isAFailure_andAStreamCutShortAnError() {
    FakeCall first = new FakeCall();
    ClientCall<Object, Object> call = wrap(first, "google.cloud.aiplatform.v1.PredictionService/GenerateContent",
        MethodDescriptor.MethodType.UNARY);
    call.start(new AppListener(), new Metadata());
    call.sendMessage(new FakeMessage(MODEL, new byte[3]));
    first.listener.onClose(Status.UNAVAILABLE, new Metadata());
    assertThat(handle.events).containsExactly("failure");

    handle = RecordingHandle.proceeding();
    FakeCall second = new FakeCall();
    call = wrap(second, "google.cloud.aiplatform.v1.PredictionService/StreamGenerateContent", MethodDescriptor.MethodType.SERVER_STREAMING);
    call.start(new AppListener(), new Metadata());
    call.sendMessage(new FakeMessage(MODEL, new byte[3]));
    second.listener.onMessage(new FakeMessage("", RESPONSE));
    second.listener.onClose(Status.INTERNAL, new Metadata());
    assertThat(handle.events).containsExactly("start 200 application/grpc", "error");
  }

  @Test
  void halfCloseBeforeAnyRequest_startsTheCallUnmetered() {
    FakeCall fake = new FakeCall();
    ClientCall<Object, Object> call = wrap(fake, "google.cloud.aiplatform.v1.PredictionService/GenerateContent",
        MethodDescriptor.MethodType.UNARY);

    call.start(new AppListener(), new Metadata());
    call.request(1);
    call.halfClose();
    call.sendMessage(new FakeMessage(MODEL, new byte[3]));

    assertThat(events).containsExactly("call start", "call request 1", "call halfClose", "call send " + MODEL);
  }

  /** A response's wire bytes as the transport hands them to grpc: an uncompressed message, its length known. */
  private static final class WireStream extends ByteArrayInputStream implements KnownLength {
    WireStream(byte[] bytes) {
      super(bytes);
    }
  }

  /** A message handed over in memory (the in-process transport's): its length known, and drainable. */
  private static final class InMemoryStream extends ByteArrayInputStream implements KnownLength, Drainable {
    InMemoryStream(byte[] bytes) {
      super(bytes);
    }

    @Override
    public int drainTo(OutputStream target) throws IOException {
      return (int) transferTo(target);
    }
  }

  private static MethodDescriptor<Object, Object> protobufMethod(String name, MethodDescriptor.MethodType type,
      ProtoLiteUtils.MessageMarshaller responses) {
    return method(name, type).toBuilder(method(name, type).getRequestMarshaller(), responses).build();
  }

  private static ProtoLiteUtils.MessageMarshaller protobuf() {
    return ProtoLiteUtils.marshaller(bytes -> new FakeMessage("", bytes));
  }

  /**
   * A {@code StreamGenerateContent} call the channel created with the support's descriptor, its responses
   * parsed by {@code responses}, started with {@code app} and sent its request.
   */
  private ClientCall<Object, Object> sentTeedStream(FakeCall fake, ProtoLiteUtils.MessageMarshaller responses,
      ClientCall.Listener<Object> app) {
    ClientCall<Object, Object> call = newCall(fake, protobufMethod("google.cloud.aiplatform.v1.PredictionService/StreamGenerateContent",
        MethodDescriptor.MethodType.SERVER_STREAMING, responses));
    call.start(app, new Metadata());
    call.sendMessage(new FakeMessage(MODEL, new byte[7]));
    return call;
  }

  /** An application that keeps the size of each message it gets. */
  private static ClientCall.Listener<Object> keepingSizes(List<Integer> sizes) {
    return new ClientCall.Listener<Object>() {
      @Override
      public void onMessage(Object message) {
        sizes.add(((FakeMessage) message).getSerializedSize());
      }
    };
  }

  @Test
  void unary_teed_tapsTheWireBytesAsGrpcParsesThem_andSerializesNothing() {
    writes = 0;
    FakeCall fake = new FakeCall();
    ProtoLiteUtils.MessageMarshaller responses = protobuf();
    ClientCall<Object, Object> call = newCall(fake,
        protobufMethod("google.cloud.aiplatform.v1.PredictionService/GenerateContent", MethodDescriptor.MethodType.UNARY, responses));

    assertThat(fake.method.getResponseMarshaller()).isNotSameAs(responses);
    assertThat(fake.method.getFullMethodName()).isEqualTo("google.cloud.aiplatform.v1.PredictionService/GenerateContent");
    assertThat(fake.method.getType()).isEqualTo(MethodDescriptor.MethodType.UNARY);
    call.start(new AppListener(), new Metadata());
    call.sendMessage(new FakeMessage(MODEL, new byte[42]));
    fake.deliver(new WireStream(RESPONSE));
    fake.listener.onClose(Status.OK, new Metadata());

    assertThat(events).containsSubsequence("app message [start 200 application/grpc, end] 9",
        "app close OK [start 200 application/grpc, end]");
    assertThat(handle.body.toByteArray()).containsExactly(0, 0, 0, 0, 4, 0x22, 0x02, 0x08, 0x05);
    assertThat(writes).isZero();
    assertThat(responses.parsed).as("protobuf's fast path for a stream of known length is kept").containsExactly("known length Wire");
  }

  @Test
  void stream_teed_messagesWithoutWireBytesAreWrittenOut_inOrder() {
    writes = 0;
    FakeCall fake = new FakeCall();
    ProtoLiteUtils.MessageMarshaller responses = protobuf();

    sentTeedStream(fake, responses, new AppListener());
    fake.deliver(new WireStream(new byte[] {0x0a, 0x01, 0x41}));
    fake.deliver(new ByteArrayInputStream(new byte[] {0x0a, 0x01, 0x42})); // decompressed: its length unknown
    fake.deliver(new InMemoryStream(new byte[] {0x0a, 0x01, 0x43}));
    fake.deliver(new WireStream(new byte[0]));
    fake.listener.onClose(Status.OK, new Metadata());

    assertThat(handle.body.toByteArray()).containsExactly(0, 0, 0, 0, 3, 0x0a, 0x01, 0x41, 0, 0, 0, 0, 3, 0x0a, 0x01, 0x42,
        0, 0, 0, 0, 3, 0x0a, 0x01, 0x43, 0, 0, 0, 0, 0);
    assertThat(writes).as("the two messages grpc did not hand over as wire bytes").isEqualTo(2);
    assertThat(responses.parsed).containsExactly("known length Wire", "ByteArrayInputStream", "known length InMemoryStream",
        "known length Wire");
    assertThat(events).endsWith("app close OK [start 200 application/grpc, end]");
  }

  @Test
  void teed_bytesReadOneAtATimeOrSkipped_reachTheTapToo() {
    FakeCall fake = new FakeCall();
    List<Integer> sizes = new ArrayList<>();

    sentTeedStream(fake, ProtoLiteUtils.skimming(bytes -> new FakeMessage("", bytes)), keepingSizes(sizes));
    fake.deliver(new WireStream(new byte[] {1, 2, 3, 4, 5, 6}));
    fake.deliver(new WireStream(new byte[] {7, 8, 9, 10}));

    assertThat(sizes).containsExactly(5, 3);
    assertThat(handle.body.toByteArray()).containsExactly(0, 0, 0, 0, 6, 1, 2, 3, 4, 5, 6, 0, 0, 0, 0, 4, 7, 8, 9, 10);
  }

  @Test
  void teed_aTapThatFails_leavesTheParseAsItWas_andTheCallSettlesWithWhatItRead() {
    List<String> failures = new ArrayList<>();
    Hooks.install(new Dispatcher() {
      @Override
      public Object classify(String method, String url) {
        return "op";
      }

      @Override
      public CallHandle begin(Object operation, String url, byte[] body, long contentLength) {
        return handle;
      }

      @Override
      public void failed(String site, Throwable t) {
        failures.add(site + " " + t.getMessage());
      }
    });
    handle = new RecordingHandle(null, null) {
      @Override
      public void onBodyChunk(byte[] b, int off, int len) {
        if (len != 5) {
          throw new IllegalStateException("the tap broke");
        }
        super.onBodyChunk(b, off, len);
      }
    };
    FakeCall fake = new FakeCall();
    List<Integer> received = new ArrayList<>();

    sentTeedStream(fake, protobuf(), keepingSizes(received));
    fake.deliver(new WireStream(RESPONSE));
    fake.deliver(new WireStream(RESPONSE));
    fake.listener.onClose(Status.OK, new Metadata());

    assertThat(received).containsExactly(4, 4);
    assertThat(failures).containsExactly("grpc-response the tap broke");
    assertThat(handle.body.toByteArray()).containsExactly(0, 0, 0, 0, 4);
    assertThat(handle.events).containsExactly("start 200 application/grpc", "end");
  }

  @Test
  void teed_butParsedByAnotherMarshaller_isWrittenOutAsItIsHandedOver() {
    writes = 0;
    FakeCall fake = new FakeCall();
    ProtoLiteUtils.MessageMarshaller responses = protobuf();

    sentTeedStream(fake, responses, new AppListener());
    fake.listener.onMessage(responses.parse(new WireStream(RESPONSE))); // the tee bypassed under the channel
    fake.listener.onMessage(responses.parse(new WireStream(RESPONSE)));
    fake.listener.onClose(Status.OK, new Metadata());

    assertThat(handle.body.toByteArray()).containsExactly(0, 0, 0, 0, 4, 0x22, 0x02, 0x08, 0x05, 0, 0, 0, 0, 4, 0x22, 0x02, 0x08, 0x05);
    assertThat(writes).isEqualTo(2);
  }

  @Test
  void teed_butNotMetered_parsesAsTheApplicationsMarshaller() {
    FakeCall fake = new FakeCall();
    ProtoLiteUtils.MessageMarshaller responses = protobuf();
    ClientCall<Object, Object> call = newCall(fake,
        protobufMethod("google.cloud.aiplatform.v1.PredictionService/GenerateContent", MethodDescriptor.MethodType.UNARY, responses));

    call.start(new AppListener(), new Metadata());
    call.halfClose(); // before any request: unmetered
    WireStream wire = new WireStream(RESPONSE);
    fake.deliver(wire);

    assertThat(responses.parsed).containsExactly("known length WireStream");
    assertThat(handle.body.size()).isZero();
  }

  @Test
  void rawPredictions_andOtherMarshallers_keepTheApplicationsDescriptor() {
    MethodDescriptor<Object, Object> raw = protobufMethod("google.cloud.aiplatform.v1.PredictionService/RawPredict",
        MethodDescriptor.MethodType.UNARY, protobuf());
    MethodDescriptor<Object, Object> other = method("google.cloud.aiplatform.v1.PredictionService/GenerateContent",
        MethodDescriptor.MethodType.UNARY);

    for (MethodDescriptor<Object, Object> m : List.of(raw, other)) {
      assertThat(grpc.method(grpc.meter(m, AUTHORITY), m)).as(m.getFullMethodName()).isSameAs(m);
    }
  }
}
