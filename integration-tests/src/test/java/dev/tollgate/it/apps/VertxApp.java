package dev.tollgate.it.apps;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.ext.web.client.HttpResponse;
import io.vertx.ext.web.client.WebClient;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * A Vert.x application, written against the API 4.5 and 5.0 share: one POST through core {@code
 * HttpClient} or WebClient, printed by the apps' protocol ({@code STATUS}, {@code BODY} or {@code
 * LINE}s, {@code ERROR}).
 *
 * <pre>VertxApp MODE URL JSON</pre>
 *
 * Modes: {@code send} (core client, {@code send(Buffer)}, body read whole), {@code web} (WebClient
 * {@code sendBuffer}), {@code stream} (core client, body printed line by line as chunks arrive),
 * {@code chunked} (core client, {@code write} then {@code end}, chunked; read as {@code stream}),
 * {@code gzip} (the app asks for gzip and inflates the body itself), {@code decompress} (a client
 * with {@code setDecompressionSupported(true)}: Vert.x asks for gzip and inflates), {@code h2}
 * ({@code send} over HTTP/2 with prior knowledge). A failed call prints {@code ERROR <class> <message>}.
 *
 * <p>Vert.x is started once per JVM and never closed: {@code main} ends the JVM, {@link #run}
 * (what {@code ScenarioDriver} calls, once per call) does not.
 */
public final class VertxApp {
  /** One Vert.x for every call of the JVM ({@code ScenarioDriver} runs {@link #run} once per call): its event loops start once. */
  private static @Nullable Vertx vertx;

  public static void main(String[] argv) throws Exception {
    run(argv);
    System.exit(0); // Vert.x's event loops are not daemons
  }

  public static void run(String[] argv) throws Exception {
    try {
      call(vertx(), argv[0], argv[1], argv[2]);
    } catch (ExecutionException e) {
      System.out.println("ERROR " + e.getCause().getClass().getName() + " " + e.getCause().getMessage());
    }
  }

  private static synchronized Vertx vertx() {
    if (vertx == null) {
      vertx = Vertx.vertx();
    }
    return vertx;
  }

  private static void call(Vertx vertx, String mode, String url, String json) throws Exception {
    if (mode.equals("web")) {
      WebClient web = WebClient.create(vertx);
      try {
        HttpResponse<Buffer> r = await(web.postAbs(url).putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(json)));
        System.out.println("STATUS " + r.statusCode());
        System.out.println("BODY " + r.bodyAsString());
      } finally {
        web.close();
      }
      return;
    }
    HttpClient client = client(vertx, mode);
    try {
      call(client, mode, url, json);
    } finally {
      client.close();
    }
  }

  private static void call(HttpClient client, String mode, String url, String json) throws Exception {
    RequestOptions post = new RequestOptions().setMethod(HttpMethod.POST).setAbsoluteURI(url).putHeader("Content-Type", "application/json");
    if (mode.equals("gzip")) {
      post.putHeader("Accept-Encoding", "gzip");
    }
    Future<HttpClientResponse> response = client.request(post).compose(req -> {
      if (!mode.equals("chunked")) {
        return req.send(Buffer.buffer(json));
      }
      req.setChunked(true);
      req.write(json.substring(0, 10));
      req.end(json.substring(10));
      return req.response();
    });
    if (mode.equals("stream") || mode.equals("chunked")) {
      await(response.compose(resp -> {
        System.out.println("STATUS " + resp.statusCode());
        Bodies.Lines lines = new Bodies.Lines();
        resp.handler(chunk -> lines.print(chunk.toString()));
        return resp.end();
      }));
      return;
    }
    Buffer body = await(response.compose(resp -> {
      System.out.println("STATUS " + resp.statusCode());
      return resp.body();
    }));
    System.out.println("BODY " + (mode.equals("gzip") ? Bodies.gunzip(body.getBytes()) : body.toString()));
  }

  /** The core client of {@code mode}. Vert.x 5's createHttpClient returns its HttpClientAgent, an HttpClient: one binary for both. */
  private static HttpClient client(Vertx vertx, String mode) throws ReflectiveOperationException {
    HttpClientOptions options = new HttpClientOptions();
    if (mode.equals("h2")) {
      options.setProtocolVersion(HttpVersion.HTTP_2).setHttp2ClearTextUpgrade(false); // clear text, prior knowledge
    }
    options.setDecompressionSupported(mode.equals("decompress"));
    return (HttpClient) Vertx.class.getMethod("createHttpClient", HttpClientOptions.class).invoke(vertx, options);
  }

  private static <T> T await(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
  }
}
