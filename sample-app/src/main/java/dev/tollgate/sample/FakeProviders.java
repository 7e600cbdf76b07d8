package dev.tollgate.sample;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A fake LLM provider on 127.0.0.1, built on the JDK's own HTTP server: an OpenAI-compatible
 * {@code POST /openai/v1/chat/completions} (plain JSON, or a chunked {@code text/event-stream} when
 * the request says {@code "stream":true}) and an Anthropic-compatible {@code POST
 * /anthropic/v1/messages}. Token counts follow the request's size and {@code max_tokens}, so every
 * call reports different usage. It counts every request it receives, so the demo can show that a
 * blocked call never arrived.
 */
final class FakeProviders implements AutoCloseable {
  private static final Pattern MODEL = Pattern.compile("\"model\"\\s*:\\s*\"([^\"]+)\"");
  private static final Pattern MAX_TOKENS = Pattern.compile("\"max_(?:completion_)?tokens\"\\s*:\\s*(\\d+)");
  private static final Pattern STREAM = Pattern.compile("\"stream\"\\s*:\\s*true");
  private static final Pattern INCLUDE_USAGE = Pattern.compile("\"include_usage\"\\s*:\\s*true");
  /** What the "model" answers: the reply of the first topic the request mentions. */
  private static final String[][] REPLIES = {
      {"invoice", "Export fails on a March date format; a patch is queued."},
      {"charged twice", "Duplicate charge from a card retry; refund the second one."},
      {"logs users out", "Battery saver kills the token refresh; exempt the app."},
      {"webhook", "The CRM webhook needs a longer timeout or a retry queue."},
      {"two-factor", "SMS delays in Brazil and Portugal; offer email codes meanwhile."},
      {"CSV", "The importer reads CSV as Latin-1; switch it to UTF-8."},
  };

  private final HttpServer server;
  private final ExecutorService executor;
  private final AtomicInteger requests = new AtomicInteger();
  private final AtomicInteger openAiCalls = new AtomicInteger();
  private final AtomicInteger anthropicCalls = new AtomicInteger();

  private FakeProviders(HttpServer server, ExecutorService executor) {
    this.server = server;
    this.executor = executor;
  }

  /** Starts the server on 127.0.0.1; port 0 picks a free one. */
  static FakeProviders start(int port) throws IOException {
    HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 0);
    ExecutorService executor = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "fake-provider");
      t.setDaemon(true);
      return t;
    });
    FakeProviders fake = new FakeProviders(server, executor);
    server.createContext("/openai/v1/chat/completions", fake::chatCompletions);
    server.createContext("/anthropic/v1/messages", fake::messages);
    server.createContext("/", fake::notFound);
    server.setExecutor(executor);
    server.start();
    return fake;
  }

  int port() {
    return server.getAddress().getPort();
  }

  /** Every request received so far, on any path. */
  int requestCount() {
    return requests.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void chatCompletions(HttpExchange exchange) throws IOException {
    String body = receive(exchange);
    if (body == null) {
      return;
    }
    int call = openAiCalls.incrementAndGet();
    Usage usage = Usage.openAi(body, call);
    String model = find(MODEL, body, "gpt-4o-mini");
    String id = "chatcmpl-demo" + call;
    if (STREAM.matcher(body).find()) {
      OpenAiResponses.stream(exchange, id, model, reply(body), usage, INCLUDE_USAGE.matcher(body).find());
    } else {
      send(exchange, 200, "application/json", OpenAiResponses.completion(id, model, reply(body), usage));
    }
  }

  private void messages(HttpExchange exchange) throws IOException {
    String body = receive(exchange);
    if (body == null) {
      return;
    }
    int call = anthropicCalls.incrementAndGet();
    Usage usage = Usage.anthropic(body, call);
    String model = find(MODEL, body, "claude-3-5-haiku");
    send(exchange, 200, "application/json", AnthropicResponses.message("msg_demo" + call, model, reply(body), usage));
  }

  private void notFound(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    exchange.getRequestBody().readAllBytes();
    send(exchange, 404, "application/json", "{\"error\":{\"type\":\"not_found\",\"message\":\"no such path\"}}");
  }

  /** Counts the request and reads its body; answers 405 and returns null for anything but POST. */
  private @Nullable String receive(HttpExchange exchange) throws IOException {
    requests.incrementAndGet();
    byte[] bytes = exchange.getRequestBody().readAllBytes();
    if (!"POST".equals(exchange.getRequestMethod())) {
      send(exchange, 405, "application/json", "{\"error\":{\"type\":\"method_not_allowed\",\"message\":\"use POST\"}}");
      return null;
    }
    return new String(bytes, StandardCharsets.UTF_8);
  }

  static void send(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** A canned answer to the topic the request mentions. */
  static String reply(String body) {
    for (String[] topic : REPLIES) {
      if (body.contains(topic[0])) {
        return topic[1];
      }
    }
    return "Thanks, the ticket is noted.";
  }

  private static String find(Pattern pattern, String body, String fallback) {
    Matcher m = pattern.matcher(body);
    return m.find() ? m.group(1) : fallback;
  }

  /**
   * Usage derived from the request, the way a provider would count it: about four bytes of request
   * per input token, a prompt cache that holds three quarters of a long prompt, and an answer that
   * uses 55–95% of {@code max_tokens}.
   */
  static final class Usage {
    final long input;
    final long cacheRead;
    final long cacheWrite;
    final long output;

    private Usage(String body, long cacheRead, long cacheWrite) {
      this.input = inputTokens(body);
      this.cacheRead = cacheRead;
      this.cacheWrite = cacheWrite;
      long maxTokens = Long.parseLong(find(MAX_TOKENS, body, "256"));
      this.output = Math.max(1, maxTokens * (55 + Math.floorMod(body.hashCode(), 41)) / 100);
    }

    /** OpenAI caches long prompts by itself and reports only reads, from the second call on. */
    static Usage openAi(String body, int call) {
      return new Usage(body, call > 1 ? cacheable(body) : 0, 0);
    }

    /** Anthropic caches only what the request marks: the first call writes, later ones read. */
    static Usage anthropic(String body, int call) {
      long cacheable = body.contains("\"cache_control\"") ? cacheable(body) : 0;
      return call == 1 ? new Usage(body, 0, cacheable) : new Usage(body, cacheable, 0);
    }

    private static long inputTokens(String body) {
      return 9 + body.length() / 4;
    }

    private static long cacheable(String body) {
      long input = inputTokens(body);
      return input >= 1024 ? input * 3 / 4 / 128 * 128 : 0;
    }
  }
}
