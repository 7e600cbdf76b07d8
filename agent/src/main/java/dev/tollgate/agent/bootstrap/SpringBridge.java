package dev.tollgate.agent.bootstrap;

import java.io.IOException;
import java.net.URI;

/**
 * The agent's Spring support (WebClient and RestClient on Reactor Netty), seen from advice inlined
 * into Spring. Its implementation extends Spring and Reactor types, so it is defined beside each
 * copy of Spring the application loads ({@link #SUPPORT}); every Spring type crosses as
 * {@code Object}.
 */
public abstract class SpringBridge extends SupportBridge {
  /** The null object: meters nothing, passes every call through. */
  public static final SpringBridge UNMETERED = new Unmetered();
  /** Where advice finds the support beside each copy of the library, keyed by the application's {@code HttpRequest}. */
  public static final LibraryBridges<SpringBridge> SUPPORT = new LibraryBridges<>(UNMETERED);


  /**
   * WebClient: a metered {@code ClientHttpConnector.connect}, as the {@code Mono<ClientHttpResponse>}
   * that renders the body, reserves, and only then connects (or answers the block).
   */
  public abstract Object connect(Object connector, Object method, URI uri, Object requestCallback, Object operation, String url);

  /** RestClient: the request {@code Body} written once into memory; the returned body replays it (or its failure). */
  public abstract Object captureBody(Object body);

  /** The bytes a {@link #captureBody} holds, or null when writing the body failed. */
  public abstract /* @Nullable */ byte[] capturedBytes(Object capturedBody);

  /** RestClient: the response with its body tapped as the application reads it. */
  public abstract Object tap(Object response, CallHandle handle) throws IOException;

  /** RestClient: the synthetic 402 {@code ClientHttpResponse} of a blocked call. */
  public abstract Object blockedResponse(String body);

  private static final class Unmetered extends SpringBridge {
    @Override
    public boolean meters() {
      return false;
    }

    @Override
    public Object connect(Object connector, Object method, URI uri, Object requestCallback, Object operation, String url) {
      return null;
    }

    @Override
    public Object captureBody(Object body) {
      return body;
    }

    @Override
    public byte[] capturedBytes(Object capturedBody) {
      return null;
    }

    @Override
    public Object tap(Object response, CallHandle handle) {
      return response;
    }

    @Override
    public Object blockedResponse(String body) {
      throw new IllegalStateException("never blocks");
    }
  }
}
