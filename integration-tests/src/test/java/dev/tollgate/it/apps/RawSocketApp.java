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

/**
 * Hand-written HTTP to a metered endpoint, bypassing every client Tollgate hooks, then a hooked call.
 *
 * <pre>RawSocketApp URL JSON step…</pre>
 *
 * Steps: {@code socket} (a blocking {@code java.net.Socket}), {@code channel} (an NIO {@code
 * SocketChannel}, what Netty, Vert.x and Jetty use) and {@code hooked} ({@code HttpURLConnection}).
 * Each prints {@code STEP <name> <status line>} or {@code STEP <name> ERROR <class> <message>}.
 */
public final class RawSocketApp {
  public static void main(String[] argv) throws Exception {
    URL url = new URL(argv[0]);
    byte[] body = argv[1].getBytes(StandardCharsets.UTF_8);
    for (int i = 2; i < argv.length; i++) {
      String step = argv[i];
      try {
        System.out.println("STEP " + step + " " + call(step, url, body));
      } catch (Exception e) {
        System.out.println("STEP " + step + " ERROR " + e.getClass().getName() + " " + e.getMessage());
      }
    }
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

  private static String statusLine(InputStream in) throws Exception {
    StringBuilder line = new StringBuilder();
    for (int b; (b = in.read()) >= 0 && b != '\r';) {
      line.append((char) b);
    }
    return line.toString(); // the rest is left unread: the connection closes with the step

  }
}
