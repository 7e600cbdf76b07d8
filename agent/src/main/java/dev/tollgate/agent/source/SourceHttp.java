package dev.tollgate.agent.source;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.agent.endpoint.EndpointText;
import dev.tollgate.shaded.okhttp3.OkHttpClient;
import dev.tollgate.shaded.okhttp3.Request;
import dev.tollgate.shaded.okhttp3.Response;
import dev.tollgate.shaded.okhttp3.ResponseBody;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The agent's own HTTP: GETs a credit API's JSON through the relocated OkHttp
 * ({@code dev.tollgate.shaded.okhttp3}), which the instrumentation ignores, so these calls are never
 * metered. Timeouts per attempt, then retries with exponential backoff that honours {@code
 * Retry-After} (capped) on timeouts, connection failures, 429 and 5xx; 4xx answers and bodies that
 * are not JSON fail at once. Redirects are not followed, so a key is only ever sent to the
 * configured host. Error messages carry the URL without query or user info, never headers.
 */
public final class SourceHttp {
  static final long BASE_BACKOFF_MILLIS = 250;
  static final long MAX_WAIT_MILLIS = 30_000;

  /** How the wait between attempts is spent; tests record it instead of sleeping. */
  public interface Sleeper {
    void sleep(long millis) throws InterruptedException;
  }

  private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private final OkHttpClient client;
  private final int retries;
  private final Sleeper sleeper;

  public SourceHttp(Duration timeout, int retries) {
    this(timeout, retries, Thread::sleep);
  }

  SourceHttp(Duration timeout, int retries, Sleeper sleeper) {
    this.client = new OkHttpClient.Builder()
        .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .callTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false)
        .build();
    this.retries = retries;
    this.sleeper = sleeper;
  }

  /**
   * GETs {@code url} with {@code headers} and parses the body as JSON (decimals kept exact).
   *
   * @param statusMessages what to say for particular statuses (401, 403…), instead of the generic text
   * @throws SourceException after the last attempt, or at once when retrying cannot help
   */
  public JsonNode getJson(String source, String url, Map<String, String> headers, Map<Integer, String> statusMessages)
      throws SourceException {
    for (int attempt = 0;; attempt++) {
      try {
        return attempt(source, url, headers, statusMessages);
      } catch (SourceException e) {
        if (!e.retryable || attempt >= retries) {
          throw e;
        }
        pause(e, attempt);
      }
    }
  }

  private void pause(SourceException e, int attempt) throws SourceException {
    long backoff = Math.min(MAX_WAIT_MILLIS, BASE_BACKOFF_MILLIS << Math.min(attempt, 16));
    long wait = e.retryAfterMillis >= 0 ? e.retryAfterMillis : backoff;
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException interrupted) {
      Thread.currentThread().interrupt();
      throw e;
    }
  }

  private JsonNode attempt(String source, String url, Map<String, String> headers, Map<Integer, String> statusMessages)
      throws SourceException {
    String where = source + " credit API " + EndpointText.of(url);
    Request request;
    try {
      Request.Builder builder = new Request.Builder().url(url).header("Accept", "application/json");
      headers.forEach(builder::header);
      request = builder.build();
    } catch (RuntimeException e) {
      // OkHttp quotes a header value it rejects (a key with a control or non-ASCII character) in its
      // message: say which rule failed, never the value.
      throw new SourceException(where + ": the URL or a credential header is not valid HTTP (a key with a line break or a"
          + " non-ASCII character?); check tollgate." + source + ".url and .key", false, -1);
    }
    try (Response response = client.newCall(request).execute()) {
      int code = response.code();
      if (code != 200) {
        throw statusFailure(where, code, statusMessages, response.header("Retry-After"));
      }
      return parse(where, response.body());
    } catch (SourceException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // The exception text of a failed connection names host and port at most; its type says more.
      throw new SourceException(where + " unreachable: " + e.getClass().getSimpleName(), true, -1);
    }
  }

  private static SourceException statusFailure(String where, int code, Map<Integer, String> messages, @Nullable String retryAfter) {
    String said = messages.get(code);
    boolean retryable = code == 429 || code >= 500;
    String text = where + " answered HTTP " + code + (said == null ? "" : ": " + said);
    return new SourceException(text, retryable, retryable ? retryAfterMillis(retryAfter, Instant.now()) : -1);
  }

  private static JsonNode parse(String where, @Nullable ResponseBody body) throws SourceException {
    try {
      JsonNode node = body == null ? null : JSON.readTree(body.byteStream());
      if (node == null || node.isMissingNode() || !node.isContainerNode()) {
        throw new IOException("not a JSON object");
      }
      return node;
    } catch (IOException e) {
      throw new SourceException(where + " answered HTTP 200 with a body that is not JSON", false, -1);
    }
  }

  /** {@code Retry-After} as delay-seconds or an HTTP date, in milliseconds from {@code now} (at most 30 s); -1 when absent or unreadable. */
  static long retryAfterMillis(@Nullable String value, Instant now) {
    if (value == null || value.isBlank()) {
      return -1;
    }
    String v = value.trim();
    try {
      return Math.max(0, Math.min(MAX_WAIT_MILLIS, Math.min(Long.parseLong(v), MAX_WAIT_MILLIS) * 1000));
    } catch (NumberFormatException notSeconds) {
      try {
        return Math.max(0,
            Math.min(MAX_WAIT_MILLIS, Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME)).toMillis()));
      } catch (DateTimeParseException notDate) {
        return -1;
      }
    }
  }
}
