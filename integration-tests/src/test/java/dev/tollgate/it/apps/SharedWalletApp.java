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
 * <pre>SharedWalletApp URL JSON (call | until-blocked | balance | wait | sleep MS | hold)...</pre>
 *
 * {@code call} prints {@code STATUS code}; {@code until-blocked} calls until a 402 and prints
 * {@code CALLS n} then {@code BLOCKED}; {@code balance} prints the facade's {@code BALANCE credits}
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

  private static int call(OkHttpClient client, String url, String body) throws Exception {
    Request request = new Request.Builder().url(url).post(RequestBody.create(MediaType.parse("application/json"), body)).build();
    try (Response r = client.newCall(request).execute()) {
      r.body().string();
      return r.code();
    }
  }
}
