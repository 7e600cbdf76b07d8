package dev.tollgate.benchmarks.jmh;

import com.google.cloud.vertexai.api.GenerateContentRequest;
import com.google.cloud.vertexai.api.GenerateContentResponse;
import dev.tollgate.agent.bootstrap.CallHandle;
import dev.tollgate.agent.bootstrap.Dispatcher;
import dev.tollgate.agent.bootstrap.GrpcBridge;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.bootstrap.ResponseInfo;
import dev.tollgate.agent.usage.Formats;
import dev.tollgate.agent.usage.UsageTap;
import io.grpc.ClientCall;
import io.grpc.KnownLength;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.protobuf.lite.ProtoLiteUtils;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The same Vertex AI answers read by the Gemini format's taps over REST (JSON, SSE) and over gRPC
 * (protobuf messages in gRPC framing, walked field by field): the corpus' {@code
 * vertex/generate-content} and {@code vertex/stream-generate-content} files. One op is one whole
 * response. Run from the repository root (the files are read from the agent's test resources).
 *
 * <ul>
 *   <li>{@code json}, {@code grpc}: the tap alone, fed the whole body in one piece.
 *   <li>{@code grpc-call}: the response side of a metered gRPC call as the agent runs it, without the
 *       network: the gRPC support's call ({@code GrpcSupport}, as {@code RealChannel.newCall}'s advice
 *       makes it) started and sent a {@code GenerateContentRequest}, then each message of the answer
 *       handed over as grpc's {@code ClientCallImpl} does, parsed by grpc's protobuf marshaller from a
 *       stream of known length ({@code ProtoLiteUtils}, the SDK's {@code GenerateContentResponse}), to
 *       the listener, and the call closed. The meter is a handle that feeds the tap (no wallet, no
 *       journal).
 *   <li>{@code grpc-parse}: what the application pays without the agent: the same messages parsed by
 *       the same marshaller. {@code grpc-call} less this is what the agent adds.
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GrpcUsageTapBenchmark {
  private static final Path CORPUS = Path.of("agent/src/test/resources/responses/vertex");
  private static final String AUTHORITY = "us-central1-aiplatform.googleapis.com:443";
  private static final String MODEL = "projects/p/locations/us-central1/publishers/google/models/gemini-2.0-flash";
  private static final GenerateContentRequest REQUEST = GenerateContentRequest.newBuilder().setModel(MODEL).build();

  /** {@code generate-content} or {@code stream-generate-content}. */
  @Param({"generate-content", "stream-generate-content"})
  public String response;

  /** {@code json} (SSE for the stream), {@code grpc}, {@code grpc-call} or {@code grpc-parse}. */
  @Param({"json", "grpc", "grpc-call", "grpc-parse"})
  public String wire;

  private byte[] body;
  private String contentType;
  /** The gRPC answer's messages, without their prefixes. */
  private byte[][] messages;
  private MethodDescriptor<GenerateContentRequest, GenerateContentResponse> method;
  private GrpcBridge grpc;
  private final TapHandle handle = new TapHandle();

  @Setup
  public void setUp() throws ReflectiveOperationException {
    boolean json = wire.equals("json");
    String extension = !json ? ".grpc" : response.startsWith("stream") ? ".sse" : ".json";
    try {
      body = Files.readAllBytes(CORPUS.resolve(response + extension));
    } catch (IOException e) {
      throw new UncheckedIOException("run from the repository root", e);
    }
    contentType = !json ? "application/grpc" : extension.equals(".sse") ? "text/event-stream" : "application/json";
    messages = json ? new byte[0][] : messages(body);
    method = MethodDescriptor.<GenerateContentRequest, GenerateContentResponse>newBuilder()
        .setType(response.startsWith("stream") ? MethodDescriptor.MethodType.SERVER_STREAMING : MethodDescriptor.MethodType.UNARY)
        .setFullMethodName("google.cloud.aiplatform.v1.PredictionService/"
            + (response.startsWith("stream") ? "StreamGenerateContent" : "GenerateContent"))
        .setRequestMarshaller(ProtoLiteUtils.marshaller(GenerateContentRequest.getDefaultInstance()))
        .setResponseMarshaller(ProtoLiteUtils.marshaller(GenerateContentResponse.getDefaultInstance()))
        .build();
    grpc = (GrpcBridge) Class.forName("dev.tollgate.agent.instrument.grpc.support.GrpcSupport").getConstructor().newInstance();
    Hooks.install(new TapDispatcher(handle));
    Object read = read();
    UsageTap tap = read instanceof UsageTap ? (UsageTap) read : handle.tap;
    if (wire.equals("grpc-parse")) {
      if (!((GenerateContentResponse) read).hasUsageMetadata()) {
        throw new IllegalStateException("the last message has no usage");
      }
    } else if (tap == null || !tap.hasUsage() || tap.failed()) {
      throw new IllegalStateException("the tap did not read the fixture's usage");
    }
  }

  @TearDown
  public void tearDown() {
    Hooks.install((Dispatcher) null);
  }

  @Benchmark
  public Object read() {
    switch (wire) {
      case "grpc-call":
        return call();
      case "grpc-parse":
        return parse();
      default:
        UsageTap tap = UsageTap.forResponse(Formats.GEMINI, contentType);
        tap.feed(body, 0, body.length);
        tap.end();
        return tap;
    }
  }

  /** The support's call, as the channel and the application drive it; the last message the application got. */
  @SuppressWarnings("unchecked")
  private Object call() {
    ChannelCall channelCall = new ChannelCall();
    ClientCall<GenerateContentRequest, GenerateContentResponse> call = newCall(channelCall);
    AppListener app = new AppListener();
    call.start(app, new Metadata());
    call.request(1);
    call.sendMessage(REQUEST);
    call.halfClose();
    for (byte[] message : messages) {
      channelCall.listener.onMessage(channelCall.method.parseResponse(new WireStream(message)));
    }
    channelCall.listener.onClose(Status.OK, new Metadata());
    return app.last;
  }

  /** What {@code RealChannel.newCall}'s advice does: the channel's call is created with the support's descriptor, then wrapped. */
  @SuppressWarnings("unchecked")
  private ClientCall<GenerateContentRequest, GenerateContentResponse> newCall(ChannelCall channelCall) {
    Object metering = grpc.meter(method, AUTHORITY);
    channelCall.method = (MethodDescriptor<GenerateContentRequest, GenerateContentResponse>) grpc.method(metering, method);
    return (ClientCall<GenerateContentRequest, GenerateContentResponse>) grpc.wrap(channelCall, metering);
  }

  private Object parse() {
    GenerateContentResponse last = null;
    for (byte[] message : messages) {
      last = method.parseResponse(new WireStream(message));
    }
    return last;
  }

  private static byte[][] messages(byte[] framed) {
    List<byte[]> out = new ArrayList<>();
    for (int at = 0; at + 5 <= framed.length;) {
      int size = (framed[at + 1] & 0xff) << 24 | (framed[at + 2] & 0xff) << 16 | (framed[at + 3] & 0xff) << 8 | framed[at + 4] & 0xff;
      out.add(Arrays.copyOfRange(framed, at + 5, at + 5 + size));
      at += 5 + size;
    }
    return out.toArray(new byte[0][]);
  }

  /** An uncompressed message as grpc's deframer hands it over: a stream of known length. */
  private static final class WireStream extends ByteArrayInputStream implements KnownLength {
    WireStream(byte[] bytes) {
      super(bytes);
    }
  }

  /** The channel's call: what it is asked is already done. */
  private static final class ChannelCall extends ClientCall<GenerateContentRequest, GenerateContentResponse> {
    Listener<GenerateContentResponse> listener;
    MethodDescriptor<GenerateContentRequest, GenerateContentResponse> method;

    @Override
    public void start(Listener<GenerateContentResponse> l, Metadata headers) {
      listener = l;
    }

    @Override
    public void request(int numMessages) {}

    @Override
    public void cancel(String message, Throwable cause) {}

    @Override
    public void halfClose() {}

    @Override
    public void sendMessage(GenerateContentRequest message) {}
  }

  private static final class AppListener extends ClientCall.Listener<GenerateContentResponse> {
    GenerateContentResponse last;

    @Override
    public void onMessage(GenerateContentResponse message) {
      last = message;
    }
  }

  /** Classifies every URL as metered and hands out the one handle. */
  private static final class TapDispatcher extends Dispatcher {
    private final TapHandle handle;

    TapDispatcher(TapHandle handle) {
      this.handle = handle;
    }

    @Override
    public Object classify(String method, String url) {
      return "generate_content";
    }

    @Override
    public CallHandle begin(Object operation, String url, byte[] body, long contentLength) {
      return handle;
    }

    @Override
    public void failed(String site, Throwable t) {
      throw new IllegalStateException(site, t);
    }
  }

  /** A meter that only feeds the response to a new Gemini tap. */
  private static final class TapHandle extends CallHandle {
    UsageTap tap;

    @Override
    public boolean isBlocked() {
      return false;
    }

    @Override
    public String blockedBody() {
      return null;
    }

    @Override
    public IOException blockedException() {
      return null;
    }

    @Override
    public InputStream onResponse(ResponseInfo response, InputStream body) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void onFailure(Throwable error) {}

    @Override
    public boolean onResponseStart(ResponseInfo response) {
      tap = UsageTap.forResponse(Formats.GEMINI, response.contentType());
      return true;
    }

    @Override
    public void onBodyChunk(byte[] b, int off, int len) {
      tap.feed(b, off, len);
    }

    @Override
    public void onBodyEnd() {
      tap.end();
    }

    @Override
    public void onBodyError(Throwable t) {}
  }
}
