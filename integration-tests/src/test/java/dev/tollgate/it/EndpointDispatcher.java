package dev.tollgate.it;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * One loopback server shared by many endpoints: each endpoint is a first path segment ({@code /<id>/v1/…})
 * with its own answer, and the requests each one received can be read back apart.
 */
final class EndpointDispatcher extends Dispatcher {
  private final Map<String, Function<RecordedRequest, MockResponse>> answers = new ConcurrentHashMap<>();
  private final List<RecordedRequest> received = new CopyOnWriteArrayList<>();

  @Override
  public MockResponse dispatch(RecordedRequest request) {
    received.add(request);
    String path = request.getUrl().encodedPath();
    String first = path.substring(1, path.indexOf('/', 1) < 0 ? path.length() : path.indexOf('/', 1));
    Function<RecordedRequest, MockResponse> answer = answers.get(first);
    return answer == null ? new MockResponse.Builder().code(404).body("no scenario " + first).build() : answer.apply(request);
  }

  /** How endpoint {@code id}'s requests are answered. */
  void answer(String id, Supplier<MockResponse> answer) {
    answers.put(id, request -> answer.get());
  }

  /** How endpoint {@code id}'s requests are answered, by the request (its path, say). */
  void answer(String id, Function<RecordedRequest, MockResponse> answer) {
    answers.put(id, answer);
  }

  /** The requests endpoint {@code id} received, in order. */
  List<RecordedRequest> received(String id) {
    return received.stream().filter(r -> r.getUrl().encodedPath().startsWith("/" + id + "/")).collect(Collectors.toList());
  }
}
