package dev.tollgate.benchmarks.e2e;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * A minimal HTTP/1.1 server on loopback, kept-alive, one thread per connection, every answer precomputed:
 * it must never be the bottleneck it would be if it parsed JSON or built responses. Any POST gets
 * {@link OpenAiBodies#JSON} (with Content-Length), or, when its body asks for {@code "stream":true},
 * {@link OpenAiBodies#STREAM} in chunked encoding with one write (and so one TCP segment) per event, as a
 * provider flushes them. It runs in the harness JVM, so it is warm for every child and shares nothing with them.
 */
final class LoopbackServer implements AutoCloseable {
  private static final byte[] JSON_HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
      + OpenAiBodies.JSON.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  private static final byte[] JSON_RESPONSE = concat(JSON_HEAD, OpenAiBodies.JSON);
  private static final byte[] STREAM_HEAD = ("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nCache-Control: no-cache\r\n"
      + "Transfer-Encoding: chunked\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
  private static final byte[][] STREAM_CHUNKS = chunks(OpenAiBodies.STREAM);
  private static final byte[] LAST_CHUNK = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

  private final ServerSocket socket;

  LoopbackServer() throws IOException {
    socket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
    Thread acceptor = new Thread(this::accept, "loopback-accept");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  int port() {
    return socket.getLocalPort();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }

  private void accept() {
    while (!socket.isClosed()) {
      try {
        Socket connection = socket.accept();
        connection.setTcpNoDelay(true);
        Thread t = new Thread(() -> serve(connection), "loopback-conn");
        t.setDaemon(true);
        t.start();
      } catch (IOException e) {
        return;
      }
    }
  }

  private static void serve(Socket connection) {
    try (Socket c = connection;
        InputStream in = new BufferedInputStream(c.getInputStream(), 16384);
        OutputStream out = c.getOutputStream()) {
      byte[] body = new byte[64 * 1024];
      for (int length; (length = readRequest(in, body)) >= 0;) {
        if (OpenAiBodies.isStreamRequest(body, length)) {
          out.write(STREAM_HEAD);
          for (byte[] chunk : STREAM_CHUNKS) {
            out.write(chunk);
          }
          out.write(LAST_CHUNK);
        } else {
          out.write(JSON_RESPONSE);
        }
      }
    } catch (IOException e) {
      // The child went away mid-request; nothing to answer.
    }
  }

  /** Reads one request's head and body into {@code body}; returns the body's length, or -1 at end of stream. */
  private static int readRequest(InputStream in, byte[] body) throws IOException {
    int contentLength = 0;
    boolean first = true;
    for (String line; (line = readLine(in)) != null; first = false) {
      if (line.isEmpty()) {
        if (first) {
          continue;
        }
        return readBody(in, body, contentLength);
      }
      int colon = line.indexOf(':');
      if (colon > 0 && line.substring(0, colon).trim().toLowerCase(Locale.ROOT).equals("content-length")) {
        contentLength = Integer.parseInt(line.substring(colon + 1).trim());
      }
    }
    return -1;
  }

  private static int readBody(InputStream in, byte[] body, int contentLength) throws IOException {
    if (contentLength > body.length) {
      throw new IOException("request body of " + contentLength + " bytes; the benchmark sends under " + body.length);
    }
    for (int read = 0; read < contentLength;) {
      int n = in.read(body, read, contentLength - read);
      if (n < 0) {
        throw new IOException("request body cut short");
      }
      read += n;
    }
    return contentLength;
  }

  private static String readLine(InputStream in) throws IOException {
    StringBuilder line = new StringBuilder(64);
    for (int b; (b = in.read()) >= 0;) {
      if (b == '\n') {
        int end = line.length();
        return line.substring(0, end > 0 && line.charAt(end - 1) == '\r' ? end - 1 : end);
      }
      line.append((char) b);
    }
    return null;
  }

  private static byte[][] chunks(List<byte[]> events) {
    byte[][] result = new byte[events.size()][];
    for (int i = 0; i < result.length; i++) {
      byte[] event = events.get(i);
      byte[] size = (Integer.toHexString(event.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
      result[i] = concat(concat(size, event), "\r\n".getBytes(StandardCharsets.US_ASCII));
    }
    return result;
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] result = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, result, a.length, b.length);
    return result;
  }
}
