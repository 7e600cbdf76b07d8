package dev.tollgate.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * An event stream nobody can buffer whole: the JDK's HttpServer on loopback sends a stream's first
 * event, then holds the rest until the client GETs {@code /ack}, which it can only do once it has
 * that event in hand. A client that waited for the whole body would wait for ever; the server gives
 * up after a bounded wait (a deadline, not a timing assertion), sends the rest anyway, and records
 * that stream as not released by its ack. (MockWebServer cannot hold a body half way.)
 */
final class HeldStreamServer implements AutoCloseable {
  private static final long HOLD_SECONDS = 20;

  private final byte[] first;
  private final byte[] rest;
  private final HttpServer server;
  private final ExecutorService threads = Executors.newCachedThreadPool();
  private final Semaphore acks = new Semaphore(0);
  private final List<Boolean> releasedByAck = new CopyOnWriteArrayList<>();

  /** Serves {@code events} (SSE text) at {@code path}, split after its first event. */
  HeldStreamServer(String path, String events) throws IOException {
    int split = events.indexOf("\n\n") + 2;
    first = events.substring(0, split).getBytes(StandardCharsets.UTF_8);
    rest = events.substring(split).getBytes(StandardCharsets.UTF_8);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(path, this::stream);
    server.createContext("/ack", this::ack);
    server.setExecutor(threads); // the ack arrives while a stream is held
    server.start();
  }

  String url(String path) {
    return "http://127.0.0.1:" + server.getAddress().getPort() + path;
  }

  /** For each stream served, in order: whether the client's ack released its rest (false: the wait ran out). */
  List<Boolean> releasedByAck() {
    return List.copyOf(releasedByAck);
  }

  private void stream(HttpExchange exchange) throws IOException {
    exchange.getRequestBody().readAllBytes();
    exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
    exchange.sendResponseHeaders(200, 0); // chunked
    acks.drainPermits(); // an ack that came too late for an earlier stream does not release this one
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(first);
      out.flush();
      releasedByAck.add(awaitAck());
      out.write(rest);
    }
  }

  private boolean awaitAck() {
    try {
      return acks.tryAcquire(HOLD_SECONDS, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private void ack(HttpExchange exchange) throws IOException {
    acks.release();
    exchange.sendResponseHeaders(204, -1);
    exchange.close();
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
