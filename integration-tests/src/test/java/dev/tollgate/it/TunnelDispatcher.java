package dev.tollgate.it;

import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * MockWebServer as the HTTPS proxy an app reaches the real provider hosts through: every new
 * connection starts with a {@code CONNECT host:443}, answered by opening a tunnel (TLS follows, with
 * the server's certificate for that host); requests inside tunnels get the replies, in order. A
 * pooled connection carries later requests without a second {@code CONNECT}, so the queue holds
 * replies only.
 */
final class TunnelDispatcher extends Dispatcher {
  private static final MockResponse TUNNEL = new MockResponse.Builder().inTunnel().build();
  private static final MockResponse NO_REPLY = new MockResponse.Builder().code(599).build();

  private final BlockingQueue<MockResponse> replies = new LinkedBlockingQueue<>();
  private final List<String> tunnels = new CopyOnWriteArrayList<>();
  private final List<String> requests = new CopyOnWriteArrayList<>();
  private volatile boolean expectingConnect = true;

  TunnelDispatcher(MockResponse... replies) {
    this.replies.addAll(List.of(replies));
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) throws InterruptedException {
    if (request.getMethod().equals("CONNECT")) {
      expectingConnect = false;
      tunnels.add(request.getTarget());
      return TUNNEL;
    }
    expectingConnect = true;
    requests.add(request.getMethod() + " " + request.getUrl());
    MockResponse reply = replies.poll(30, TimeUnit.SECONDS);
    return reply == null ? NO_REPLY : reply;
  }

  /** Consulted as a connection opens: a tunnel first, then TLS. */
  @Override
  public MockResponse peek() {
    MockResponse next = replies.peek();
    return expectingConnect ? TUNNEL : next == null ? NO_REPLY : next;
  }

  /** The {@code host:port} of each tunnel opened, in order. */
  List<String> tunnels() {
    return List.copyOf(tunnels);
  }

  /** {@code METHOD url} of each request that came through a tunnel, in order. */
  List<String> requests() {
    return List.copyOf(requests);
  }
}
