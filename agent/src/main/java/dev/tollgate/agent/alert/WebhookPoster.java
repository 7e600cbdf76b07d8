package dev.tollgate.agent.alert;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import org.jspecify.annotations.Nullable;

/** One JSON POST with the JDK's {@link HttpURLConnection}: no library, no thread of its own. */
final class WebhookPoster implements WebhookSender.Poster {
  private static final int TIMEOUT_MILLIS = 10_000;
  private final URI url;

  WebhookPoster(URI url) {
    this.url = url;
  }

  @Override
  public int post(byte[] body) throws IOException {
    HttpURLConnection c = (HttpURLConnection) url.toURL().openConnection();
    try {
      c.setRequestMethod("POST");
      c.setConnectTimeout(TIMEOUT_MILLIS);
      c.setReadTimeout(TIMEOUT_MILLIS);
      c.setDoOutput(true);
      c.setFixedLengthStreamingMode(body.length);
      c.setRequestProperty("Content-Type", "application/json; charset=utf-8");
      c.setRequestProperty("User-Agent", "tollgate-alerts");
      try (OutputStream out = c.getOutputStream()) {
        out.write(body);
      }
      int status = c.getResponseCode();
      drain(status < 400 ? c.getInputStream() : c.getErrorStream());
      return status;
    } finally {
      c.disconnect();
    }
  }

  private static void drain(@Nullable InputStream in) throws IOException {
    if (in != null) {
      try (InputStream body = in) {
        body.readAllBytes();
      }
    }
  }
}
