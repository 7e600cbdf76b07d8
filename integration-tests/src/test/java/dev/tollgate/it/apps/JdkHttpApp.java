package dev.tollgate.it.apps;

import dev.tollgate.api.Tollgate;
import java.io.BufferedReader;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A plain {@code java.net.http.HttpClient} application.
 *
 * <pre>JdkHttpApp send|async|inputstream|lines|drain|gzip URL JSON [--calls N]</pre>
 *
 * <p>{@code gzip} asks for {@code Accept-Encoding: gzip} and inflates the body itself (the JDK client never does).
 */
public final class JdkHttpApp {
  public static void main(String[] argv) throws Exception {
    String mode = argv[0];
    URI uri = URI.create(argv[1]);
    String body = argv[2];
    int calls = argv.length > 4 && argv[3].equals("--calls") ? Integer.parseInt(argv[4]) : 1;
    System.out.println("ACTIVE " + Tollgate.isActive());
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    for (int i = 0; i < calls; i++) {
      HttpRequest.Builder builder = HttpRequest.newBuilder(uri).header("Content-Type", "application/json");
      if (mode.equals("gzip")) {
        builder.header("Accept-Encoding", "gzip");
      }
      HttpRequest request = builder.POST(HttpRequest.BodyPublishers.ofString(body)).build();
      try {
        call(client, request, mode);
      } catch (Exception e) {
        Throwable t = e instanceof java.util.concurrent.ExecutionException ? e.getCause() : e;
        System.out.println("ERROR " + t.getClass().getName() + " " + t.getMessage());
        if (t.getCause() != null) {
          System.out.println("CAUSE " + t.getCause().getClass().getName());
        }
      }
    }
  }

  private static void call(HttpClient client, HttpRequest request, String mode) throws Exception {
    switch (mode) {
      case "send": {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        head(r);
        System.out.println("BODY " + r.body());
        return;
      }
      case "async": {
        HttpResponse<String> r = client.sendAsync(request, HttpResponse.BodyHandlers.ofString()).get(60, TimeUnit.SECONDS);
        head(r);
        System.out.println("BODY " + r.body());
        return;
      }
      case "inputstream": {
        HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        head(r);
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null;) {
            System.out.println("LINE " + line);
          }
        }
        return;
      }
      case "drain": {
        // Reads the body in 8 KiB reads and keeps nothing: what the process holds is the agent's.
        HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        head(r);
        long bytes = 0;
        byte[] buffer = new byte[8192];
        try (InputStream in = r.body()) {
          for (int n; (n = in.read(buffer)) > 0;) {
            bytes += n;
          }
        }
        System.out.println("BYTES " + bytes);
        return;
      }
      case "gzip": {
        HttpResponse<InputStream> r = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        head(r);
        InputStream in = r.body();
        if (r.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
          in = new java.util.zip.GZIPInputStream(in);
        }
        try (InputStream body = in) {
          System.out.println("BODY " + new String(body.readAllBytes(), StandardCharsets.UTF_8));
        }
        return;
      }
      case "lines": {
        HttpResponse<Stream<String>> r = client.send(request, HttpResponse.BodyHandlers.ofLines());
        head(r);
        try (Stream<String> lines = r.body()) {
          lines.forEach(l -> System.out.println("LINE " + l));
        }
        return;
      }
      default:
        throw new IllegalArgumentException(mode);
    }
  }

  private static void head(HttpResponse<?> r) {
    System.out.println("STATUS " + r.statusCode());
    System.out.println("BLOCKED " + r.headers().firstValue("Tollgate-Blocked").orElse(null));
  }
}
