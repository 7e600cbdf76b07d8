package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.api.HttpBody;
import com.google.cloud.vertexai.api.Candidate;
import com.google.cloud.vertexai.api.Content;
import com.google.cloud.vertexai.api.GenerateContentRequest;
import com.google.cloud.vertexai.api.GenerateContentResponse;
import com.google.cloud.vertexai.api.Part;
import com.google.cloud.vertexai.api.RawPredictRequest;
import com.google.protobuf.ByteString;
import dev.tollgate.it.apps.VertexGrpcApp;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.ServerServiceDefinition;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Vertex AI SDK for Java (google-cloud-vertexai) on its default transport, gRPC, unmodified,
 * against a loopback {@code PredictionService} (grpc-java's server, the SDK's own messages): {@code
 * GenerateContent} and {@code StreamGenerateContent} metered at exact tokens and cost (and Claude's
 * {@code RawPredict}, Anthropic's JSON inside), a blocked call
 * that never reaches the server and is not retried, and a call of another service on the same channel
 * left alone. Both forks refuse unmetered connections to metered hosts ({@code
 * tollgate.unmetered-traffic=block}): gRPC's own are not refused.
 */
class VertexGrpcIT {
  /** The wire name of the SDK's service (its classes are repackaged, its wire names are Vertex's own). */
  private static final String SERVICE = "google.cloud.aiplatform.v1.PredictionService";
  static final String CLAUDE_ANSWER = "{\"id\":\"msg_vrtx_01\",\"type\":\"message\",\"role\":\"assistant\","
      + "\"model\":\"claude-sonnet-4-20250514\",\"content\":[{\"type\":\"text\",\"text\":\"Rayleigh scattering.\"}],"
      + "\"stop_reason\":\"end_turn\",\"stop_sequence\":null,\"usage\":{\"input_tokens\":20,\"output_tokens\":10}}";
  private static final String MODEL = "projects/tollgate-it/locations/us-central1/publishers/google/models/gemini-2.0-flash";

  @TempDir
  Path tmp;
  private Server server;
  /** Whether the server compresses its responses (gzip, which grpc-java's client accepts unasked). */
  private volatile boolean compress;
  /** Every request the server received, by method: {@code GenerateContent <model>}, {@code Echo <text>}. */
  private final List<String> received = new CopyOnWriteArrayList<>();

  @BeforeEach
  void startServer() throws Exception {
    ServerServiceDefinition prediction = ServerServiceDefinition.builder(SERVICE)
        .addMethod(method(MethodDescriptor.MethodType.UNARY, "GenerateContent"), ServerCalls.asyncUnaryCall(this::generate))
        .addMethod(method(MethodDescriptor.MethodType.SERVER_STREAMING, "StreamGenerateContent"),
            ServerCalls.asyncServerStreamingCall(this::stream))
        .addMethod(MethodDescriptor.<RawPredictRequest, HttpBody>newBuilder()
            .setType(MethodDescriptor.MethodType.UNARY)
            .setFullMethodName(SERVICE + "/RawPredict")
            .setRequestMarshaller(ProtoUtils.marshaller(RawPredictRequest.getDefaultInstance()))
            .setResponseMarshaller(ProtoUtils.marshaller(HttpBody.getDefaultInstance()))
            .build(), ServerCalls.asyncUnaryCall(this::rawPredict))
        .build();
    ServerServiceDefinition echo = ServerServiceDefinition.builder("tollgate.it.Echo")
        .addMethod(VertexGrpcApp.ECHO, ServerCalls.<String, String>asyncUnaryCall((text, out) -> {
          received.add("Echo " + text);
          out.onNext(text);
          out.onCompleted();
        }))
        .build();
    ServerInterceptor compression = new ServerInterceptor() {
      @Override
      public <Q, A> ServerCall.Listener<Q> interceptCall(ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
        if (compress) {
          call.setCompression("gzip");
        }
        return next.startCall(call, headers);
      }
    };
    server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
        .addService(ServerInterceptors.intercept(prediction, compression)).addService(echo).build().start();
  }

  @AfterEach
  void stopServer() throws InterruptedException {
    server.shutdownNow().awaitTermination(10, TimeUnit.SECONDS);
  }

  private static MethodDescriptor<GenerateContentRequest, GenerateContentResponse> method(MethodDescriptor.MethodType type,
      String name) {
    return MethodDescriptor.<GenerateContentRequest, GenerateContentResponse>newBuilder()
        .setType(type)
        .setFullMethodName(SERVICE + "/" + name)
        .setRequestMarshaller(ProtoUtils.marshaller(GenerateContentRequest.getDefaultInstance()))
        .setResponseMarshaller(ProtoUtils.marshaller(GenerateContentResponse.getDefaultInstance()))
        .build();
  }

  private void generate(GenerateContentRequest request, StreamObserver<GenerateContentResponse> out) {
    received.add("GenerateContent " + request.getModel() + cap(request));
    out.onNext(answer("Rayleigh scattering.", 1200, 300));
    out.onCompleted();
  }

  private void stream(GenerateContentRequest request, StreamObserver<GenerateContentResponse> out) {
    received.add("StreamGenerateContent " + request.getModel() + cap(request));
    out.onNext(answer("Ray", 0, 0));
    out.onNext(answer("leigh", 0, 0));
    out.onNext(answer(" scattering.", 50, 20));
    out.onCompleted();
  }

  /** The request's generation_config.max_output_tokens as " max_output_tokens=N", or "" when it sets none. */
  private static String cap(GenerateContentRequest request) {
    int max = request.getGenerationConfig().getMaxOutputTokens();
    return max == 0 ? "" : " max_output_tokens=" + max;
  }

  private void rawPredict(RawPredictRequest request, StreamObserver<HttpBody> out) {
    received.add("RawPredict " + request.getEndpoint() + " " + request.getHttpBody().getData().toStringUtf8().length());
    out.onNext(HttpBody.newBuilder().setContentType("application/json").setData(ByteString.copyFromUtf8(CLAUDE_ANSWER)).build());
    out.onCompleted();
  }

  /** A response chunk; with usage (the last one), finished. */
  private static GenerateContentResponse answer(String text, int prompt, int candidates) {
    Candidate.Builder candidate = Candidate.newBuilder()
        .setContent(Content.newBuilder().setRole("model").addParts(Part.newBuilder().setText(text)));
    GenerateContentResponse.Builder r = GenerateContentResponse.newBuilder();
    if (prompt > 0) {
      candidate.setFinishReason(Candidate.FinishReason.STOP);
      r.setUsageMetadata(GenerateContentResponse.UsageMetadata.newBuilder()
          .setPromptTokenCount(prompt).setCandidatesTokenCount(candidates).setTotalTokenCount(prompt + candidates));
    }
    return r.addCandidates(candidate).build();
  }

  private Fork app(Path dataDir, String... steps) {
    String target = "127.0.0.1:" + server.getPort();
    Object[] args = new Object[steps.length + 1];
    args[0] = target;
    System.arraycopy(steps, 0, args, 1, steps.length);
    // gRPC has no URL: a call is named https://{authority}/{version}/{model}:{method}, so an endpoint is https://host:port.
    return Fork.app("vertexai", VertexGrpcApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("vertex-loopback", "https://" + target, "gemini")
        .endpoint("vertex-loopback-claude", "https://" + target, "anthropic")
        .prop("tollgate.unmetered-traffic", "block")
        .args(args);
  }

  @Test
  void generateAndStream_areMeteredAtExactCost_andAnotherServiceIsLeftAlone() throws Exception {
    Path dataDir = tmp.resolve("data");

    Fork.Result r = app(dataDir, "generate", "stream", "raw", "echo").run();

    assertThat(r.lines("CONTENT ")).as(r.toString()).containsExactly("Rayleigh scattering.", "Rayleigh scattering.");
    assertThat(r.lines("SDKUSAGE ")).containsExactly("1200 300", "50 20");
    assertThat(r.lines("RAW ")).containsExactly(CLAUDE_ANSWER);
    assertThat(r.lines("ECHO ")).containsExactly("ping");
    assertThat(received).containsExactly("GenerateContent " + MODEL, "StreamGenerateContent " + MODEL,
        "RawPredict " + VertexGrpcApp.CLAUDE + " 120", "Echo ping");
    List<JsonNode> recs = new ArrayList<>(Journal.records(dataDir));
    assertThat(recs).as(r.toString()).hasSize(3);
    JsonNode claude = recs.remove(2);
    // Claude over gRPC's RawPredict: Anthropic's JSON in the HttpBody, read as over REST; 20 × 3 + 10 × 15 per 1M.
    assertThat(claude.get("provider").asText()).isEqualTo("vertex-loopback-claude");
    assertThat(claude.get("operation").asText()).isEqualTo("messages");
    assertThat(claude.get("model").asText()).isEqualTo("claude-sonnet-4-20250514");
    assertThat(claude.get("input_tokens").asLong() + "/" + claude.get("output_tokens").asLong()).isEqualTo("20/10");
    assertThat(claude.get("cost").decimalValue()).isEqualByComparingTo("0.00021");
    assertThat(claude.get("status").asText()).isEqualTo("ok");
    assertThat(recs).extracting(n -> n.get("operation").asText()).containsExactly("generate_content", "stream_generate_content");
    assertThat(recs).extracting(n -> n.get("input_tokens").asLong() + "/" + n.get("output_tokens").asLong())
        .containsExactly("1200/300", "50/20");
    assertThat(recs).extracting(n -> n.get("stream").asBoolean()).containsExactly(false, true);
    // gemini-2.0-flash at 0.10 in, 0.40 out per 1M: 1200 × 0.1 + 300 × 0.4 = 240 per 1M; 50 × 0.1 + 20 × 0.4 = 13 per 1M.
    assertThat(recs).extracting(n -> n.get("cost").decimalValue().stripTrailingZeros().toPlainString())
        .containsExactly("0.00024", "0.000013");
    for (JsonNode rec : recs) {
      assertThat(rec.get("provider").asText()).isEqualTo("vertex-loopback");
      assertThat(rec.get("model").asText()).isEqualTo("gemini-2.0-flash");
      assertThat(rec.get("status").asText()).isEqualTo("ok");
      assertThat(rec.get("estimated").asBoolean()).as(rec.toString()).isFalse();
      assertThat(rec.get("endpoint").asText()).startsWith("https://127.0.0.1:" + server.getPort() + "/v1/" + MODEL + ":");
    }
    assertThat(r.agentLog()).isEmpty();
  }

  /**
   * The responses the app receives are parsed by grpc and never serialized on the client, with the
   * agent as without it: the tap reads the wire bytes grpc parses. The support used to write each
   * {@code GenerateContentResponse} out again with its protobuf runtime to feed the tap. A raw
   * prediction's {@code HttpBody} is read from the message, and is not serialized either. The usage
   * recorded is exact.
   */
  @Test
  void responses_areNotSerializedOnTheClient_withTheAgentAsWithout() throws Exception {
    Path dataDir = tmp.resolve("data");

    Fork.Result without = app(tmp.resolve("without"), "generate", "stream", "raw").withoutAgent().run();
    Fork.Result with = app(dataDir, "generate", "stream", "raw").run();

    for (Fork.Result r : List.of(without, with)) {
      assertThat(r.lines("SDKUSAGE ")).as(r.toString()).containsExactly("1200 300", "50 20");
      assertThat(r.lines("SERIALIZED ")).as(r.toString()).containsExactly("generate 0 of 1", "stream 0 of 3", "raw 0 of 1");
    }
    assertThat(Journal.records(dataDir)).as(with.toString())
        .extracting(n -> n.get("operation").asText() + " " + n.get("input_tokens").asLong() + "/" + n.get("output_tokens").asLong()
            + " " + n.get("status").asText() + (n.get("estimated").asBoolean() ? " estimated" : ""))
        .containsExactly("generate_content 1200/300 ok", "stream_generate_content 50/20 ok", "messages 20/10 ok");
    assertThat(with.agentLog()).isEmpty();
  }

  /**
   * Responses the server compresses reach grpc's parser as a decompressing stream, their length
   * unknown until read: the tap reads them from the parsed message, written out once by its protobuf
   * runtime, at exact usage.
   */
  @Test
  void compressedResponses_areReadFromTheParsedMessages_atExactUsage() throws Exception {
    compress = true;
    Path dataDir = tmp.resolve("compressed");

    Fork.Result r = app(dataDir, "generate", "stream").run();

    assertThat(r.lines("SDKUSAGE ")).as(r.toString()).containsExactly("1200 300", "50 20");
    assertThat(r.lines("SERIALIZED ")).containsExactly("generate 1 of 1", "stream 3 of 3");
    assertThat(Journal.records(dataDir)).extracting(n -> n.get("input_tokens").asLong() + "/" + n.get("output_tokens").asLong()
        + " " + n.get("status").asText() + (n.get("estimated").asBoolean() ? " estimated" : ""))
        .containsExactly("1200/300 ok", "50/20 ok");
    assertThat(r.agentLog()).isEmpty();
  }

  /**
   * With 0.001 credits, the calls that set {@code generation_config.max_output_tokens} to 16 reserve for
   * 16 output tokens and go; the same calls without it reserve for the catalog's 8,192 (8192 × 0.40 per
   * 1M = 0.0032768 and the input, more than there is) and are blocked.
   */
  @Test
  void blocked_failsWithResourceExhausted_beforeAnythingIsSent_andIsNotRetried_whileCappedCallsFit() throws Exception {
    Path dataDir = tmp.resolve("blocked");

    // The echo first: its connection, to a metered host, opens with no metered call before it. On NIO, not
    // grpc-netty-shaded's native epoll (Linux' default), whose sockets the JDK's socket check never sees.
    Fork.Result r = app(dataDir, "echo", "generate-capped", "stream-capped", "generate", "stream").prop("tollgate.budget", "0.001")
        .prop("io.grpc.netty.shaded.io.netty.transport.noNative", "true").run();

    assertThat(r.lines("ECHO ")).as(r.toString()).containsExactly("ping");
    assertThat(r.lines("CONTENT ")).containsExactly("Rayleigh scattering.", "Rayleigh scattering.");
    // 0.001 - 0.00024 - 0.000013 left.
    assertThat(r.lines("GRPCSTATUS ")).hasSize(2).allSatisfy(s -> assertThat(s)
        .startsWith("RESOURCE_EXHAUSTED Tollgate blocked this call to vertex-loopback (gemini-2.0-flash): it needs up to 0.00327")
        .contains("credits and 0.000747 are available"));
    assertThat(r.lines("BLOCKEDTRAILER ")).containsExactly("true", "true");
    String capped = " max_output_tokens=" + VertexGrpcApp.CAPPED_MAX_OUTPUT;
    assertThat(received).containsExactly("Echo ping", "GenerateContent " + MODEL + capped, "StreamGenerateContent " + MODEL + capped);
    List<JsonNode> recs = Journal.records(dataDir);
    assertThat(recs).extracting(n -> n.get("status").asText()).containsExactly("ok", "ok", "blocked", "blocked");
    assertThat(recs).extracting(n -> n.get("operation").asText())
        .containsExactly("generate_content", "stream_generate_content", "generate_content", "stream_generate_content");
    assertThat(recs).extracting(n -> n.get("model").asText()).containsOnly("gemini-2.0-flash");
    // Reserved for 16 output tokens (16 × 0.40 per 1M = 0.0000064) and the input's estimate, not for 8,192.
    assertThat(recs.subList(0, 2)).allSatisfy(n -> assertThat(n.get("reservation").decimalValue())
        .isGreaterThan(new java.math.BigDecimal("0.0000064")).isLessThan(new java.math.BigDecimal("0.00002")));
    assertThat(r.agentLog()).noneMatch(line -> line.contains("unmetered traffic"));
  }
}
