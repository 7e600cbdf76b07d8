package dev.tollgate.it.apps;

import dev.tollgate.api.Tollgate;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * Many concurrent calls through OkHttp and the JDK client at once, for the reliability tests. The
 * server decides each response from the request's {@code X-Kind} header; the app decides how it reads.
 *
 * <pre>
 * LoadApp crash URL JSON STREAM_JSON THREADS           calls until killed; prints "GOT id" once a response is fully read
 * LoadApp budget URL JSON THREADS CALLS_PER_THREAD      prints "OK n", "BLOCKED n", "OTHER n"
 * LoadApp budget-virtual URL JSON THREADS CALLS_PER_THREAD
 *                                                      the same on virtual threads, through OkHttp, the JDK client and
 *                                                      HttpURLConnection in turn; prints "NO_VIRTUAL_THREADS" before JDK 21
 * LoadApp leak URL JSON STREAM_JSON THREADS CALLS       a mix of every way a call can end, then GC; prints "OPEN n"
 * </pre>
 */
public final class LoadApp {
  private static final MediaType JSON_TYPE = MediaType.parse("application/json");
  private static final Pattern ID = Pattern.compile("\"id\":\"([^\"]+)\"");
  private static final OkHttpClient OKHTTP = new OkHttpClient.Builder()
      .connectionPool(new okhttp3.ConnectionPool(64, 1, TimeUnit.MINUTES)).build();
  private static final OkHttpClient OKHTTP_IMPATIENT = OKHTTP.newBuilder().readTimeout(20, TimeUnit.MILLISECONDS).build();
  private static final HttpClient JDK = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private static final Map<String, AtomicLong> OUTCOMES = new ConcurrentHashMap<>();

  private LoadApp() {}

  public static void main(String[] argv) throws Exception {
    String url = argv[1];
    switch (argv[0]) {
      case "crash":
        run(Integer.parseInt(argv[4]), Integer.MAX_VALUE, i -> crashCall(url, argv[2], argv[3], i));
        break;
      case "budget":
        run(Integer.parseInt(argv[3]), Integer.parseInt(argv[3]) * Integer.parseInt(argv[4]), i -> budgetCall(url, argv[2], i));
        break;
      case "budget-virtual":
        ThreadFactory virtual = virtualThreads();
        if (virtual == null) {
          System.out.println("NO_VIRTUAL_THREADS");
          System.exit(0);
        }
        run(Executors.newFixedThreadPool(Integer.parseInt(argv[3]), virtual), Integer.parseInt(argv[3]),
            Integer.parseInt(argv[3]) * Integer.parseInt(argv[4]), i -> budgetCallOfThree(url, argv[2], i));
        break;
      case "leak":
        long t0 = System.nanoTime();
        run(Integer.parseInt(argv[4]), Integer.parseInt(argv[5]), i -> mixedCall(url, argv[2], argv[3], i));
        long t1 = System.nanoTime();
        awaitSettled();
        System.out.println("ELAPSED calls " + (t1 - t0) / 1_000_000 + " ms, settling " + (System.nanoTime() - t1) / 1_000_000 + " ms");
        break;
      default:
        throw new IllegalArgumentException(argv[0]);
    }
    new java.util.TreeMap<>(OUTCOMES).forEach((k, v) -> System.out.println(k + " " + v));
    System.out.println("OPEN " + Tollgate.openReservations());
    System.out.println("BALANCE " + Tollgate.balance().balanceCredits().toPlainString());
    System.exit(0); // abandoned responses hold non-daemon client threads
  }

  interface Call {
    void run(int index) throws Exception;
  }

  /** Runs {@code calls} calls on {@code threads} threads, call i on whichever thread is free. */
  private static void run(int threads, int calls, Call call) throws Exception {
    run(Executors.newFixedThreadPool(threads), threads, calls, call);
  }

