package dev.tollgate.agent.instrument.net;

import dev.tollgate.agent.bootstrap.ConnectionGuard;
import dev.tollgate.agent.bootstrap.Hooks;
import dev.tollgate.agent.config.TollgateConfig;
import dev.tollgate.agent.endpoint.Endpoint;
import dev.tollgate.agent.endpoint.EndpointCatalog;
import dev.tollgate.agent.instrument.Instrumentations;
import dev.tollgate.agent.log.Log;
import java.net.InetSocketAddress;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code tollgate.unmetered-traffic}: a connection to a metered endpoint's {@code host:port} that no
 * hooked client opened is named in one log line per {@code host:port} and opening class, and with
 * {@code block} refused. A connection counts as a hooked client's when a hooked client's class is on
 * the connecting thread's stack (OkHttp, the JDK client, {@code HttpURLConnection}, Apache HttpClient
 * 5 and its I/O reactor, Reactor Netty for Spring's clients, the agent itself), or when a hooked client started a metered call to that endpoint in
 * the last {@link #RECENT_CALL_SECONDS} seconds (clients that connect from an event loop, such as
 * Spring's Reactor Netty or Apache's async I/O reactor, whose stacks name no caller). Only connection
 * set-up is inspected, which is rare; the request path is untouched.
 */
public final class UnmeteredTrafficGuard extends ConnectionGuard {
  /** How long after a hooked client's metered call a connection to the same endpoint is taken to be its. */
  static final long RECENT_CALL_SECONDS = 60;
  private static final long RECENT_CALL_NANOS = TimeUnit.SECONDS.toNanos(RECENT_CALL_SECONDS);
  /** Frames looked at, at most: a connection's stack is rarely deeper; beyond this it is let through. */
  private static final int MAX_FRAMES = 256;
  /** Distinct {@code host:port} and class pairs logged at most, so a scanner cannot grow the set for ever. */
  private static final int MAX_REPORTED = 256;

  private final EndpointCatalog endpoints;
  private final boolean block;
  private final String[] hookedPrefixes;
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private final AtomicLong seen = new AtomicLong();

  public UnmeteredTrafficGuard(EndpointCatalog endpoints, TollgateConfig.UnmeteredTraffic mode, Set<String> disabledInstrumentations) {
    this.endpoints = endpoints;
    this.block = mode == TollgateConfig.UnmeteredTraffic.BLOCK;
    this.hookedPrefixes = hookedPrefixes(disabledInstrumentations);
  }

  /** The packages of the clients whose calls are metered on the thread that connects; the agent's own always. */
  static String[] hookedPrefixes(Set<String> disabled) {
    return Instrumentations.connectingPackages(disabled);
  }

  /** Connections to metered endpoints that no hooked client opened, since start. */
  public long unmeteredConnections() {
    return seen.get();
  }

  @Override
  public /* @Nullable */ String check(Object address) {
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
    String opener = unhookedOpener();
    if (opener == null) {
      return null;
    }
    seen.incrementAndGet();
    String target = host + ':' + a.getPort();
    if (reported.size() < MAX_REPORTED && reported.add(target + ' ' + opener)) {
      Log.warn("unmetered traffic: " + opener + " opened a connection to " + target + ", a metered endpoint (" + e.provider()
          + "), through a client Tollgate does not hook, so its calls are neither metered nor capped"
          + (block ? "; refused (tollgate.unmetered-traffic=block)" : "; tollgate.unmetered-traffic=block refuses such connections, off silences this"));
    }
    return block ? "Tollgate refused a connection to " + target + " (" + e.provider() + "), a metered endpoint, opened by " + opener
        + " through a client Tollgate does not meter (tollgate.unmetered-traffic=block)" : null;
  }

  /** The first class on this thread's stack outside the JDK, when no hooked client is on it; null when one is. */
  private /* @Nullable */ String unhookedOpener() {
    return StackWalker.getInstance().walk(frames -> {
      String opener = null;
      String innermost = null;
      boolean inGuard = true; // this class and Hooks, on top of the socket's connect: not a caller
      for (java.util.Iterator<StackWalker.StackFrame> it = frames.limit(MAX_FRAMES).iterator(); it.hasNext(); ) {
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
