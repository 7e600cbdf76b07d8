package dev.tollgate.it.apps;

import dev.tollgate.api.Tollgate;
import dev.tollgate.api.TollgateListener;
import dev.tollgate.api.UsageRecord;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Reactor Netty's {@code HttpClient} used directly, one scenario after another in one JVM, each
 * printing lines that start with its name.
 *
 * <pre>ReactorNettyApp URL JSON STREAM_JSON SCENARIO...</pre>
 *
 * Scenarios: {@code json} (responseSingle), {@code stream} (responseContent, an SSE stream),
 * {@code gzip} (compress(true): Reactor Netty inflates), {@code gzip-raw} (the app asks for gzip
 * itself and reads the compressed bytes), {@code blocked} (as tenant {@code broke}), {@code cut}
 * (the server drops the stream), {@code cancel} (the app takes one chunk of a stream).
 */
public final class ReactorNettyApp {
  public static void main(String[] argv) {
    String url = argv[0];
    System.out.println("ACTIVE " + Tollgate.isActive());
    HttpClient client = HttpClient.create().headers(h -> h.set("Content-Type", "application/json"));
    Semaphore settled = new Semaphore(0);
    Tollgate.addListener(new TollgateListener() {
      @Override
      public void onUsage(UsageRecord record) {
        settled.release();
      }
    });
    for (int i = 3; i < argv.length; i++) {
      String scenario = argv[i];
      try {
        run(client, scenario, url, scenario.equals("stream") || scenario.equals("cut") || scenario.equals("cancel") ? argv[2] : argv[1]);
      } catch (Exception e) {
        Throwable t = reactor.core.Exceptions.unwrap(e);
        System.out.println(scenario + " ERROR " + t.getClass().getName() + " " + t.getMessage());
      }
      if (!scenario.equals("blocked")) {
        // A cancelled body settles when its connection closes, on the event loop: the next scenario
        // (and the balance) waits for it, so the journal's order is the scenarios' (a deadline, not a timing).
        System.out.println(scenario + " SETTLED " + await(settled));
      }
    }
    System.out.println("BALANCE " + Tollgate.balance().balanceCredits().toPlainString());
    System.exit(0); // Reactor Netty's event loops are not daemons
  }

  private static boolean await(Semaphore settled) {
    try {
      return settled.tryAcquire(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static void run(HttpClient client, String scenario, String url, String body) {
    switch (scenario) {
      case "json": {
        String r = client.post().uri(url).send(Mono.just(Unpooled.wrappedBuffer(body.getBytes(StandardCharsets.UTF_8))))
            .responseSingle((response, content) -> content.asString().map(s -> response.status().code() + " " + s))
            .block(Duration.ofSeconds(30));
        System.out.println("json " + r);
        return;
      }
      case "stream": {
        String r = client.post().uri(url).send((request, out) -> out.sendString(Mono.just(body)))
            .responseContent().asString().collectList().map(l -> String.join("", l)).block(Duration.ofSeconds(30));
        System.out.println("stream DONE " + r.contains("data: [DONE]"));
        return;
      }
      case "gzip": {
        String r = client.compress(true).post().uri(url).send((request, out) -> out.sendString(Mono.just(body)))
            .responseSingle((response, content) -> content.asString()).block(Duration.ofSeconds(30));
        System.out.println("gzip " + r);
        return;
      }
      case "gzip-raw": {
        Integer n = client.headers(h -> h.set("Accept-Encoding", "gzip")).post().uri(url).send((request, out) -> out.sendString(Mono.just(body)))
            .responseSingle((response, content) -> content.asByteArray().map(b -> b.length)).block(Duration.ofSeconds(30));
        System.out.println("gzip-raw BYTES " + n);
        return;
      }
      case "blocked": {
        String r = client.post().uri(url).send((request, out) -> {
          request.header("X-Tenant", "broke");
          return out.sendString(Mono.just(body));
        }).responseSingle((response, content) -> content.asString().map(s -> response.status().code() + " " + s))
            .block(Duration.ofSeconds(30));
        System.out.println("blocked UNEXPECTED " + r);
        return;
      }
      case "cut": {
        String r = client.post().uri(url).send((request, out) -> out.sendString(Mono.just(body)))
            .responseContent().asString().collectList().map(l -> String.join("", l)).block(Duration.ofSeconds(30));
        System.out.println("cut UNEXPECTED " + r);
        return;
      }
      case "cancel": {
        String first = client.post().uri(url).send((request, out) -> out.sendString(Mono.just(body)))
            .responseContent().asString().take(1).blockFirst(Duration.ofSeconds(30));
        System.out.println("cancel FIRST " + first.replace('\n', ' '));
        return;
      }
      default:
        throw new IllegalArgumentException(scenario);
    }
  }
}
