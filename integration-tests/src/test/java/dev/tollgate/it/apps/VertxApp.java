package dev.tollgate.it.apps;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * A Vert.x application, written against the API 4.5 and 5.0 share: core {@code HttpClient} and
 * WebClient calls, one per step, each printing {@code <step> <what> <value>} lines.
 *
 * <pre>VertxApp BASE_URL step:path:body…</pre>
 *
 * Steps: {@code send} (core client, {@code send(Buffer)}, body read whole), {@code stream} (core
 * client, body printed line by line as chunks arrive), {@code chunked} (core client, {@code
 * write} then {@code end}, chunked), {@code h2} ({@code send} over HTTP/2 with prior knowledge), {@code web}
 * (WebClient {@code sendBuffer}). A failed call
 * prints {@code <step> ERROR <class> <message>}.
 */
public final class VertxApp {
  public static void main(String[] argv) throws Exception {
    Vertx vertx = Vertx.vertx();
    // Vert.x 5's createHttpClient() returns its HttpClientAgent, an HttpClient: one binary for both.
    HttpClient client = (HttpClient) Vertx.class.getMethod("createHttpClient").invoke(vertx);
    // HTTP/2 in clear text with prior knowledge.
    HttpClient h2 = (HttpClient) Vertx.class.getMethod("createHttpClient", HttpClientOptions.class)
        .invoke(vertx, new HttpClientOptions().setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false));
    WebClient web = WebClient.create(vertx);
    try {
      for (int i = 1; i < argv.length; i++) {
        String[] step = argv[i].split(":", 3);
        String name = step[0] + i;
        String url = argv[0] + step[1];
        try {
          run(step[0].equals("h2") ? h2 : client, web, name, step[0].equals("h2") ? "send" : step[0], url, step[2]);
        } catch (ExecutionException e) {
          System.out.println(name + " ERROR " + e.getCause().getClass().getName() + " " + e.getCause().getMessage());
        }
      }
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private static void run(HttpClient client, WebClient web, String name, String kind, String url, String json) throws Exception {
    RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url).putHeader("Content-Type", "application/json");
    switch (kind) {
      case "send":
        await(client.request(post).compose(req -> req.send(Buffer.buffer(json))).compose(resp -> {
          head(name, resp);
          return resp.body();
        }).map(body -> print(name, "BODY", body.toString())));
        return;
      case "chunked":
        await(client.request(post).compose(req -> {
          req.setChunked(true);
          req.write(json.substring(0, 10));
          req.end(json.substring(10));
          return req.response();
        }).compose(resp -> {
          head(name, resp);
          return resp.body();
        }).map(body -> print(name, "BODY", body.toString())));
        return;
      case "stream":
        await(client.request(post).compose(req -> req.send(Buffer.buffer(json))).compose(resp -> {
          head(name, resp);
          StringBuilder line = new StringBuilder();
          resp.handler(chunk -> lines(name, line, chunk.toString()));
          return resp.end();
        }));
        return;
      case "web":
        HttpResponse<Buffer> r = await(web.postAbs(url).putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(json)));
        print(name, "STATUS", String.valueOf(r.statusCode()));
        print(name, "BODY", r.bodyAsString());
        return;
      default:
        throw new IllegalArgumentException(kind);
    }
  }

  private static void head(String name, HttpClientResponse resp) {
    print(name, "STATUS", String.valueOf(resp.statusCode()));
  }

  private static void lines(String name, StringBuilder line, String chunk) {
    for (char c : chunk.toCharArray()) {
      if (c == '\n') {
        print(name, "LINE", line.toString());
        line.setLength(0);
      } else {
        line.append(c);
      }
    }
  }

  private static Object print(String name, String what, String value) {
    System.out.println(name + " " + what + " " + value);
    return value;
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
