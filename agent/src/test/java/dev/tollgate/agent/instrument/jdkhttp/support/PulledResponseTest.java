package dev.tollgate.agent.instrument.jdkhttp.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.agent.instrument.RecordingHandle;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The future a metered JDK client call hands the application, given the client's. */
class PulledResponseTest {
  private static final String JSON = "{\"usage\":{\"prompt_tokens\":1}}";
  private static final HttpRequest REQUEST = HttpRequest.newBuilder(URI.create("http://127.0.0.1/v1/chat/completions")).build();

  private final RecordingHandle handle = RecordingHandle.proceeding();
  private final CompletableFuture<HttpResponse<Object>> client = new CompletableFuture<>();
  private final CompletableFuture<HttpResponse<Object>> app = PulledResponse.watch(handle, client);

  /**
   * Regression: the client holds its response and the stream it fills until the body ends, so a
   * stream dropped before its end was never collected and its call never settled.
   */
  @Test
  void ofInputStreamBody_reachesTheApplicationThroughTheCallsWatch_withEveryByte() throws Exception {
    HttpResponse<InputStream> response = respond(HttpResponse.BodyHandlers.ofInputStream());

    HttpResponse<Object> got = app.get();

    assertThat(handle.pulled).containsExactly(response.body());
    assertThat(got.body()).isInstanceOf(RecordingHandle.Watched.class);
    assertThat(new String(((InputStream) got.body()).readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(JSON);
    assertThat(got.statusCode()).isEqualTo(response.statusCode());
    assertThat(got.headers()).isSameAs(response.headers());
    assertThat(got.request()).isSameAs(REQUEST);
    assertThat(got.uri()).isEqualTo(response.uri());
  }

  @Test
  void otherBody_reachesTheApplicationInTheClientsResponse() throws Exception {
    HttpResponse<String> response = respond(HttpResponse.BodyHandlers.ofString());

    assertThat(app.get()).isSameAs(response);
    assertThat(handle.pulled).isEmpty();
  }

  @Test
  void clientFailing_failsTheApplicationsFutureWithTheSameError_andReleasesTheCall() {
    IOException refused = new IOException("connection refused");

    client.completeExceptionally(refused);

    assertThatThrownBy(app::get).isInstanceOf(ExecutionException.class).hasCause(refused);
    assertThat(handle.events).containsExactly("failure");
  }

  @Test
  void cancellingTheApplicationsFuture_cancelsTheClients() {
    assertThat(app.cancel(true)).isTrue();

    assertThat(client.isCancelled()).isTrue();
    assertThat(app.isCancelled()).isTrue();
    assertThat(handle.events).containsExactly("failure");
  }

  /** Completes the client's future with a real response of the JDK's, its body made by {@code handler}. */
  @SuppressWarnings("unchecked")
  private <T> HttpResponse<T> respond(HttpResponse.BodyHandler<T> handler) throws Exception {
    HttpResponse<T> response = BlockedResponse.complete(REQUEST, handler, JSON).get();
    client.complete((HttpResponse<Object>) (HttpResponse<?>) response);
    return response;
  }
}
