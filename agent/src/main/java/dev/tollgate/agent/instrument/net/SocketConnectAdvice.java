package dev.tollgate.agent.instrument.net;

import dev.tollgate.agent.bootstrap.Hooks;
import java.net.ConnectException;
import java.net.SocketAddress;
import net.bytebuddy.asm.Advice;

/**
 * Inlined into {@code java.net.Socket.connect(SocketAddress, int)} and {@code
 * sun.nio.ch.SocketChannelImpl.connect(SocketAddress)}: where every blocking socket and NIO channel
 * connects (what Netty, Vert.x, Jetty and hand-written clients end in). Connection set-up only, never
 * a request: the per-call path gains nothing. Not {@code suppress}ed: the refusal of {@code
 * tollgate.unmetered-traffic=block} is the one exception it may throw; {@link Hooks#connecting}
 * contains every other failure.
 */
public final class SocketConnectAdvice {
  private SocketConnectAdvice() {}

  @Advice.OnMethodEnter
  public static void enter(@Advice.Argument(0) SocketAddress address) throws ConnectException {
    Hooks.connecting(address);
  }
}