  /** As {@link #run(int, int, Call)}, on {@code pool}'s threads. */
  private static void run(ExecutorService pool, int threads, int calls, Call call) throws Exception {
    AtomicLong next = new AtomicLong();
    List<Future<?>> workers = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      workers.add(pool.submit(() -> {
        for (long i; (i = next.getAndIncrement()) < calls;) {
          try {
            call.run((int) i);
          } catch (Exception e) {
            count("FAILED " + e.getClass().getSimpleName());
            System.out.println("FAILURE call " + i + ": " + e); // which call, for the test's failure message
          }
        }
        return null;
      }));
    }
    for (Future<?> w : workers) {
      w.get();
    }
    pool.shutdown();
  }

  private static void count(String outcome) {
    OUTCOMES.computeIfAbsent(outcome, k -> new AtomicLong()).incrementAndGet();
  }

  /** Alternates clients and wire formats; prints the provider's response id only once the whole body is read. */
  private static void crashCall(String url, String json, String streamJson, int i) throws Exception {
    boolean stream = i % 2 == 1;
    String body = (i / 2) % 2 == 0 ? okhttp(url, stream ? streamJson : json, "ok").body : jdk(url, stream ? streamJson : json, "ok");
    Matcher m = ID.matcher(body);
    if (m.find()) {
      System.out.println("GOT " + m.group(1)); // one println: lines from different threads never interleave
    }
  }

  private static void budgetCall(String url, String json, int i) throws Exception {
    int status = i % 2 == 0 ? okhttp(url, json, "ok").status : jdkStatus(url, json);
    count(status == 200 ? "OK" : status == 402 ? "BLOCKED" : "OTHER");
  }

  private static void budgetCallOfThree(String url, String json, int i) throws Exception {
    int status = i % 3 == 0 ? okhttp(url, json, "ok").status : i % 3 == 1 ? jdkStatus(url, json) : urlConnectionStatus(url, json);
    count(status == 200 ? "OK" : status == 402 ? "BLOCKED" : "OTHER");
  }

  private static int urlConnectionStatus(String url, String json) throws IOException {
    java.net.HttpURLConnection c = (java.net.HttpURLConnection) URI.create(url).toURL().openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    c.setRequestProperty("X-Kind", "ok");
    try (java.io.OutputStream out = c.getOutputStream()) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    int status = c.getResponseCode();
    try (InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream()) {
      if (in != null) {
        in.readAllBytes();
      }
    }
    return status;
  }

  /** Virtual threads' factory (JDK 21+), found by reflection: the apps compile for JDK 11; null before 21. */
  private static @org.jspecify.annotations.Nullable ThreadFactory virtualThreads() throws ReflectiveOperationException {
    java.lang.reflect.Method ofVirtual;
    try {
      ofVirtual = Thread.class.getMethod("ofVirtual");
    } catch (NoSuchMethodException e) {
      return null;
    }
    Object builder = ofVirtual.invoke(null);
    java.lang.reflect.Method factory = Class.forName("java.lang.Thread$Builder").getMethod("factory");
    return (ThreadFactory) factory.invoke(builder);
  }

  /** Every way a metered call can end, spread over the calls by index. */
  private static void mixedCall(String url, String json, String streamJson, int i) throws Exception {
    switch (i % 20) {
      case 0:
      case 1:
      case 2:
        okhttp(url, json, "ok");
        count("ok");
        return;
      case 3:
      case 4:
        jdk(url, json, "ok");
        count("ok");
        return;
      case 5:
      case 6:
        okhttp(url, streamJson, "ok");
        count("ok");
        return;
      case 7:
        jdk(url, streamJson, "ok");
        count("ok");
        return;
      case 8:
        count("status " + okhttp(url, json, "429").status);
        return;
      case 9:
        count("status " + jdkStatus(url, json, "500"));
        return;
      case 10:
      case 11:
        expectFailure(() -> okhttp(url, json, "reset"), "reset");
        return;
      case 12:
        expectFailure(() -> jdk(url, streamJson, "reset"), "reset");
        return;
      case 13:
        expectFailure(() -> read(OKHTTP_IMPATIENT, url, json, "slow"), "timeout");
        return;
      case 14:
      case 15:
        cancelStream(url, streamJson, i % 2 == 0);
        count("cancelled");
        return;
      case 16:
      case 17:
        abandon(url, json, i % 2 == 0);
        count("abandoned");
        return;
      default:
        okhttp(url, i % 2 == 0 ? json : streamJson, "ok");
        count("ok");
    }
  }

  interface Failing {
    void run() throws Exception;
  }

  private static void expectFailure(Failing call, String outcome) {
    try {
      call.run();
      count("UNEXPECTED success for " + outcome);
    } catch (Exception e) {
      count(outcome);
    }
  }

  static final class Answer {
    final int status;
    final String body;

    Answer(int status, String body) {
      this.status = status;
      this.body = body;
    }
  }

  private static Answer okhttp(String url, String json, String kind) throws IOException {
    return read(OKHTTP, url, json, kind);
  }

  private static Answer read(OkHttpClient client, String url, String json, String kind) throws IOException {
    try (Response r = client.newCall(okRequest(url, json, kind)).execute()) {
      return new Answer(r.code(), r.body().string());
    }
  }

  private static Request okRequest(String url, String json, String kind) {
    return new Request.Builder().url(url).header("X-Kind", kind).post(RequestBody.create(JSON_TYPE, json)).build();
  }

  private static HttpRequest jdkRequest(String url, String json, String kind) {
    return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").header("X-Kind", kind)
        .timeout(Duration.ofSeconds(30)).POST(HttpRequest.BodyPublishers.ofString(json)).build();
  }

  private static String jdk(String url, String json, String kind) throws Exception {
    return JDK.send(jdkRequest(url, json, kind), HttpResponse.BodyHandlers.ofString()).body();
  }

  private static int jdkStatus(String url, String json) throws Exception {
    return jdkStatus(url, json, "ok");
  }

  private static int jdkStatus(String url, String json, String kind) throws Exception {
    return JDK.send(jdkRequest(url, json, kind), HttpResponse.BodyHandlers.ofString()).statusCode();
  }

  /** Reads the first line of an event stream, then closes it. */
  private static void cancelStream(String url, String streamJson, boolean okhttp) throws Exception {
    InputStream body = okhttp ? OKHTTP.newCall(okRequest(url, streamJson, "ok")).execute().body().byteStream()
        : JDK.send(jdkRequest(url, streamJson, "ok"), HttpResponse.BodyHandlers.ofInputStream()).body();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      in.readLine();
    }
  }

  /** Gets a response and drops it: never read, never closed. */
  private static void abandon(String url, String json, boolean okhttp) throws Exception {
    if (okhttp) {
      OKHTTP.newCall(okRequest(url, json, "ok")).execute();
    } else {
      JDK.send(jdkRequest(url, json, "ok"), HttpResponse.BodyHandlers.ofInputStream());
    }
  }

  /** Collects garbage until every abandoned response has been settled by the agent, or gives up after 100 tries. */
  private static void awaitSettled() throws InterruptedException {
    for (int i = 0; i < 100 && Tollgate.openReservations() > 0; i++) {
      System.gc();
      Thread.sleep(20);
    }
  }
}
