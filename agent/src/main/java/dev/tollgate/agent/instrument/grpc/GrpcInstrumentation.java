package dev.tollgate.agent.instrument.grpc;

import dev.tollgate.agent.bootstrap.GrpcBridge;
import dev.tollgate.agent.instrument.InstrumentationModule;
import dev.tollgate.agent.instrument.LibrarySupport;
import dev.tollgate.agent.instrument.TypeAdvice;

/**
 * grpc-java's client (Vertex AI's {@code PredictionService} over gRPC: {@code google-cloud-vertexai}'s
 * default transport, langchain4j-vertex-ai-gemini, any stub generated from Vertex's protos), at the
 * channel that creates every call: {@code ManagedChannelImpl$RealChannel.newCall}, beneath the
 * application's and gax's interceptors, for every transport (Netty, shaded or not, OkHttp,
 * in-process). A metered method's call is handed back wrapped ({@link GrpcNewCallAdvice}); the
 * support ({@code instrument.grpc.support}) extends grpc's {@code ClientCall}, so it is placed beside
 * the application's copy of grpc-java.
 *
 * <p>Why there and not in the stub helpers of {@code io.grpc.stub.ClientCalls}, which receive the
 * request before {@code call.start}: gax, which every Google Cloud client library (the Vertex AI SDK
 * included) calls through, does not use them. Its unary path ({@code
 * GrpcClientCalls.eagerFutureUnaryCall}) and its server streams ({@code GrpcDirectStreamController})
 * drive the {@code ClientCall} themselves, {@code start} before {@code sendMessage}. Wrapping the call
 * the channel creates covers both and the stubs, and lets {@code start} wait until the request (and
 * its model) is known: a blocked call never starts, so no stream is opened and nothing is sent.
 */
public final class GrpcInstrumentation {
  private static final String PACKAGE = "dev.tollgate.agent.instrument.grpc.";
  static final LibrarySupport<GrpcBridge> SUPPORT = new LibrarySupport<>(GrpcBridge.SUPPORT, PACKAGE + "support.GrpcSupport", "grpc-java");

  /** {@code tollgate.instrumentation.grpc.enabled}. */
  public static final InstrumentationModule MODULE = InstrumentationModule.client("grpc",
      TypeAdvice.onMethod("newCall", 2, PACKAGE + "GrpcNewCallAdvice", "io.grpc.internal.ManagedChannelImpl$RealChannel"))
      // Netty connects from its event loop under grpc's own handler (WriteBufferingAndExceptionHandler.connect,
      // io.grpc.netty.shaded.io.grpc.netty in the shaded jar); OkHttp from its client transport.
      .connectingFrom("io.grpc.netty.", "io.grpc.okhttp.")
      .usingLibrary("io.grpc.")
      .withSupport(SUPPORT);

  private GrpcInstrumentation() {}
}
