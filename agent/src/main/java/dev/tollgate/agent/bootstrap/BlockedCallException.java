package dev.tollgate.agent.bootstrap;

import java.io.IOException;

/**
 * A blocked call ({@code tollgate.block-mode=response}) on a client that has no response object
 * Tollgate can stand in for (Reactor Netty's {@code HttpClient} hands the application its live
 * connection): the call fails with this instead, its message the 402 body other clients receive.
 * A client library above it that has response objects (azure-core) turns it back into the 402.
 */
public final class BlockedCallException extends IOException {
  private static final long serialVersionUID = 1L;
  private final String body;

  public BlockedCallException(String body) {
    super("Tollgate blocked this call (HTTP 402): " + body);
    this.body = body;
  }

  /** The JSON body of the synthetic 402: {@code {"error":{"type":"insufficient_credits","code":"tollgate_blocked",…}}}. */
  public String body() {
    return body;
  }
}
