package dev.tollgate.it.apps;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * Another Java agent, listed before Tollgate's, whose {@code premain} opens an NIO socket channel (as an agent
 * that sets up an exporter or seeds a {@code SecureRandom} may): the JDK's {@code SocketChannelImpl} is then loaded
 * before Tollgate starts, and on JDK 25 {@code java.net.Socket} is not. {@code UnmeteredTrafficIT} packs it into a
 * jar of its own.
 */
public final class ChannelFirstAgent {
  private ChannelFirstAgent() {}

  public static void premain(String args) throws IOException {
    SocketChannel.open().close();
  }
}
