package dev.tollgate.it.apps;

import dev.tollgate.api.BlockedCall;
import dev.tollgate.api.CreditBalance;
import dev.tollgate.api.Tollgate;
import dev.tollgate.api.TollgateListener;
import dev.tollgate.api.UsageRecord;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A plain OkHttp application, written against the API OkHttp 3.14, 4.x and 5.x share, so the same
 * class runs on each version's classpath. Knows nothing of Tollgate except, with {@code --listen},
 * the public facade.
 *
 * <pre>OkHttpApp MODE[,MODE...] URL JSON [--and URL JSON]... [--calls N] [--new-builder] [--listen] [--balance]
 *     [--proxy PORT] [--ack URL] [--hold] [--abandon] [--streaming-body] [--in-shutdown-hook] [--wait-for-go]
 *     [--await-drift] [--reconcile]</pre>
 *
 * <p>A MODE is {@code sync}, {@code async} ({@code enqueue}), {@code stream} or {@code async-stream}
 * (a body read line by line). Each call POSTs every URL ({@code --and} adds one) in every mode, in
 * order. {@code --proxy} sends everything through an HTTP proxy on loopback; {@code --ack} GETs that
 * URL once a stream's first event has arrived, before reading on.
 */
public final class OkHttpApp {
  /** GET once a streamed body's first event has been read; null for none. */
  private static volatile String ackUrl;

