package dev.tollgate.it.apps;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Hand-written HTTP to a metered endpoint, bypassing every client Tollgate hooks, then a hooked call.
 *
 * <pre>RawSocketApp URL JSON step…</pre>
 *
 * Steps: {@code socket} (a blocking {@code java.net.Socket}), {@code channel} (an NIO {@code
 * SocketChannel}, what Netty, Vert.x and Jetty use) and {@code hooked} ({@code HttpURLConnection}).
 * Each prints {@code STEP <name> <status line>} or {@code STEP <name> ERROR <class> <message>}.
 * {@code installed} waits until the agent's background instrumentation thread is done (under {@code
 * warn} the JDK's socket classes loaded before {@code main} are rewritten there, so a step counting
 * warnings starts after it).
 * {@code scrape:PORT} prints the {@code tollgate_unmetered} lines of the agent's Prometheus endpoint
 * on that port as {@code PROM <line>} (retrying until the endpoint, which starts once the meter is
 * ready, shows them; a deadline, not a timing assertion); {@code jmx} prints the MBean's unmetered-connection attributes as {@code JMX name=value}.
 */
public final class RawSocketApp {
  public static void main(String[] argv) throws Exception {
    URL url = new URL(argv[0]);
    byte[] body = argv[1].getBytes(StandardCharsets.UTF_8);
    for (int i = 2; i < argv.length; i++) {
      String step = argv[i];
      try {
        System.out.println("STEP " + step + " " + (step.startsWith("scrape:") ? scrape(Integer.parseInt(step.substring(7)))
            : step.equals("jmx") ? jmx() : step.equals("installed") ? installed() : call(step, url, body)));
      } catch (Exception e) {
        System.out.println("STEP " + step + " ERROR " + e.getClass().getName() + " " + e.getMessage());
      }
    }
  }

  /** Waits (within a deadline) until no thread named {@code tollgate-instrument} is alive. */
  private static String installed() throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (Thread.getAllStackTraces().keySet().stream().anyMatch(t -> t.getName().equals("tollgate-instrument"))) {
      if (System.nanoTime() > deadline) {
        return "TIMEOUT";
      }
      Thread.sleep(20);
    }
    return "done";
  }

  private static String call(String step, URL url, byte[] body) throws Exception {
    InetSocketAddress address = new InetSocketAddress(url.getHost(), url.getPort());
    byte[] request = ("POST " + url.getPath() + " HTTP/1.1\r\nHost: " + url.getHost() + ':' + url.getPort()
        + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    switch (step) {
      case "socket":
        try (Socket s = new Socket()) {
          s.connect(address, 10_000);
          OutputStream out = s.getOutputStream();
          out.write(request);
          out.write(body);
          out.flush();
          return statusLine(s.getInputStream());
        }
      case "channel":
        try (SocketChannel c = SocketChannel.open()) {
          c.connect(address);
          c.write(ByteBuffer.wrap(request));
          c.write(ByteBuffer.wrap(body));
          return statusLine(c.socket().getInputStream());
        }
      case "hooked":
        HttpURLConnection h = (HttpURLConnection) url.openConnection();
        h.setRequestMethod("POST");
        h.setDoOutput(true);
        h.setRequestProperty("Content-Type", "application/json");
        try (OutputStream out = h.getOutputStream()) {
          out.write(body);
        }
        try (InputStream in = h.getInputStream()) {
          in.readAllBytes();
        }
        return "HTTP " + h.getResponseCode();
      default:
        throw new IllegalArgumentException(step);
    }
  }

  private static String scrape(int port) throws Exception {
    URL metrics = new URL("http://127.0.0.1:" + port + "/metrics");
    for (long deadline = System.nanoTime() + 60_000_000_000L;; Thread.sleep(100)) {
      try {
        HttpURLConnection c = (HttpURLConnection) metrics.openConnection();
        List<String> lines;
        try (InputStream in = c.getInputStream()) {
          lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("tollgate_unmetered"))
              .collect(Collectors.toList());
        }
        // The endpoint answers a moment before Tollgate's instruments are registered: until then a scrape has none.
        if (!lines.isEmpty() || System.nanoTime() > deadline) {
          lines.forEach(l -> System.out.println("PROM " + l));
          return "HTTP " + c.getResponseCode();
        }
      } catch (java.net.ConnectException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
    }
  }

  private static String jmx() throws Exception {
    javax.management.MBeanServer server = java.lang.management.ManagementFactory.getPlatformMBeanServer();
    javax.management.ObjectName name = new javax.management.ObjectName("dev.tollgate:type=Metrics");
    System.out.println("JMX UnmeteredConnections=" + server.getAttribute(name, "UnmeteredConnections"));
    System.out.println("JMX UnmeteredConnectionsByClient=" + String.join(";", (String[]) server.getAttribute(name,
        "UnmeteredConnectionsByClient")));
    return "done";
  }

  private static String statusLine(InputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) >= 0 && b != '\r';) {
      line.append((char) b);
    }
    return line.toString(); // the rest is left unread: the connection closes with the step

  }
}
