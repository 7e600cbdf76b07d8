package dev.tollgate.agent.instrument.net;

import dev.tollgate.agent.bootstrap.ConnectionGuard;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.endpoint.Endpoint;
import dev.tollgate.agent.endpoint.EndpointCatalog;
import dev.tollgate.agent.instrument.Instrumentations;
import dev.tollgate.agent.log.Log;
import dev.tollgate.agent.metrics.UnmeteredConnections;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * {@code tollgate.unmetered-traffic}: a connection to a metered endpoint's {@code host:port} that no
 * hooked client opened is named in one log line per {@code host:port} and opening class, and with
 * {@code block} refused. A connection counts as a hooked client's when a hooked client's class is on
 * the connecting thread's stack (OkHttp, the JDK client, {@code HttpURLConnection}, Apache HttpClient
 * 5 and its I/O reactor, Reactor Netty for Spring's clients, Jetty's client, the agent itself), when a Vert.x thread
 * opens it ({@link #onHookedThread}), or when a hooked client started a metered call to that endpoint in
 * the last {@link #RECENT_CALL_SECONDS} seconds (clients that connect from an event loop, such as
 * Spring's Reactor Netty or Apache's async I/O reactor, whose stacks name no caller). Only connection
 * set-up is inspected, which is rare; the request path is untouched. Each such connection is counted
 * in {@link UnmeteredConnections}, which the metrics show and {@link UnmeteredTrafficFile} saves for
 * {@code doctor}.
 */
public final class UnmeteredTrafficGuard extends ConnectionGuard {
  /** How long after a hooked client's metered call a connection to the same endpoint is taken to be its. */
  static final long RECENT_CALL_SECONDS = 60;
  private static final long RECENT_CALL_NANOS = TimeUnit.SECONDS.toNanos(RECENT_CALL_SECONDS);
  /** Frames looked at, at most: a connection's stack is rarely deeper; beyond this it is let through. */
  private static final int MAX_FRAMES = 256;

  private final EndpointCatalog endpoints;
  private final boolean block;
  private final String[] hookedPrefixes;
  private final String[] hookedThreads;
  private final UnmeteredConnections seen;

  /** @param seen where each connection is counted (its pairs are also what is logged, once each) */
  public UnmeteredTrafficGuard(EndpointCatalog endpoints, TollgateConfig.UnmeteredTraffic mode, Set<String> disabledInstrumentations,
      UnmeteredConnections seen) {
    this.endpoints = endpoints;
    this.seen = seen;
    this.block = mode == TollgateConfig.UnmeteredTraffic.BLOCK;
    this.hookedPrefixes = hookedPrefixes(disabledInstrumentations);
    this.hookedThreads = Instrumentations.connectingThreads(disabledInstrumentations);
  }

  /** The packages of the clients whose calls are metered on the thread that connects; the agent's own always. */
  static String[] hookedPrefixes(Set<String> disabled) {
    return Instrumentations.connectingPackages(disabled);
  }

  /** Connections to metered endpoints that no hooked client opened, since start. */
  public long unmeteredConnections() {
    return seen.total();
  }

  @Override
  public @Nullable String check(Object address) {
    if (!(address instanceof InetSocketAddress)) {
      return null;
    }
    InetSocketAddress a = (InetSocketAddress) address;
    String host = a.getHostString(); // the name the client resolved, with no reverse lookup
    long now = System.nanoTime();
    Endpoint e = endpoints.servingAddress(host, a.getPort(), now, RECENT_CALL_NANOS);
    if (e == null || e.calledWithin(now, RECENT_CALL_NANOS)) {
      return null;
    }
    String opener = onHookedThread(Thread.currentThread()) ? null : unhookedOpener();
    if (opener == null) {
      return null;
    }
    String target = host + ':' + a.getPort();
    UnmeteredConnections.Entry first = seen.add(host, a.getPort(), opener, e.provider(), block);
    if (first != null) {
      Log.warn(first.overflow ? "unmetered traffic: more than " + UnmeteredConnections.MAX_SERIES + " clients and endpoints opened "
          + "connections no hook covers; further ones (" + opener + " to " + target + " first) are counted together, not logged"
          : "unmetered traffic: " + opener + " opened a connection to " + target + ", a metered endpoint (" + e.provider()
              + "), through a client Tollgate does not hook, so its calls are neither metered nor capped"
              + (block ? "; refused (tollgate.unmetered-traffic=block)"
                  : "; tollgate.unmetered-traffic=block refuses such connections, off silences this"));
    }
    return block ? "Tollgate refused a connection to " + target + " (" + e.provider() + "), a metered endpoint, opened by " + opener
        + " through a client Tollgate does not meter (tollgate.unmetered-traffic=block)" : null;
  }

  /**
   * Whether {@code t} is a thread a hooked client connects on although its stack names none of the
   * client's classes (Vert.x's event loop: it connects before the request's body, and so its
   * metering, exists): a {@link Instrumentations#connectingThreads} class or a subclass of one (a
   * custom thread factory's, Quarkus'). Vert.x's {@code NetClient} used directly is not told apart.
   */
  boolean onHookedThread(Thread t) {
    if (hookedThreads.length == 0) {
      return false;
    }
    for (Class<?> c = t.getClass(); c != Thread.class && c != null; c = c.getSuperclass()) {
      for (String name : hookedThreads) {
        if (c.getName().equals(name)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The first class on this thread's stack outside the JDK, when no hooked client is on it; null when one is. */
  private @Nullable String unhookedOpener() {
    return StackWalker.getInstance().walk(frames -> {
      String opener = null;
      String innermost = null;
      boolean inGuard = true; // this class and Hooks, on top of the socket's connect: not a caller
      for (java.util.Iterator<StackWalker.StackFrame> it = frames.limit(MAX_FRAMES).iterator(); it.hasNext();) {
        String name = it.next().getClassName();
        if (inGuard && (name.equals(UnmeteredTrafficGuard.class.getName()) || name.equals(Hooks.class.getName()))) {
          continue;
        }
        inGuard = false;
        for (String prefix : hookedPrefixes) {
          if (name.startsWith(prefix)) {
            return null;
          }
        }
        if (innermost == null && !name.startsWith("java.") && !name.startsWith("sun.")) {
          innermost = name;
        }
        if (opener == null && !isPlatform(name)) {
          opener = name;
        }
      }
      return opener != null ? opener : innermost != null ? innermost : "an unknown class";
    });
  }

  private static boolean isPlatform(String name) {
    return name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
        || name.startsWith("com.sun.");
  }
}
