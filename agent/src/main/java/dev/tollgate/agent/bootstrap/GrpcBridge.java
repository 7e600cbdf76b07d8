package dev.tollgate.agent.bootstrap;

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
    public Object wrap(Object call, Object method, String authority) {
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
   * The call to hand the application instead of {@code call} (a {@code ClientCall} of {@code method},
   * a {@code MethodDescriptor}, on a channel to {@code authority}, {@code host:port}): for a metered
   * method, the same call, started only once its request is known and allowed, its responses tapped;
   * else {@code call} itself.
   */
  public abstract Object wrap(Object call, Object method, String authority);
}
