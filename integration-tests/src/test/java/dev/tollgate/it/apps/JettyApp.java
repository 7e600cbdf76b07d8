package dev.tollgate.it.apps;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.client.BufferingResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.client.StringRequestContent;
import org.jspecify.annotations.Nullable;

/**
 * A Jetty 12 {@code HttpClient} application: one POST, printed by the apps' protocol ({@code STATUS},
 * {@code BLOCKED}, {@code BODY} or {@code LINE}s, {@code ERROR}).
 *
 * <pre>JettyApp send|async|stream URL JSON</pre>
 *
 * {@code send}: blocking {@code send()}; {@code async}: {@code send(BufferingResponseListener)};
 * {@code stream}: an {@code InputStreamResponseListener}, the body printed line by line as it is read.
 * Jetty asks for gzip itself and decodes it.
 *
 * <p>The client is started once per JVM and never stopped: {@code main} ends the JVM, {@link #run}
 * (what {@code ScenarioDriver} calls, once per call) does not.
 */
public final class JettyApp {
  /** One client for every call of the JVM ({@code ScenarioDriver} runs {@link #run} once per call): its threads start once. */
  private static @Nullable HttpClient client;

  public static void main(String[] argv) throws Exception {
    run(argv);
    System.exit(0); // the client's threads are not daemons
  }

  public static void run(String[] argv) throws Exception {
    HttpClient client = client();
    try {
      call(argv[0], client.POST(argv[1]).body(new StringRequestContent("application/json", argv[2])));
    } catch (ExecutionException e) {
      System.out.println("ERROR " + e.getCause().getClass().getName() + " " + e.getCause().getMessage());
    }
  }

  private static synchronized HttpClient client() throws Exception {
    if (client == null) {
      client = new HttpClient();
      client.start();
    }
    return client;
  }

  private static void call(String mode, Request request) throws Exception {
    switch (mode) {
      case "send":
        ContentResponse r = request.send();
        head(r);
        System.out.println("BODY " + r.getContentAsString());
        return;
      case "stream":
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        head(listener.get(60, TimeUnit.SECONDS));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null;) {
            System.out.println("LINE " + line);
          }
        }
        return;
      case "async":
        CompletableFuture<String> done = new CompletableFuture<>();
        request.send(new BufferingResponseListener() {
          @Override
          public void onComplete(Result result) {
            if (result.isFailed()) {
              done.completeExceptionally(result.getFailure());
              return;
            }
            head(result.getResponse());
            done.complete(getContentAsString());
          }
        });
        System.out.println("BODY " + done.get(60, TimeUnit.SECONDS));
        return;
      default:
        throw new IllegalArgumentException(mode);
    }
  }

  private static void head(Response r) {
    System.out.println("STATUS " + r.getStatus());
    System.out.println("BLOCKED " + r.getHeaders().get("Tollgate-Blocked"));
  }
}
