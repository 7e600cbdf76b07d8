package dev.tollgate.it;

import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;
import mockwebserver3.SocketEffect;

/**
 * Answers {@code LoadApp}'s concurrent calls by the request's {@code X-Kind}: {@code ok} (JSON, or an
 * event stream when the request asks for one), {@code 429}, {@code 500}, {@code reset} (the
 * connection closes half-way through the body) or {@code slow} (the body stalls half-way until the client gives
 * up). Every response carries a fresh id ({@code <prefix>-<n>}), which the journal keeps as the
 * record's {@code request_id}, so a call can be found in the journal by what the app received.
 */
final class LoadServer extends Dispatcher {
  private final AtomicLong sequence = new AtomicLong();
  private final AtomicLong metered = new AtomicLong();
  private volatile String prefix = "call";
  private final String json;
  private final String sse;

  /** Serves the standard fixtures ({@link Fixtures#OPENAI_JSON}, {@link Fixtures#OPENAI_SSE}). */
  LoadServer() {
    this(Fixtures.OPENAI_JSON);
  }

  /** Serves {@code json} for plain calls (its {@code "id"} replaced per response). */
  LoadServer(String json) {
    this.json = json;
    this.sse = Fixtures.OPENAI_SSE;
  }

  /** Ids from now on start with {@code p} (one prefix per round of a test). */
  void prefix(String p) {
    prefix = p;
  }

  /** Metered requests that reached this server. */
  long metered() {
    return metered.get();
  }

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    metered.incrementAndGet();
    String id = prefix + "-" + sequence.incrementAndGet();
    String kind = String.valueOf(request.getHeaders().get("X-Kind"));
    boolean stream = request.getBody() != null && request.getBody().utf8().contains("\"stream\":true");
    switch (kind) {
      case "429":
      case "500":
        return new MockResponse.Builder().code(Integer.parseInt(kind)).addHeader("Content-Type", "application/json")
            .body("{\"error\":{\"message\":\"try later\",\"type\":\"server_error\"}}").build();
      case "reset":
        return new MockResponse.Builder(ok(id, stream)).onResponseBody(new SocketEffect.CloseSocket()).build();
      case "slow":
        return new MockResponse.Builder(ok(id, false)).onResponseBody(SocketEffect.Stall.INSTANCE).build();
      default:
        return ok(id, stream);
    }
  }

  private MockResponse ok(String id, boolean stream) {
    return stream ? Fixtures.sse(sse.replace("chatcmpl-s1", id)) : Fixtures.json(json.replace("chatcmpl-it1", id));
  }
}
