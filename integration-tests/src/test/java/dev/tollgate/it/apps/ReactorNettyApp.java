package dev.tollgate.it.apps;

import dev.tollgate.api.Tollgate;
import dev.tollgate.api.TollgateListener;
import dev.tollgate.api.UsageRecord;
import io.netty.buffer.Unpooled;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import reactor.core.publisher.Mono;
import reactor.netty.http.client.HttpClient;

/**
 * Reactor Netty's {@code HttpClient} used directly: one POST, printed by the apps' protocol ({@code
 * STATUS}, {@code BODY} or {@code LINE}s, {@code ERROR}, the failure unwrapped from Reactor's).
 *
 * <pre>ReactorNettyApp MODE URL JSON</pre>
 *
 * Modes: {@code json} ({@code responseSingle}), {@code stream} ({@code response}, an SSE stream
 * printed line by line as chunks arrive), {@code gzip} ({@code compress(true)}: Reactor Netty
 * inflates), {@code gzip-raw} (the app asks for gzip itself and inflates the bytes it reads), {@code
 * tenant} (as {@code json}, with the header {@code X-Tenant: broke}), {@code cut} (a stream the server
 * drops), {@code cancel} (the app takes one chunk of a stream). {@code cut} and {@code cancel} then
 * print {@code SETTLED true} once the call is recorded: a cancelled body settles when its connection
 * closes, on the event loop (a deadline, not a timing).
 *
 * <p>Reactor Netty's event loops are not daemons: {@code main} ends the JVM, {@link #run} (what
 * {@code ScenarioDriver} calls) does not.
 */
public final class ReactorNettyApp {
  private static final Semaphore SETTLED = new Semaphore(0);
  private static boolean listening;

  public static void main(String[] argv) {
    run(argv);
    System.exit(0);
  }

  public static void run(String[] argv) {
    listen();
    String mode = argv[0];
    HttpClient client = HttpClient.create().headers(h -> h.set("Content-Type", "application/json"));
    SETTLED.drainPermits();
    try {
      call(client, mode, argv[1], argv[2]);
    } catch (Exception e) {
      Throwable t = reactor.core.Exceptions.unwrap(e);
      System.out.println("ERROR " + t.getClass().getName() + " " + t.getMessage());
    }
    if (mode.equals("cut") || mode.equals("cancel")) {
      System.out.println("SETTLED " + awaitSettled());
    }
  }

  private static void call(HttpClient client, String mode, String url, String json) throws IOException {
    switch (mode) {
      case "json":
      case "tenant":
        HttpClient asked = mode.equals("tenant") ? client.headers(h -> h.set("X-Tenant", "broke")) : client;
        String body = asked.post().uri(url)
            .send(Mono.just(Unpooled.wrappedBuffer(json.getBytes(StandardCharsets.UTF_8))))
            .responseSingle((response, content) -> {
              System.out.println("STATUS " + response.status().code());
              return content.asString();
            }).block(Duration.ofSeconds(30));
        System.out.println("BODY " + body);
        return;
      case "stream":
      case "cut": {
        Bodies.Lines lines = new Bodies.Lines();
        client.post().uri(url).send((request, out) -> out.sendString(Mono.just(json)))
            .response((response, content) -> {
              System.out.println("STATUS " + response.status().code());
              return content.asString();
            }).doOnNext(lines::print).blockLast(Duration.ofSeconds(30));
        return;
      }
      case "gzip":
        System.out.println("BODY " + client.compress(true).post().uri(url).send((request, out) -> out.sendString(Mono.just(json)))
            .responseSingle((response, content) -> content.asString()).block(Duration.ofSeconds(30)));
        return;
      case "gzip-raw":
        byte[] gzip = client.headers(h -> h.set("Accept-Encoding", "gzip")).post().uri(url)
            .send((request, out) -> out.sendString(Mono.just(json)))
            .responseSingle((response, content) -> content.asByteArray()).block(Duration.ofSeconds(30));
        System.out.println("BODY " + Bodies.gunzip(gzip));
        return;
      case "cancel":
        String first = client.post().uri(url).send((request, out) -> out.sendString(Mono.just(json)))
            .responseContent().asString().take(1).blockFirst(Duration.ofSeconds(30));
        System.out.println("FIRST " + first.replace('\n', ' '));
        return;
      default:
        throw new IllegalArgumentException(mode);
    }
  }

  private static synchronized void listen() {
    if (!listening) {
      listening = true;
      Tollgate.addListener(new TollgateListener() {
        @Override
        public void onUsage(UsageRecord record) {
          SETTLED.release();
        }
      });
    }
  }

  private static boolean awaitSettled() {
    try {
      return SETTLED.tryAcquire(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

}
