package dev.tollgate.it.apps;

import dev.tollgate.api.Tollgate;
import dev.tollgate.api.TollgateScope;
import io.opentelemetry.api.baggage.Baggage;
import io.opentelemetry.context.Scope;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Callback;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.RequestBody;
import okhttp3.Response;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.io.entity.StringEntity;
import org.apache.logging.log4j.ThreadContext;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import org.springframework.http.client.ReactorClientHttpRequestFactory;
import org.springframework.http.client.reactive.ReactorClientHttpConnector;
import org.springframework.web.client.RestClient;
import org.springframework.web.reactive.function.client.WebClient;

/**
 * Every attribution source over every hooked client, in one JVM: for each client (and each of its
 * sync and async ways to call), three calls, told apart by the body's {@code user}:
 *
 * <ul>
 *   <li>{@code <client>-all}: a {@code Tollgate.scope}, SLF4J MDC (Logback), OpenTelemetry baggage,
 *       an {@code X-Tenant-Id} header and a body {@code metadata.tenant_id}. An async call's caller
 *       drops its scope, MDC and baggage right after starting it, so only what was taken at the
 *       start can reach the record.
 *   <li>{@code <client>-log4j}: only a Log4j 2 ThreadContext value.
 *   <li>{@code <client>-blocked}: scope, MDC and header on a call too dear for the budget.
 * </ul>
 *
 * <pre>AttributionApp URL</pre> prints {@code ACTIVE true}, then {@code CALL <user> <status>} per call,
 * {@code ERROR …} for a client that failed, and {@code DONE}.
 */
public final class AttributionApp {
  public static final String[] CLIENTS = {"okhttp-sync", "okhttp-async", "jdk-sync", "jdk-async", "urlconnection", "apache-sync",
      "apache-async", "restclient", "webclient"};
  public static final int CLIENTS_COUNT = CLIENTS.length;

  private static String url;

  public static void main(String[] argv) throws Exception {
    url = argv[0];
    System.out.println("ACTIVE " + Tollgate.isActive());
    for (String client : CLIENTS) {
      try {
        all(client);
        log4j(client);
        blocked(client);
      } catch (Exception e) {
        System.out.println("ERROR " + client + " " + e);
      }
    }
    System.out.println("DONE");
    System.exit(0); // Reactor Netty's and Apache's threads are not daemons
  }

  private static String body(String user, String model, int maxTokens, boolean tenant) {
    return "{\"model\":\"" + model + "\",\"max_tokens\":" + maxTokens + ",\"user\":\"" + user + "\","
        + (tenant ? "\"metadata\":{\"tenant_id\":\"b-" + user.substring(0, user.lastIndexOf('-')) + "\"}," : "")
        + "\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}]}";
  }

  private static void all(String client) throws Exception {
    String user = client + "-all";
    TollgateScope scope = Tollgate.scope("scoped", "s-" + client).and("tenant", "scope-wins");
    MDC.put("tenant", "m-" + client);
    Scope baggage = Baggage.current().toBuilder().put("tenant", "g-" + client).build().makeCurrent();
    Future<Integer> status;
    try {
      status = start(client, body(user, "gpt-4o-mini", 10, true), "h-" + client);
    } finally {
      // Dropped before an async call's response (or even its hook, for OkHttp's enqueue) arrives.
      baggage.close();
      MDC.remove("tenant");
      scope.close();
    }
    System.out.println("CALL " + user + " " + status.get(30, TimeUnit.SECONDS));
  }

  private static void log4j(String client) throws Exception {
    String user = client + "-log4j";
    ThreadContext.put("tenant", "l-" + client);
    Future<Integer> status;
    try {
      status = start(client, body(user, "gpt-4o-mini", 10, false), null);
    } finally {
      ThreadContext.remove("tenant");
    }
    System.out.println("CALL " + user + " " + status.get(30, TimeUnit.SECONDS));
  }

  private static void blocked(String client) throws Exception {
    String user = client + "-blocked";
    MDC.put("tenant", "m-" + client);
    try (TollgateScope scope = Tollgate.scope("scoped", "s-" + client)) {
      Future<Integer> status = start(client, body(user, "gpt-4o", 100_000, true), "h-" + client);
      System.out.println("CALL " + user + " " + status.get(30, TimeUnit.SECONDS));
    } finally {
      MDC.remove("tenant");
    }
  }

  /** Starts the call on this thread; the future gives its HTTP status. */
  private static Future<Integer> start(String client, String json, @Nullable String tenantHeader) throws Exception {
    switch (client) {
      case "okhttp-sync":
        return CompletableFuture.completedFuture(okhttpSync(okhttp(json, tenantHeader)));
      case "okhttp-async":
        return okhttpAsync(okhttp(json, tenantHeader));
      case "jdk-sync":
        return CompletableFuture.completedFuture(JDK.send(jdk(json, tenantHeader), HttpResponse.BodyHandlers.ofString()).statusCode());
      case "jdk-async":
        return JDK.sendAsync(jdk(json, tenantHeader), HttpResponse.BodyHandlers.ofString()).thenApply(HttpResponse::statusCode);
      case "urlconnection":
        return CompletableFuture.completedFuture(urlConnection(json, tenantHeader));
      case "apache-sync":
        return CompletableFuture.completedFuture(apache(json, tenantHeader));
      case "apache-async":
        return apacheAsync(json, tenantHeader);
      case "restclient":
        return CompletableFuture.completedFuture(restClient(json, tenantHeader));
      case "webclient":
        return webClient(json, tenantHeader);
      default:
        throw new IllegalArgumentException(client);
    }
  }

