package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.ScenarioDriver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * An IT whose tests share forked JVMs, as {@link ClientContractIT} does: one {@link ScenarioDriver}
 * JVM per set of JVM-wide settings {@code J} (an enum of the subclass), forked the first time a test
 * needs it, running every call of that set. Each call has its own endpoint, named by its id: the URL
 * {@code http://127.0.0.1:PORT/<id>/...} ({@link #url}), answered as {@link #answer} says, its journal
 * records those whose {@code provider} is the id ({@link #only}), its requests those whose first path
 * segment is the id ({@link #requests}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class SharedJvms<J extends Enum<J>> {
  final MockWebServer server = new MockWebServer();
  /** What each endpoint answers, and what it received, by the first path segment. */
  private final EndpointDispatcher endpoints = new EndpointDispatcher();
  private final Map<J, ClientContractIT.Run> runs = new ConcurrentHashMap<>();
  /** Lives as long as the class (a {@code @TempDir} field would be emptied after each test, and a later test reads a JVM's data dir). */
  Path tmp = Path.of("");

  /** Every call the JVM of {@code jvm} makes, in order; each call's endpoint answered with {@link #answer}. */
  abstract Script script(J jvm);

  /**
   * The driver JVM for {@code jvm}: {@code Fork.app(classpath, ScenarioDriver.class)} with {@code dataDir},
   * {@code jvm}'s settings and an endpoint for each of the script's {@code ids}.
   */
  abstract Fork fork(J jvm, Path dataDir, List<String> ids);

  @BeforeAll
  void startServer() throws Exception {
    server.setDispatcher(endpoints);
    server.start();
    tmp = Files.createTempDirectory(getClass().getSimpleName());
  }

  @AfterAll
  void stopServer() throws IOException {
    server.close();
    try (Stream<Path> all = Files.walk(tmp)) {
      for (Path p : (Iterable<Path>) all.sorted(Comparator.reverseOrder())::iterator) {
        Files.delete(p);
      }
    }
  }

  /** How the server answers endpoint {@code id}'s requests. */
  void answer(String id, Supplier<MockResponse> answer) {
    endpoints.answer(id, answer);
  }

  /** How the server answers endpoint {@code id}'s requests, by the request. */
  void answerEach(String id, Function<RecordedRequest, MockResponse> answer) {
    endpoints.answer(id, answer);
  }

  /** The URL of {@code path} under endpoint {@code id}'s own first path segment. */
  String url(String id, String path) {
    return server.url("/" + id).toString() + path;
  }

  /** The forked JVM of {@code jvm}, run once with its whole script. */
  ClientContractIT.Run run(J jvm) {
    return runs.computeIfAbsent(jvm, j -> {
      Script script = script(j);
      return script.run(fork(j, dataDir(j), script.ids()), dataDir(j));
    });
  }

  /** The data dir of {@code jvm}'s JVM. */
  Path dataDir(J jvm) {
    return tmp.resolve(jvm.name().toLowerCase(Locale.ROOT)).resolve("data");
  }

  ClientContractIT.Slice slice(J jvm, String id) {
    return run(jvm).slice(id);
  }

  /** The requests the server received for endpoint {@code id}. */
  List<RecordedRequest> requests(String id) {
    return endpoints.received(id);
  }

  /** The one journal record of endpoint {@code id} in {@code jvm}'s journal. */
  JsonNode only(J jvm, String id) {
    List<JsonNode> all = run(jvm).journal.stream().filter(r -> r.get("provider").asText().equals(id)).collect(Collectors.toList());
    assertThat(all).as("journal records of " + id + " in " + run(jvm).journal).hasSize(1);
    return all.get(0);
  }
}
