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

/**
 * A Jetty 12 {@code HttpClient} application: one call per step, each printing {@code <step> <what>
 * <value>} lines.
 *
 * <pre>JettyApp BASE_URL step:path:body…</pre>
 *
 * Steps: {@code send} (blocking {@code send()}), {@code stream} ({@code InputStreamResponseListener},
 * body printed line by line as it is read), {@code async} ({@code send(BufferingResponseListener)}).
 * A failed call prints {@code <step> ERROR <class> <message>}.
 */
public final class JettyApp {
  public static void main(String[] argv) throws Exception {
    HttpClient client = new HttpClient();
    client.start();
    try {
      for (int i = 1; i < argv.length; i++) {
        String[] step = argv[i].split(":", 3);
        String name = step[0] + i;
        try {
          run(client, name, step[0], argv[0] + step[1], step[2]);
        } catch (ExecutionException e) {
          System.out.println(name + " ERROR " + e.getCause().getClass().getName() + " " + e.getCause().getMessage());
        }
      }
    } finally {
      client.stop();
    }
  }

  private static void run(HttpClient client, String name, String kind, String url, String json) throws Exception {
    Request request = client.POST(url).body(new StringRequestContent("application/json", json));
    switch (kind) {
      case "send":
        ContentResponse r = request.send();
        head(name, r);
        print(name, "BODY", r.getContentAsString());
        return;
      case "stream":
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        head(name, listener.get(60, TimeUnit.SECONDS));
        try (BufferedReader in = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
          for (String line; (line = in.readLine()) != null;) {
            print(name, "LINE", line);
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
            head(name, result.getResponse());
            done.complete(getContentAsString());
          }
        });
        print(name, "BODY", done.get(60, TimeUnit.SECONDS));
        return;
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  private static void head(String name, Response r) {
    print(name, "STATUS", String.valueOf(r.getStatus()));
    print(name, "BLOCKED", String.valueOf(r.getHeaders().get("Tollgate-Blocked")));
  }

  private static void print(String name, String what, String value) {
    System.out.println(name + " " + what + " " + value);
  }
}