  public static void main(String[] argv) throws Exception {
    String[] modes = argv[0].split(",");
    String url = argv[1];
    String body = argv[2];
    java.util.List<String[]> targets = new java.util.ArrayList<>();
    targets.add(new String[] {url, body});
    java.net.Proxy proxy = null;
    int calls = 1;
    boolean newBuilder = false;
    boolean balance = false;
    boolean hold = false;
    boolean abandon = false;
    boolean streamingBody = false;
    boolean inShutdownHook = false;
    boolean waitForGo = false;
    java.util.concurrent.CountDownLatch awaitDrift = null;
    boolean reconcile = false;
    for (int i = 3; i < argv.length; i++) {
      switch (argv[i]) {
        case "--calls":
          calls = Integer.parseInt(argv[++i]);
          break;
        case "--and":
          targets.add(new String[] {argv[++i], argv[++i]});
          break;
        case "--proxy":
          proxy = new java.net.Proxy(java.net.Proxy.Type.HTTP, new java.net.InetSocketAddress("127.0.0.1", Integer.parseInt(argv[++i])));
          break;
        case "--ack":
          ackUrl = argv[++i];
          break;
        case "--new-builder":
          newBuilder = true;
          break;
        case "--listen":
          listen();
          break;
        case "--balance":
          balance = true;
          break;
        case "--hold":
          hold = true;
          break;
        case "--abandon":
          abandon = true;
          break;
        case "--streaming-body":
          streamingBody = true;
          break;
        case "--in-shutdown-hook":
          inShutdownHook = true;
          break;
        case "--wait-for-go":
          waitForGo = true;
          break;
        case "--await-drift":
          awaitDrift = listenForDrift();
          break;
        case "--reconcile":
          reconcile = true;
          break;
        default:
          throw new IllegalArgumentException(argv[i]);
      }
    }
    if (!waitForGo) {
      System.out.println("ACTIVE " + Tollgate.isActive());
    }
    OkHttpClient base = proxy == null ? new OkHttpClient() : new OkHttpClient.Builder().proxy(proxy).build();
    if (inShutdownHook) {
      // The call happens while the JVM shuts down, as a late flush in an app's own hook would.
      Request late = new Request.Builder().url(url).post(RequestBody.create(MediaType.parse("application/json"), body)).build();
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try (Response r = base.newCall(late).execute()) {
          r.body().string();
        } catch (IOException e) {
          throw new RuntimeException(e);
        }
      }));
      return;
    }
    if (waitForGo) {
      // The client exists (and OkHttp's classes are loaded) before anyone attaches an agent.
      base.newCall(new Request.Builder().url(url.replace("/v1/", "/warmup/")).build()).execute().close();
      System.out.println("READY");
      java.io.BufferedReader stdin = new java.io.BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      if (!"go".equals(stdin.readLine())) {
        return;
      }
    }
    if (abandon) {
      abandonResponse(base, url, body);
      return;
    }
    if (waitForGo) {
      System.out.println("ACTIVE " + Tollgate.isActive());
    }
    if (reconcile) {
      System.out.println("BASELINE " + Tollgate.reconcile()); // before any call: the window starts here
    }
    for (int i = 0; i < calls; i++) {
      for (String[] target : targets) {
        for (String mode : modes) {
          OkHttpClient client = newBuilder ? base.newBuilder().readTimeout(30, TimeUnit.SECONDS).build() : base;
          RequestBody requestBody = streamingBody ? new ReadOnceBody(target[1]) : RequestBody.create(MediaType.parse("application/json"),
              target[1]);
          Request request = new Request.Builder().url(target[0]).post(requestBody).build();
          try {
            call(client, request, mode);
          } catch (IOException e) {
            System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
          }
          if (balance) {
            System.out.println("BALANCE " + Tollgate.balance().balanceCredits().toPlainString());
            System.out.println("OPEN " + Tollgate.openReservations());
          }
        }
      }
    }
    if (reconcile) {
      dev.tollgate.api.ReconciliationDrift d = Tollgate.reconcile();
      System.out.println("RECONCILED " + (d == null ? "null" : d.remote().toPlainString() + " " + d.local().toPlainString() + " " + d
          .drift().toPlainString()));
    }
    if (awaitDrift != null) {
      // A generous deadline, not a timing assertion: the test fails on a missing DRIFT line.
      if (awaitDrift.await(60, TimeUnit.SECONDS)) {
        System.out.println("BALANCE " + Tollgate.balance().balanceCredits().toPlainString());
      }
    }
    if (hold) {
      System.out.println("RECEIVED");
      System.out.flush();
      Thread.sleep(Long.MAX_VALUE);
    }
    base.dispatcher().executorService().shutdown();
    base.connectionPool().evictAll();
  }

  /** Executes a call and drops the response unread and unclosed, then waits for the agent to notice. */
  private static void abandonResponse(OkHttpClient client, String url, String body) throws Exception {
    String before = Tollgate.balance().balanceCredits().toPlainString();
    client.newCall(new Request.Builder().url(url).post(RequestBody.create(MediaType.parse("application/json"), body)).build()).execute();
    System.out.println("HELD " + Tollgate.balance().balanceCredits().toPlainString());
    String now = Tollgate.balance().balanceCredits().toPlainString();
    for (int i = 0; i < 200 && Tollgate.balance().balanceCredits().toPlainString().equals(now); i++) {
      System.gc();
      Thread.sleep(25);
    }
    System.out.println("BEFORE " + before);
    System.out.println("BALANCE " + Tollgate.balance().balanceCredits().toPlainString());
  }

  /** A body that streams from a source it can read only once, as upload bodies do. */
  static final class ReadOnceBody extends RequestBody {
    private final java.io.InputStream in;
    private final long length;

    ReadOnceBody(String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      this.in = new java.io.ByteArrayInputStream(bytes);
      this.length = bytes.length;
    }

    @Override
    public MediaType contentType() {
      return MediaType.parse("application/json");
    }

    @Override
    public long contentLength() {
      return length;
    }

    @Override
    public void writeTo(okio.BufferedSink sink) throws IOException {
      byte[] buffer = new byte[8192];
      long written = 0;
      for (int n; (n = in.read(buffer)) > 0; written += n) {
        sink.write(buffer, 0, n);
      }
      if (written != length) {
        throw new IOException("body was already read: wrote " + written + " of " + length + " bytes");
      }
    }
  }

  private static void call(OkHttpClient client, Request request, String mode) throws Exception {
    boolean stream = mode.endsWith("stream");
    if (!mode.startsWith("async")) {
      try (Response r = client.newCall(request).execute()) {
        print(client, r, stream);
      }
      return;
    }
    CompletableFuture<Void> done = new CompletableFuture<>();
    client.newCall(request).enqueue(new Callback() {
      @Override
      public void onFailure(Call call, IOException e) {
        System.out.println("ERROR " + e.getClass().getName() + " " + e.getMessage());
        done.complete(null);
      }

      @Override
      public void onResponse(Call call, Response response) {
        try (Response r = response) {
          print(client, r, stream);
        } catch (IOException e) {
          System.out.println("ERROR " + e);
        }
        done.complete(null);
      }
    });
    done.get(60, TimeUnit.SECONDS);
  }

  private static void print(OkHttpClient client, Response r, boolean stream) throws IOException {
    System.out.println("STATUS " + r.code());
    System.out.println("BLOCKED " + r.header("Tollgate-Blocked"));
    if (!stream) {
      System.out.println("BODY " + r.body().string());
      return;
    }
    try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body().byteStream(), StandardCharsets.UTF_8))) {
      String line;
      String ack = ackUrl;
      while ((line = in.readLine()) != null) {
        System.out.println("LINE " + line);
        if (ack != null && line.startsWith("data:")) {
          // The server holds the rest of the stream until this arrives: only an unbuffered body gets here.
          try (Response acked = client.newCall(new Request.Builder().url(ack).build()).execute()) {
            System.out.println("ACKED " + acked.code());
          }
          ack = null;
        }
      }
    }
  }

  private static java.util.concurrent.CountDownLatch listenForDrift() {
    java.util.concurrent.CountDownLatch drift = new java.util.concurrent.CountDownLatch(1);
    Tollgate.addListener(new TollgateListener() {
      @Override
      public void onDrift(dev.tollgate.api.ReconciliationDrift d) {
        System.out.println("DRIFT " + d.source() + " " + d.remote().toPlainString() + " " + d.local().toPlainString() + " " + d.drift()
            .toPlainString());
        drift.countDown();
      }
    });
    return drift;
  }

  private static void listen() {
    Tollgate.addListener(new TollgateListener() {
      @Override
      public void onUsage(UsageRecord r) {
        System.out.println("USAGE " + r.model() + " " + r.inputTokens() + " " + r.outputTokens() + " " + r.cost().toPlainString());
      }

      @Override
      public void onLowBalance(CreditBalance balance) {
        System.out.println("LOW " + balance.balanceCredits().toPlainString() + " " + balance.warningLow());
      }

      @Override
      public void onBlocked(BlockedCall call) {
        System.out.println("ONBLOCKED " + call.model() + " " + call.required().toPlainString());
      }
    });
  }
}
