package dev.tollgate.benchmarks.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * The child JVM: one client, calling one URL back to back from one thread, for a warm-up window and then a
 * measured one. Knows nothing of Tollgate. Prints
 * {@code RESULT calls=N total=N seconds=S p50=NANOS p99=NANOS cpu=NANOS} (calls, latency percentiles and process
 * CPU time per call of the measured window; total includes the warm-up) and exits.
 *
 * <pre>Workload okhttp|jdk json|stream URL WARMUP_SECONDS MEASURE_SECONDS</pre>
 */
public final class Workload {
  /**
   * System property: nanoseconds of CPU the application spends on its own after each call (0 by default), a
   * control for what per-call work of the agent's size costs the client by itself.
   */
  static final String WORK_NANOS = "e2e.work-nanos";

  private Workload() {}

  /** One call, its response read to the end the way an application reads it. */
  interface Call {
    void run() throws Exception;
  }

  public static void main(String[] argv) throws Exception {
    boolean stream = argv[1].equals("stream");
    Call client = argv[0].equals("okhttp") ? okHttp(argv[2], stream) : jdk(argv[2], stream);
    long work = Long.getLong(WORK_NANOS, 0);
    Call call = work == 0 ? client : () -> {
      client.run();
      spin(work);
    };
    long warmupNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(argv[3]));
    long measureNanos = TimeUnit.SECONDS.toNanos(Long.parseLong(argv[4]));
    int warmupCalls = warmUp(call, warmupNanos);
    long cpuStart = ProcessCpu.nanos();
    long[] latencies = measure(call, measureNanos);
    long cpuPerCall = (ProcessCpu.nanos() - cpuStart) / latencies.length;
    double seconds = Arrays.stream(latencies).sum() / 1e9;
    System.out.println("JAVA " + System.getProperty("java.version"));
    System.out.printf(java.util.Locale.ROOT, "RESULT calls=%d total=%d seconds=%.3f p50=%d p99=%d cpu=%d%n", latencies.length,
        latencies.length + warmupCalls, seconds, Stats.percentile(latencies, 50), Stats.percentile(latencies, 99), cpuPerCall);
  }

  /** Keeps this thread on the CPU for {@code nanos}, as the application's own work after a call would. */
  static void spin(long nanos) {
    long start = System.nanoTime();
    while (System.nanoTime() - start < nanos) {
      Thread.onSpinWait();
    }
  }

  /** Calls back to back for {@code nanos}; each latency starts where the last ended, so they sum to the window. Sorted. */
  private static long[] measure(Call call, long nanos) throws Exception {
    long[] latencies = new long[1 << 16];
    long start = System.nanoTime();
    int calls = 0;
    for (long now = start; now - start < nanos;) {
      call.run();
      long end = System.nanoTime();
      if (calls == latencies.length) {
        latencies = Arrays.copyOf(latencies, calls * 2);
      }
      latencies[calls++] = end - now;
      now = end;
    }
    long[] measured = Arrays.copyOf(latencies, calls);
    Arrays.sort(measured);
    return measured;
  }

  private static int warmUp(Call call, long nanos) throws Exception {
    long start = System.nanoTime();
    int calls = 0;
    while (System.nanoTime() - start < nanos) {
      call.run();
      calls++;
    }
    return calls;
  }

  private static Call okHttp(String url, boolean stream) {
    OkHttpClient client = new OkHttpClient();
    MediaType json = MediaType.get("application/json");
    String body = stream ? OpenAiBodies.STREAM_REQUEST : OpenAiBodies.REQUEST;
    return () -> {
      Request request = new Request.Builder().url(url).post(RequestBody.create(body, json)).build();
      try (Response response = client.newCall(request).execute()) {
        expectOk(response.code());
        if (stream) {
          expectEvents(response.body().byteStream());
        } else {
          expectJson(response.body().string().length());
        }
      }
    };
  }

  private static Call jdk(String url, boolean stream) {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    URI uri = URI.create(url);
    String body = stream ? OpenAiBodies.STREAM_REQUEST : OpenAiBodies.REQUEST;
    return () -> {
      HttpRequest request = HttpRequest.newBuilder(uri).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString(body)).build();
      if (stream) {
        HttpResponse<InputStream> response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
        expectOk(response.statusCode());
        expectEvents(response.body());
      } else {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        expectOk(response.statusCode());
        expectJson(response.body().length());
      }
    };
  }

  private static void expectOk(int status) {
    if (status != 200) {
      throw new IllegalStateException("HTTP " + status + ": the budget must never block a benchmark call");
    }
  }

  private static void expectJson(int chars) {
    if (chars != OpenAiBodies.JSON.length) {
      throw new IllegalStateException("read " + chars + " chars of a " + OpenAiBodies.JSON.length + "-byte body");
    }
  }

  /** Reads an event stream line by line, as SDKs do, and checks every event arrived. */
  private static void expectEvents(InputStream body) throws IOException {
    int events = 0;
    try (BufferedReader in = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8))) {
      for (String line; (line = in.readLine()) != null;) {
        if (line.startsWith("data: ")) {
          events++;
        }
      }
    }
    if (events != OpenAiBodies.STREAM_EVENTS) {
      throw new IllegalStateException("read " + events + " events of " + OpenAiBodies.STREAM_EVENTS);
    }
  }
}
