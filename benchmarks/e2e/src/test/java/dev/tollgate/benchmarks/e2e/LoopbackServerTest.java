package dev.tollgate.benchmarks.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class LoopbackServerTest {
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void post_withoutStream_answersTheOneKilobyteCompletion_onAKeptAliveConnection() throws Exception {
    try (LoopbackServer server = new LoopbackServer()) {
      for (int i = 0; i < 3; i++) {
        HttpResponse<String> r = client.send(post(server, OpenAiBodies.REQUEST), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.body()).hasSize(1024).startsWith("{\"id\":").endsWith("}").contains("\"usage\":{\"prompt_tokens\":71");
      }
    }
  }

  @Test
  void post_withStream_answersEveryEventThenDone() throws Exception {
    try (LoopbackServer server = new LoopbackServer()) {
      HttpResponse<java.util.stream.Stream<String>> r = client.send(post(server, OpenAiBodies.STREAM_REQUEST),
          HttpResponse.BodyHandlers.ofLines());
      java.util.List<String> data = r.body().filter(l -> l.startsWith("data: ")).collect(Collectors.toList());
      assertThat(r.headers().firstValue("Content-Type")).hasValue("text/event-stream");
      assertThat(data).hasSize(OpenAiBodies.STREAM_EVENTS).endsWith("data: [DONE]");
      assertThat(data.get(data.size() - 2)).contains("\"choices\":[],\"usage\":{\"prompt_tokens\":71,\"completion_tokens\":50");
    }
  }

  private static HttpRequest post(LoopbackServer server, String body) {
    return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/chat/completions"))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
  }
}
