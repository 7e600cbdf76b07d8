package dev.tollgate.agent.bootstrap;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The synthetic 402 a blocked {@code HttpURLConnection} shows the application, through the same
 * getters a real response is read with: {@code getHeaderField(0)} is the status line (which
 * {@code getResponseCode} parses), {@code getErrorStream} the JSON body.
 */
public final class BlockedUrlResponse {
  private static final String[] KEYS = {null, "Content-Type", "Content-Length", "Tollgate-Blocked"};

  private final String[] values;
  private final InputStream errorStream;

  BlockedUrlResponse(String json) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    values = new String[] {"HTTP/1.1 402 Payment Required", "application/json; charset=utf-8", String.valueOf(body.length), "true"};
    errorStream = new ByteArrayInputStream(body);
  }

  /** {@code getHeaderField(n)}; the status line is field 0. */
  public @Nullable String field(int n) {
    return n >= 0 && n < values.length ? values[n] : null;
  }

  /** {@code getHeaderFieldKey(n)}. */
  public @Nullable String key(int n) {
    return n >= 0 && n < KEYS.length ? KEYS[n] : null;
  }

  /** {@code getHeaderField(name)}, case-insensitive; a null name is the status line, as in the JDK. */
  public @Nullable String field(@Nullable String name) {
    for (int i = 0; i < KEYS.length; i++) {
      if (name == null ? KEYS[i] == null : name.equalsIgnoreCase(KEYS[i])) {
        return values[i];
      }
    }
    return null;
  }

  /** {@code getHeaderFields()}: unmodifiable, looked up case-insensitively, the status line under the null key. */
  public Map<String, List<String>> fields() {
    Map<String, List<String>> fields = new TreeMap<>(Comparator.nullsFirst(String.CASE_INSENSITIVE_ORDER));
    for (int i = 0; i < KEYS.length; i++) {
      fields.put(KEYS[i], Collections.singletonList(values[i]));
    }
    return Collections.unmodifiableMap(fields);
  }

  /** {@code getErrorStream()}: the same stream on every call, as the JDK's. */
  public InputStream errorStream() {
    return errorStream;
  }
}
