package dev.tollgate.it.apps;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A {@code java.net.http} application holding real-looking (made-up) API keys the way SDKs send
 * them: OpenAI's as a Bearer token, Anthropic's in {@code x-api-key}, Gemini's in {@code
 * x-goog-api-key} and in the {@code ?key=} query. Prints every status, body and exception (with
 * its causes) it sees, so a test can look for the keys in all of it.
 *
 * <pre>SecretsApp BASE_URL DEAD_URL</pre>
 */
public final class SecretsApp {
  public static final String OPENAI_KEY = "sk-proj-Tg7xQ2mLp9ZrV4bN8cW1eY6uH3kJ5sD0fA2gR7tB9nM4qX8zC1vL6wP3oK5iU0yE2rT4";
  public static final String ANTHROPIC_KEY = "sk-ant-api03-Qm3Zx8Lr2Vt6Np1Ks9Hd4Jw7Fb0Gc5Ye2Ua8Io3Pe6Rs1Tn4Mq7Lv0Kx9Jz2Hw5Gy8Fb3Dc6Sa1Vn4Bm7Xk0Zq-Wr5Ut2AA";
  public static final String GEMINI_KEY = "AIzaSyD4kL9mQ2xR7tV1wB5nH8jC3pF6sG0zE2yA";
  /** The credit source's key: set by the test as {@code tollgate.openrouter.key}, never by this app. */
  public static final String OPENROUTER_KEY = "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";

  private static final String OPENAI_BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":100}";
  private static final String ANTHROPIC_BODY = "{\"model\":\"claude-3-5-haiku-latest\",\"max_tokens\":200,\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}";
  private static final String GEMINI_BODY = "{\"contents\":[{\"role\":\"user\",\"parts\":[{\"text\":\"Hi\"}]}],\"generationConfig\":{\"maxOutputTokens\":100}}";

  public static void main(String[] argv) throws Exception {
    String base = argv[0];
    String dead = argv[1];
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    call(client, "openai", post(base + "/v1/chat/completions", OPENAI_BODY).header("Authorization", "Bearer " + OPENAI_KEY));
    call(client, "anthropic", post(base + "/anthropic/v1/messages", ANTHROPIC_BODY).header("x-api-key", ANTHROPIC_KEY)
        .header("anthropic-version", "2023-06-01"));
    call(client, "gemini", post(base + "/gemini/v1beta/models/gemini-2.5-flash:generateContent?key=" + GEMINI_KEY, GEMINI_BODY)
        .header("x-goog-api-key", GEMINI_KEY));
    call(client, "dead", post(dead + "/v1/chat/completions?key=" + GEMINI_KEY, OPENAI_BODY).header("Authorization", "Bearer "
        + OPENAI_KEY));
  }

  private static HttpRequest.Builder post(String url, String body) {
    return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
        body));
  }

  private static void call(HttpClient client, String name, HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = client.send(request.build(), HttpResponse.BodyHandlers.ofString());
      System.out.println(name + " STATUS " + r.statusCode());
      System.out.println(name + " HEADERS " + r.headers().map());
      System.out.println(name + " BODY " + r.body());
    } catch (Exception e) {
      for (Throwable t = e; t != null; t = t.getCause()) {
        System.out.println(name + " ERROR " + t);
      }
    }
  }
}
