package dev.tollgate.it.apps;

import com.google.api.HttpBody;
import com.google.api.gax.core.NoCredentialsProvider;
import com.google.api.gax.grpc.GrpcTransportChannel;
import com.google.api.gax.rpc.FixedTransportChannelProvider;
import com.google.cloud.vertexai.VertexAI;
import com.google.cloud.vertexai.api.GenerateContentResponse;
import com.google.cloud.vertexai.api.GenerationConfig;
import com.google.cloud.vertexai.api.PredictionServiceClient;
import com.google.cloud.vertexai.api.PredictionServiceSettings;
import com.google.cloud.vertexai.api.RawPredictRequest;
import com.google.cloud.vertexai.generativeai.GenerativeModel;
import com.google.cloud.vertexai.generativeai.ResponseHandler;
import com.google.cloud.vertexai.generativeai.ResponseStream;
import com.google.protobuf.AbstractMessage;
import com.google.protobuf.ByteString;
import io.grpc.CallOptions;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.Status;
import io.grpc.stub.ClientCalls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * google-cloud-vertexai (the Vertex AI SDK for Java) on its default transport, gRPC through gax and
 * grpc-java (Netty, shaded), unmodified but for where it connects: a plaintext channel to a loopback
 * {@code PredictionService} (the real endpoint needs TLS and Google credentials).
 *
 * <pre>VertexGrpcApp HOST:PORT STEP...</pre>
 *
 * Steps, in order: {@code generate} ({@code GenerativeModel.generateContent}), {@code stream} ({@code
 * generateContentStream}), {@code generate-capped} and {@code stream-capped} (the same with {@code
 * generation_config.max_output_tokens} {@link #CAPPED_MAX_OUTPUT}), {@code raw} (Claude through the SDK's {@code PredictionServiceClient.rawPredict},
 * {@link #CLAUDE}), {@code echo} (a call of another service, {@link #ECHO}, on the same channel). Each
 * prints {@code CONTENT text} and {@code SDKUSAGE prompt candidates} ({@code RAW body}, {@code ECHO text}), and
 * {@code SERIALIZED step k of n}: of the n response messages it received, how many were serialized in
 * this JVM ({@link #serialized}); or, when it fails, {@code ERROR class message}, {@code GRPCSTATUS code description} and {@code
 * BLOCKEDTRAILER value} (the {@code tollgate-blocked} trailer).
 */
public final class VertexGrpcApp {
  /** A unary method of a service that is not Vertex AI's: strings as UTF-8. */
  public static final MethodDescriptor<String, String> ECHO = MethodDescriptor.<String, String>newBuilder()
      .setType(MethodDescriptor.MethodType.UNARY)
      .setFullMethodName("tollgate.it.Echo/Echo")
      .setRequestMarshaller(new Utf8())
      .setResponseMarshaller(new Utf8())
      .build();

  /** The Claude model a raw prediction names. */
  public static final String CLAUDE = "projects/tollgate-it/locations/us-east5/publishers/anthropic/models/claude-sonnet-4@20250514";

  /** The {@code max_output_tokens} of the capped steps. */
  public static final int CAPPED_MAX_OUTPUT = 16;

  public static void main(String[] argv) throws Exception {
    ManagedChannel channel = ManagedChannelBuilder.forTarget(argv[0]).usePlaintext().build();
    PredictionServiceSettings settings = PredictionServiceSettings.newBuilder()
        .setTransportChannelProvider(FixedTransportChannelProvider.create(GrpcTransportChannel.create(channel)))
        .setCredentialsProvider(NoCredentialsProvider.create())
        .build();
    PredictionServiceClient client = PredictionServiceClient.create(settings);
    VertexAI vertex = new VertexAI.Builder().setProjectId("tollgate-it").setLocation("us-central1")
        .setPredictionClientSupplier(() -> client).build();
    GenerativeModel model = new GenerativeModel("gemini-2.0-flash", vertex);
    for (int i = 1; i < argv.length; i++) {
      try {
        step(argv[i], model, client, channel);
      } catch (RuntimeException e) {
        printError(e);
      }
    }
    System.exit(0);
  }

  private static void step(String step, GenerativeModel model, PredictionServiceClient client, ManagedChannel channel)
      throws IOException {
    GenerativeModel capped = model.withGenerationConfig(GenerationConfig.newBuilder().setMaxOutputTokens(CAPPED_MAX_OUTPUT).build());
    switch (step) {
      case "generate":
      case "generate-capped":
        GenerateContentResponse r = (step.equals("generate") ? model : capped).generateContent("Why is the sky blue?");
        System.out.println("CONTENT " + ResponseHandler.getText(r));
        printUsage(r);
        printSerialized(step, List.of(r));
        break;
      case "stream":
      case "stream-capped":
        ResponseStream<GenerateContentResponse> stream = (step.equals("stream") ? model : capped)
            .generateContentStream("Why is the sky blue?");
        StringBuilder text = new StringBuilder();
        List<GenerateContentResponse> chunks = new ArrayList<>();
        for (GenerateContentResponse chunk : stream) {
          text.append(ResponseHandler.getText(chunk));
          chunks.add(chunk);
        }
        System.out.println("CONTENT " + text);
        printUsage(chunks.get(chunks.size() - 1));
        printSerialized(step, chunks);
        break;
      case "raw":
        String json = "{\"anthropic_version\":\"vertex-2023-10-16\",\"max_tokens\":100,"
            + "\"messages\":[{\"role\":\"user\",\"content\":\"Why is the sky blue?\"}]}";
        HttpBody answer = client.rawPredict(RawPredictRequest.newBuilder().setEndpoint(CLAUDE)
            .setHttpBody(HttpBody.newBuilder().setContentType("application/json").setData(ByteString.copyFromUtf8(json))).build());
        System.out.println("RAW " + answer.getData().toStringUtf8());
        printSerialized(step, List.of(answer));
        break;
      case "echo":
        System.out.println("ECHO " + ClientCalls.blockingUnaryCall(channel, ECHO, CallOptions.DEFAULT, "ping"));
        break;
      default:
        throw new IllegalArgumentException(step);
    }
  }

  private static void printUsage(GenerateContentResponse r) {
    System.out.println("SDKUSAGE " + r.getUsageMetadata().getPromptTokenCount() + " " + r.getUsageMetadata().getCandidatesTokenCount());
  }

  private static void printSerialized(String step, List<? extends AbstractMessage> responses) {
    long serialized = responses.stream().filter(VertexGrpcApp::serialized).count();
    System.out.println("SERIALIZED " + step + " " + serialized + " of " + responses.size());
  }

  /**
   * Whether {@code message} was serialized in this JVM since it was parsed: protobuf's runtime computes
   * a message's size before it writes it ({@code writeTo}, {@code toByteArray}: {@code
   * getSerializedSize}, kept in {@code AbstractMessage.memoizedSize}); parsing leaves it unset (-1).
   */
  static boolean serialized(AbstractMessage message) {
    try {
      Field size = AbstractMessage.class.getDeclaredField("memoizedSize");
      size.setAccessible(true);
      return size.getInt(message) != -1;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("protobuf's runtime no longer keeps memoizedSize", e);
    }
  }

  private static void printError(Throwable e) {
    System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
    Status status = Status.fromThrowable(e);
    System.out.println("GRPCSTATUS " + status.getCode() + " " + status.getDescription());
    Metadata trailers = Status.trailersFromThrowable(e);
    System.out.println("BLOCKEDTRAILER "
        + (trailers == null ? null : trailers.get(Metadata.Key.of("tollgate-blocked", Metadata.ASCII_STRING_MARSHALLER))));
  }

  /** Strings as UTF-8 bytes. */
  public static final class Utf8 implements MethodDescriptor.Marshaller<String> {
    @Override
    public InputStream stream(String value) {
      return new ByteArrayInputStream(value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public String parse(InputStream stream) {
      try {
        return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }
}
