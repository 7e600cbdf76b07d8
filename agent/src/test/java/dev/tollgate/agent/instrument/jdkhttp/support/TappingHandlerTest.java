package dev.tollgate.agent.instrument.jdkhttp.support;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.agent.instrument.RecordingHandle;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/** The application's body handlers behind the tap, driven the way the JDK client drives them. */
class TappingHandlerTest {
  private static final byte[] JSON = "{\"usage\":{\"prompt_tokens\":1}}".getBytes(StandardCharsets.UTF_8);

  private final RecordingHandle handle = RecordingHandle.proceeding();
  private boolean cancelled;

  /** Regression: the client does not always signal the end of a body whose subscriber cancelled, so the call stayed open. */
  @Test
  void ofInputStreamClosedBeforeItsEnd_endsTheCall_evenWhenTheClientSignalsNothingMore() throws Exception {
    HttpResponse.BodySubscriber<InputStream> subscriber = subscribe(HttpResponse.BodyHandlers.ofInputStream());
    InputStream body = subscriber.getBody().toCompletableFuture().get();
    subscriber.onNext(List.of(ByteBuffer.wrap(JSON, 0, 8)));

    assertThat(body.read(new byte[8])).isEqualTo(8);
    body.close();

    assertThat(cancelled).isTrue();
    assertThat(handle.events).containsExactly("start 200 application/json", "error");
    assertThat(handle.body.size()).isEqualTo(8);
  }

  @Test
  void ofStringReadToItsEnd_tapsEveryChunk_thenEnds() throws Exception {
    HttpResponse.BodySubscriber<String> subscriber = subscribe(HttpResponse.BodyHandlers.ofString());

    subscriber.onNext(List.of(ByteBuffer.wrap(JSON)));
    subscriber.onComplete();

    assertThat(subscriber.getBody().toCompletableFuture().get()).isEqualTo(new String(JSON, StandardCharsets.UTF_8));
    assertThat(handle.events).containsExactly("start 200 application/json", "end");
    assertThat(handle.body.toByteArray()).isEqualTo(JSON);
    assertThat(cancelled).isFalse();
  }

  @Test
  void theContentLength_reachesTheTap_andOneThatIsNotANumberReadsAsUnknown() {
    new TappingHandler<>(handle, HttpResponse.BodyHandlers.ofString()).apply(new Info(Map.of("content-length", List.of("30"))));
    new TappingHandler<>(handle, HttpResponse.BodyHandlers.ofString()).apply(new Info(Map.of("content-length", List.of("thirty"))));
    new TappingHandler<>(handle, HttpResponse.BodyHandlers.ofString()).apply(new Info(Map.of()));

    assertThat(handle.lengths).containsExactly(30L, -1L, -1L);
  }

  private <T> HttpResponse.BodySubscriber<T> subscribe(HttpResponse.BodyHandler<T> app) {
    HttpResponse.BodySubscriber<T> subscriber = new TappingHandler<>(handle, app).apply(new Info(Map.of()));
    subscriber.onSubscribe(new Flow.Subscription() {
      @Override
      public void request(long n) {}

      @Override
      public void cancel() {
        cancelled = true;
      }
    });
    return subscriber;
  }

  private static final class Info implements HttpResponse.ResponseInfo {
    private final Map<String, List<String>> headers = new java.util.HashMap<>(Map.of("content-type", List.of("application/json")));

    Info(Map<String, List<String>> more) {
      headers.putAll(more);
    }

    @Override
    public int statusCode() {
      return 200;
    }

    @Override
    public HttpHeaders headers() {
      return HttpHeaders.of(headers, (k, v) -> true);
    }

    @Override
    public HttpClient.Version version() {
      return HttpClient.Version.HTTP_1_1;
    }
  }
}
