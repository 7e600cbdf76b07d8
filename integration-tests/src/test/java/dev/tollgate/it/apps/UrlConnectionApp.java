package dev.tollgate.it.apps;

import dev.tollgate.api.Tollgate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A plain {@code HttpURLConnection} application, written the way such code usually is: write the
 * body, ask for the status, then read {@code getInputStream} or, on an error, {@code getErrorStream}.
 *
 * <pre>UrlConnectionApp post|connect|fixed|chunked|codeonly|openstream|interrupted URL [JSON]</pre>
 *
 * {@code connect} calls {@code connect()} before writing; {@code fixed} and {@code chunked} set the
 * streaming modes; {@code codeonly} reads the status and disconnects without reading the body;
 * {@code openstream} is a GET through {@code URL.openStream()}; {@code interrupted} posts from a thread
 * whose interrupt flag is set.
 */
public final class UrlConnectionApp {
  public static void main(String[] argv) throws Exception {
    String mode = argv[0];
    URL url = new URL(argv[1]);
    System.out.println("ACTIVE " + Tollgate.isActive());
    try {
      if (mode.equals("leak")) {
        leak(url, argv[2].getBytes(StandardCharsets.UTF_8), Integer.parseInt(argv[3]));
        return;
      }
      if (mode.equals("openstream")) {
        try (InputStream in = url.openStream()) {
          System.out.println("BYTES " + Base64.getEncoder().encodeToString(in.readAllBytes()));
        }
        return;
      }
      if (mode.equals("interrupted")) {
        // A thread that carries its interrupt flag into a call (a task cancelled as it runs): blocking
        // socket I/O ignores the flag, so the call completes, and the flag is still set after it.
        Thread.currentThread().interrupt();
        try {
          call((HttpURLConnection) url.openConnection(), mode, argv[2].getBytes(StandardCharsets.UTF_8));
        } finally {
          System.out.println("INTERRUPTED " + Thread.interrupted());
        }
        return;
      }
      call((HttpURLConnection) url.openConnection(), mode, argv[2].getBytes(StandardCharsets.UTF_8));
    } catch (Exception e) {
      System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
    }
  }

  /** Makes {@code n} calls, reading and closing each, then reports how many connections are still reachable. */
  private static void leak(URL url, byte[] body, int n) throws Exception {
    java.util.List<java.lang.ref.WeakReference<HttpURLConnection>> refs = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) {
      HttpURLConnection c = (HttpURLConnection) url.openConnection();
      c.setRequestMethod("POST");
      c.setDoOutput(true);
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      try (InputStream in = c.getInputStream()) {
        in.readAllBytes();
      }
      refs.add(new java.lang.ref.WeakReference<>(c));
    }
    long live = n;
    for (int i = 0; i < 100 && live > 0; i++) {
      System.gc();
      Thread.sleep(20);
      live = refs.stream().filter(r -> r.get() != null).count();
    }
    System.out.println("LIVE " + live);
  }

  private static void call(HttpURLConnection c, String mode, byte[] body) throws IOException {
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    if (mode.equals("fixed")) {
      c.setFixedLengthStreamingMode(body.length);
    } else if (mode.equals("chunked")) {
      c.setChunkedStreamingMode(16);
    } else if (mode.equals("connect")) {
      c.connect();
    }
    try (OutputStream out = c.getOutputStream()) {
      out.write(body);
    }
    int code = c.getResponseCode();
    System.out.println("STATUS " + code);
    System.out.println("MESSAGE " + c.getResponseMessage());
    System.out.println("BLOCKED " + c.getHeaderField("Tollgate-Blocked"));
    System.out.println("TYPE " + c.getContentType());
    System.out.println("FIELDS " + c.getHeaderFields().get("Tollgate-Blocked"));
    System.out.println("FIRST " + c.getHeaderFieldKey(1) + "=" + c.getHeaderField(1));
    if (mode.equals("codeonly")) {
      c.disconnect();
      return;
    }
    if (mode.equals("gc")) {
      // getResponseCode read the response through getInputStream and dropped what it returned: a
      // collection now must not part the connection from the stream Tollgate meters.
      for (int i = 0; i < 3; i++) {
        System.gc();

      }
    }
    InputStream in;
    try {
      in = c.getInputStream();
    } catch (IOException e) {
      System.out.println("INPUT_ERROR " + e.getClass().getName() + " " + e.getMessage());
      in = c.getErrorStream();
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null;) {
        System.out.println("LINE " + line);
      }
    }
    c.disconnect();
  }
}
