package dev.tollgate.agent.instrument.grpc.support;

import dev.tollgate.agent.bootstrap.GrpcBridge;
import dev.tollgate.agent.bootstrap.Hooks;
import io.grpc.ClientCall;
import io.grpc.MethodDescriptor;
import org.jspecify.annotations.Nullable;

/**
 * grpc-java's side of metering, called from {@code GrpcNewCallAdvice}: a call of Vertex AI's {@code
 * PredictionService.GenerateContent}, {@code StreamGenerateContent}, {@code RawPredict} or {@code
 * StreamRawPredict} ({@code v1} or {@code v1beta1}) on a channel to a metered host is wrapped in a
 * {@link MeteredClientCall}. It is classified and priced by the REST path it stands for, {@code
 * https://{authority}/{version}/{model}:generateContent} (or {@code :streamGenerateContent}), with the
 * model from the request's {@code model} field, or {@code …/{endpoint}:rawPredict} with its {@code
 * endpoint}, so the formats and the built-in Vertex AI endpoints ({@code
 * https://*-aiplatform.googleapis.com}) apply as they do to Vertex's REST transport: Gemini's for
 * {@code generateContent}, Anthropic's for Claude's raw predictions (other publishers' are not
 * metered, as over REST). What is known of the call is settled when {@code newCall} starts ({@link
 * Metering}), so that the channel creates the call with the descriptor whose response marshaller
 * feeds its tap; the call the channel returns is wrapped.
 */
public final class GrpcSupport extends GrpcBridge {
  private static final String PACKAGE = "google.cloud.aiplatform.";
  private static final String SERVICE = ".PredictionService/";

  /** Instantiated reflectively by the agent, in the class loader it defined this class in. */
  public GrpcSupport() {}

  @Override
  public @Nullable Object meter(Object method, String authority) {
    MethodDescriptor<?, ?> m = (MethodDescriptor<?, ?>) method;
    String name = m.getFullMethodName();
    String suffix = suffix(name);
    if (suffix == null || !Hooks.mayMeter("POST", host(authority))) {
      return null;
    }
    String version = name.substring(PACKAGE.length(), name.indexOf(SERVICE));
    return new Metering<>(m.getType() == MethodDescriptor.MethodType.UNARY, suffix.endsWith("awPredict"),
        "https://" + authority + "/" + version + "/", suffix);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object method(Object metering, Object method) {
    return ((Metering<Object, Object>) metering).teeing((MethodDescriptor<Object, Object>) method);
  }

  @Override
  @SuppressWarnings("unchecked")
  public Object wrap(Object call, Object metering) {
    return ((Metering<Object, Object>) metering).wrap((ClientCall<Object, Object>) call);
  }

  /** The REST path's operation suffix of a metered method ({@code :generateContent}), or null. */
  static @Nullable String suffix(String fullMethodName) {
    int service = fullMethodName.indexOf(SERVICE);
    if (!fullMethodName.startsWith(PACKAGE) || service < 0 || fullMethodName.indexOf('.', PACKAGE.length()) != service) {
      return null;
    }
    switch (fullMethodName.substring(service + SERVICE.length())) {
      case "GenerateContent":
        return ":generateContent";
      case "StreamGenerateContent":
        return ":streamGenerateContent";
      case "RawPredict":
        return ":rawPredict";
      case "StreamRawPredict":
        return ":streamRawPredict";
      default:
        return null;
    }
  }

  /** {@code host} of {@code host:port} ({@code [::1]} of {@code [::1]:443}). */
  static String host(String authority) {
    int colon = authority.lastIndexOf(':');
    return colon > authority.lastIndexOf(']') ? authority.substring(0, colon) : authority;
  }
}
