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
 * <pre>JdkHttpApp send|async|inputstream|lines|drain|gzip|hops|hops-own URL JSON [--calls N]</pre>
 *
 * <p>{@code gzip} asks for {@code Accept-Encoding: gzip} and inflates the body itself (the JDK client never does).
 * {@code hops} sends with {@code ofString}, {@code hops-own} with a subscriber of the application's own, on a
 * client whose executor counts the tasks the client hands it to call a subscriber's {@code getBody} on another
 * thread; it prints {@code GETBODY_HOPS n} at the end. The client does that for subscribers it does not trust,
 * and trusts its own ({@code ofString}), so a metered {@code hops} call should make none.
 */
public final class JdkHttpApp {
  public static void main(String[] argv) throws Exception {
    String mode = argv[0];
    URI uri = URI.create(argv[1]);
    String body = argv[2];
    int calls = argv.length > 4 && argv[3].equals("--calls") ? Integer.parseInt(argv[4]) : 1;
    System.out.println("ACTIVE " + Tollgate.isActive());
    HttpClient.Builder clientBuilder = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1);
    HopCounter hops = new HopCounter();
    if (mode.startsWith("hops")) {
      clientBuilder.executor(hops);
    }
    HttpClient client = clientBuilder.build();
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
    if (mode.startsWith("hops")) {
      System.out.println("GETBODY_HOPS " + hops.getBodyHops.get());
      hops.pool.shutdown();
    }
  }

  /** The client's executor: runs each task on a pool, and counts those handed over to call a subscriber's {@code getBody}. */
  private static final class HopCounter implements java.util.concurrent.Executor {
    final java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "app-http-worker");
      t.setDaemon(true);
      return t;
    });
    final java.util.concurrent.atomic.AtomicInteger getBodyHops = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public void execute(Runnable task) {
      for (StackTraceElement e : new Throwable().getStackTrace()) {
        if (e.getMethodName().equals("getBodyAsync")) {
          getBodyHops.incrementAndGet();
          break;
        }
      }
      pool.execute(task);
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
      case "hops": {
        HttpResponse<String> r = client.send(request, HttpResponse.BodyHandlers.ofString());
        head(r);
        System.out.println("BODY " + r.body());
        return;
      }
      case "hops-own": {
        HttpResponse<String> r = client.send(request, info -> new OwnSubscriber());
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

  /**
   * A subscriber of the application's own, which the client does not trust (only the JDK's own
   * classes are): {@code ofString} inside a class of the application's.
   */
  private static final class OwnSubscriber implements HttpResponse.BodySubscriber<String> {
    private final HttpResponse.BodySubscriber<String> inner = HttpResponse.BodySubscribers.ofString(StandardCharsets.UTF_8);

    @Override
    public java.util.concurrent.CompletionStage<String> getBody() {
      return inner.getBody();
    }

    @Override
    public void onSubscribe(java.util.concurrent.Flow.Subscription subscription) {
      inner.onSubscribe(subscription);
    }

    @Override
    public void onNext(java.util.List<java.nio.ByteBuffer> item) {
      inner.onNext(item);
    }

    @Override
    public void onError(Throwable t) {
      inner.onError(t);
    }

    @Override
    public void onComplete() {
      inner.onComplete();
    }
  }

  private static void head(HttpResponse<?> r) {
    System.out.println("STATUS " + r.statusCode());
    System.out.println("BLOCKED " + r.headers().firstValue("Tollgate-Blocked").orElse(null));
  }
}
