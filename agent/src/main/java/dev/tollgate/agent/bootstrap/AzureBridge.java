package dev.tollgate.agent.bootstrap;

/**
 * The agent's support for azure-core's Netty transport, seen from advice inlined into it: azure-core
 * turns a response into the SDK's own errors, so a call the Reactor Netty support blocked is handed
 * back as the synthetic 402 response it would get from OkHttp or the JDK client. Defined beside each
 * copy of azure-core ({@link #SUPPORT}); azure-core and Reactor types cross as {@code Object}.
 */
public abstract class AzureBridge extends SupportBridge {
  /** The null object: meters nothing, hands the response back as it was. */
  public static final AzureBridge UNMETERED = new Unmetered();
  /** Where advice finds the support, keyed by a class of the library. */
  public static final LibraryBridges<AzureBridge> SUPPORT = new LibraryBridges<>(UNMETERED);

  /** {@code response} (a {@code Mono<HttpResponse>}) with a {@link BlockedCallException} answered as a 402 to {@code request}. */
  public abstract Object answerBlocks(Object response, Object request);

  private static final class Unmetered extends AzureBridge {
    @Override
    public boolean meters() {
      return false;
    }

    @Override
    public Object answerBlocks(Object response, Object request) {
      return response;
    }
  }
}