  private static final OkHttpClient OKHTTP = new OkHttpClient();
  private static final HttpClient JDK = HttpClient.newHttpClient();

  private static Call okhttp(String json, String tenantHeader) {
    okhttp3.Request.Builder b = new okhttp3.Request.Builder().url(url)
        .post(RequestBody.create(json, MediaType.get("application/json")));
    if (tenantHeader != null) {
      b.header("X-Tenant-Id", tenantHeader);
    }
    return OKHTTP.newCall(b.build());
  }

  private static int okhttpSync(Call call) throws java.io.IOException {
    try (Response r = call.execute()) {
      r.body().string();
      return r.code();
    }
  }

  private static Future<Integer> okhttpAsync(Call call) {
    CompletableFuture<Integer> f = new CompletableFuture<>();
    call.enqueue(new Callback() {
      @Override
      public void onFailure(Call c, java.io.IOException e) {
        f.completeExceptionally(e);
      }

      @Override
      public void onResponse(Call c, Response r) throws java.io.IOException {
        r.body().string();
        f.complete(r.code());
      }
    });
    return f;
  }

  private static HttpRequest jdk(String json, String tenantHeader) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json));
    if (tenantHeader != null) {
      b.header("X-Tenant-Id", tenantHeader);
    }
    return b.build();
  }

  private static int urlConnection(String json, String tenantHeader) throws Exception {
    HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
    c.setRequestMethod("POST");
    c.setDoOutput(true);
    c.setRequestProperty("Content-Type", "application/json");
    if (tenantHeader != null) {
      c.setRequestProperty("X-Tenant-Id", tenantHeader);
    }
    try (OutputStream out = c.getOutputStream()) {
      out.write(json.getBytes(StandardCharsets.UTF_8));
    }
    int code = c.getResponseCode();
    try (InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream()) {
      if (in != null) {
        in.readAllBytes();
      }
    }
    return code;
  }

  private static int apache(String json, String tenantHeader) throws Exception {
    try (CloseableHttpClient client = HttpClients.createDefault()) {
      HttpPost post = new HttpPost(url);
      post.setEntity(new StringEntity(json, ContentType.APPLICATION_JSON));
      if (tenantHeader != null) {
        post.setHeader("X-Tenant-Id", tenantHeader);
      }
      return client.execute(post, response -> {
        org.apache.hc.core5.http.io.entity.EntityUtils.toString(response.getEntity());
        return response.getCode();
      });
    }
  }

  private static CloseableHttpAsyncClient apacheAsync;

  private static Future<Integer> apacheAsync(String json, String tenantHeader) {
    if (apacheAsync == null) {
      apacheAsync = HttpAsyncClients.createDefault();
      apacheAsync.start();
    }
    SimpleRequestBuilder b = SimpleRequestBuilder.post(url).setBody(json, ContentType.APPLICATION_JSON);
    if (tenantHeader != null) {
      b.setHeader("X-Tenant-Id", tenantHeader);
    }
    CompletableFuture<Integer> f = new CompletableFuture<>();
    apacheAsync.execute(b.build(), new org.apache.hc.core5.concurrent.FutureCallback<SimpleHttpResponse>() {
      @Override
      public void completed(SimpleHttpResponse r) {
        f.complete(r.getCode());
      }

      @Override
      public void failed(Exception e) {
        f.completeExceptionally(e);
      }

      @Override
      public void cancelled() {
        f.cancel(false);
      }
    });
    return f;
  }

  private static int restClient(String json, String tenantHeader) {
    RestClient client = RestClient.builder().requestFactory(new ReactorClientHttpRequestFactory()).build();
    return client.post().uri(url).header("Content-Type", "application/json")
        .headers(h -> {
          if (tenantHeader != null) {
            h.set("X-Tenant-Id", tenantHeader);
          }
        })
        .body(json).exchange((request, response) -> {
          response.getBody().readAllBytes();
          return response.getStatusCode().value();
        });
  }

  private static Future<Integer> webClient(String json, String tenantHeader) {
    WebClient client = WebClient.builder().clientConnector(new ReactorClientHttpConnector()).build();
    return client.post().uri(url).header("Content-Type", "application/json")
        .headers(h -> {
          if (tenantHeader != null) {
            h.set("X-Tenant-Id", tenantHeader);
          }
        })
        .bodyValue(json).exchangeToMono(r -> r.toEntity(String.class)).map(e -> e.getStatusCode().value()).toFuture();
  }
}
