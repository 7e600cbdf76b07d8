package dev.tollgate.agent.bootstrap;

import org.jspecify.annotations.Nullable;

/**
 * The agent's grpc-java support, seen from advice inlined into the channel that creates every call
 * ({@code ManagedChannelImpl$RealChannel.newCall}). Its implementation implements grpc's {@code
 * ClientCall}, so it is defined beside each copy of grpc-java the application loads ({@link
 * #SUPPORT}); grpc types cross as {@code Object}.
 */
public abstract class GrpcBridge extends SupportBridge {
  /** The null object: meters nothing, every call is the channel's own. */
  public static final GrpcBridge UNMETERED = new GrpcBridge() {
    @Override
    public boolean meters() {
      return false;
    }

    @Override
    public @Nullable Object meter(Object method, String authority) {
      return null;
    }

    @Override
    public Object method(Object metering, Object method) {
      return method;
    }

    @Override
    public Object wrap(Object call, Object metering) {
      return call;
    }
  };
  /** Where advice finds the support beside each copy of grpc-java, keyed by its channel class. */
  public static final LibraryBridges<GrpcBridge> SUPPORT = new LibraryBridges<>(UNMETERED);

  /**
   * Whether calls of the method named {@code fullMethodName} ({@code package.Service/Method}) may be
   * metered: Vertex AI's services. Allocates nothing; every other method is ruled out here.
   */
  public static boolean mayMeter(String fullMethodName) {
    return fullMethodName.startsWith("google.cloud.aiplatform.");
  }

  /**
   * At the start of {@code newCall}: the metering of a call of {@code method} (a {@code
   * MethodDescriptor}) on a channel to {@code authority} ({@code host:port}), handed to {@link #method}
   * and {@link #wrap}; null when the call is not metered, and then neither is called.
   */
  public abstract @Nullable Object meter(Object method, String authority);

  /**
   * The {@code MethodDescriptor} to create the metered call with, in place of {@code method}: a copy
   * whose response marshaller hands the call's tap each response's wire bytes as it parses them, or
   * {@code method} itself when its responses are read from the parsed messages.
   */
  public abstract Object method(Object metering, Object method);

  /**
   * At the end of {@code newCall}: the call to hand the application instead of {@code call} (the
   * {@code ClientCall} the channel created with {@link #method}'s descriptor), started only once its
   * request is known and allowed, its responses tapped.
   */
  public abstract Object wrap(Object call, Object metering);
}
