package dev.tollgate.it.apps;

import dev.tollgate.api.Tollgate;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * One JVM of a fleet sharing a Redis wallet: runs its commands in order, then exits normally (so the
 * agent's shutdown hook gives the lease back).
 *
 * <pre>SharedWalletApp URL JSON (call | until-blocked | threads N | balance | wait | sleep MS | hold)...</pre>
 *
 * {@code call} prints {@code STATUS code}; {@code until-blocked} calls until a 402 and prints
 * {@code CALLS n} then {@code BLOCKED}; {@code threads N} does the same on N threads at once; {@code balance} prints the facade's {@code BALANCE credits}
 * and its buckets; {@code wait} prints {@code WAITING} and reads a line from standard input; {@code
 * hold} prints {@code HOLDING} and never returns (for kill -9).
 */
public final class SharedWalletApp {
  public static void main(String[] argv) throws Exception {
    String url = argv[0];
    String body = argv[1];
    OkHttpClient client = new OkHttpClient();
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    System.out.println("ACTIVE " + Tollgate.isActive());
    for (int i = 2; i < argv.length; i++) {
      switch (argv[i]) {
        case "call":
          System.out.println("STATUS " + call(client, url, body));
          break;
        case "until-blocked":
          int calls = 0;
          while (call(client, url, body) == 200) {
            calls++;
          }
          System.out.println("CALLS " + calls);
          System.out.println("BLOCKED");
          break;
        case "threads": // N threads, each calling until blocked
          System.out.println("CALLS " + untilBlocked(client, url, body, Integer.parseInt(argv[++i])));
          System.out.println("BLOCKED");
          break;
        case "balance":
          System.out.println("BALANCE " + Tollgate.balance().balanceCredits().toPlainString());
          Tollgate.balance().buckets().forEach(b -> System.out.println("BUCKET " + b.sourceType() + " " + b.balance().toPlainString()));
          break;
        case "wait":
          System.out.println("WAITING");
          in.readLine();
          break;
        case "sleep":
          Thread.sleep(Long.parseLong(argv[++i]));
          break;
        case "hold":
          System.out.println("HOLDING");
          Thread.sleep(Long.MAX_VALUE);
          break;
        default:
          throw new IllegalArgumentException(argv[i]);
      }
    }
  }

  private static int untilBlocked(OkHttpClient client, String url, String body, int threads) throws Exception {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    java.util.List<java.util.concurrent.Future<?>> done = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      done.add(pool.submit(() -> {
        while (call(client, url, body) == 200) {
          calls.incrementAndGet();
        }
        return null;
      }));
    }
    for (java.util.concurrent.Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
    return calls.get();
  }

  private static int call(OkHttpClient client, String url, String body) throws Exception {
    Request request = new Request.Builder().url(url).post(RequestBody.create(MediaType.parse("application/json"), body)).build();
    try (Response r = client.newCall(request).execute()) {
      r.body().string();
      return r.code();
    }
  }
}
