package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.it.apps.OkHttpApp;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code tollgate.alert.webhook} in a real JVM: one app on a fake OpenRouter wallet makes a call that
 * takes the balance below {@code tollgate.low-balance}, then two calls too dear to fit, while a second
 * client spends on the same key (drift); then the credit source fails and comes back. A loopback
 * webhook receives one POST per event, answering the first with 500 so it is retried, and the
 * webhook's secret path never appears in what the app prints.
 */
class AlertsIT extends LoopbackTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "T0SECRET1/B0SECRET2/xoxSecretWebhookToken";
  /** Up to 500 million output tokens of gpt-4o-mini: far beyond the wallet's 10 credits, so blocked. */
  private static final String DEAR_REQUEST = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"Say hello\"}],\"max_tokens\":500000000}";

  private final MockWebServer credits = new MockWebServer();
  private final MockWebServer hook = new MockWebServer();
  private final AtomicBoolean sourceDown = new AtomicBoolean();
  private final AtomicInteger posts = new AtomicInteger();
  private final List<String> bodies = new ArrayList<>();
  private final List<String> paths = new ArrayList<>();

  @BeforeEach
  void startServers() throws Exception {
    credits.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        if (sourceDown.get()) {
          return new MockResponse.Builder().code(500).body("{\"error\":{\"message\":\"upstream down\"}}").build();
        }
        // Once the app's call (0.000345) reached the provider, the key has also spent 0.5 elsewhere.
        String usage = server.getRequestCount() == 0 ? "0" : "0.500345";
        return Fixtures.json("{\"data\":{\"total_credits\":10,\"total_usage\":" + usage + "}}");
      }
    });
    credits.start();
    hook.setDispatcher(new Dispatcher() {
      @Override
      public MockResponse dispatch(RecordedRequest request) {
        synchronized (bodies) {
          bodies.add(request.getBody().utf8());
          paths.add(request.getTarget());
          bodies.notifyAll();
        }
        return new MockResponse.Builder().code(posts.getAndIncrement() == 0 ? 500 : 200).build();
      }
    });
    hook.start();
  }

  @AfterEach
  void stopServers() {
    credits.close();
    hook.close();
  }

  @Test
  void thresholdBlockDriftAndSourceDownAndBack_eachPostedOnce_firstRetriedAfter500_secretNeverPrinted() throws Exception {
    server.enqueue(Fixtures.json(Fixtures.OPENAI_JSON));
    Path stderr = tmp.resolve("app.err");
    String webhook = hook.url("/services/" + SECRET).toString();
    Process app = Fork.app("okhttp4", OkHttpApp.class)
        .prop("tollgate.data-dir", dataDir)
        .prop("tollgate.log-level", "debug")
        .prop("tollgate.wallet", "openrouter")
        .prop("tollgate.openrouter.url", credits.url("/api/v1").toString())
        .prop("tollgate.openrouter.key", "sk-or-v1-it-management-key")
        .prop("tollgate.reconcile-interval", "1s")
        .prop("tollgate.balance-refresh", "1s")
        .prop("tollgate.low-balance", "9.9999")
        .prop("tollgate.alert.webhook", webhook)
        .endpoint("fake-openai", url("/v1"), "openai")
        .args("sync", url("/v1/chat/completions"), Fixtures.OPENAI_REQUEST, "--and", url("/v1/chat/completions"), DEAR_REQUEST,
            "--and", url("/v1/chat/completions"), DEAR_REQUEST, "--hold")
        .start(stderr);
    java.util.concurrent.CompletableFuture<String> out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return new String(app.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      } catch (java.io.IOException e) {
        return "(unreadable: " + e + ")";
      }
    });
    String stdout;
    try {
      awaitTypes(Set.of("low_balance", "budget_blocked", "drift"));
      sourceDown.set(true);
      awaitTypes(Set.of("source_down"));
      sourceDown.set(false);
      awaitTypes(Set.of("source_up"));
    } finally {
      app.destroy();
      assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();
      stdout = out.get(60, TimeUnit.SECONDS);
    }
    String log = Files.readString(stderr);
    String context = "stdout:\n" + stdout + "\nstderr:\n" + log + "\nposts:\n" + String.join("\n", bodies);

    assertThat(stdout).as(context).contains("STATUS 200").contains("STATUS 402");
    List<JsonNode> events = new ArrayList<>();
    synchronized (bodies) {
      assertThat(paths).as(context).allMatch(p -> p.equals("/services/" + SECRET));
      assertThat(bodies.get(1)).as("the alert answered with 500 is posted again, unchanged").isEqualTo(bodies.get(0));
      for (String b : bodies.subList(1, bodies.size())) {
        events.add(JSON.readTree(b));
      }
    }
    List<String> types = events.stream().map(e -> e.at("/event/type").asText()).collect(Collectors.toList());
    // The app's call may land in the window after the one in which the provider billed it: then two
    // windows drift (+0.5 and −0.000345, both beyond 5%), and each is alerted.
    assertThat(types).as(context).filteredOn(t -> !t.equals("drift")).containsExactlyInAnyOrder("low_balance", "budget_blocked",
        "source_down", "source_up");
    assertThat(types).as(context).contains("drift");
    assertThat(events).allSatisfy(e -> assertThat(e.get("text").asText()).startsWith("Tollgate: "));
    JsonNode blocked = event(events, "budget_blocked");
    assertThat(blocked.at("/event/call/model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(blocked.at("/event/budget/period").asText()).isEqualTo("lifetime");
    JsonNode drift = event(events, "drift");
    assertThat(drift.at("/event/source").asText()).isEqualTo("openrouter");
    assertThat(drift.at("/event/remote").decimalValue()).isEqualByComparingTo(
        drift.at("/event/local").decimalValue().add(drift.at("/event/drift").decimalValue()));
    assertThat(event(events, "source_down").at("/event/reason").asText()).contains("500");
    assertThat(event(events, "low_balance").at("/event/threshold").asText()).isEqualTo("9.9999");
    assertThat(stdout + log).as("the webhook's secret path").doesNotContain(SECRET).doesNotContain("T0SECRET1");
    // At debug level the first block is a WARN that says later ones are logged; the second is a DEBUG line.
    List<String> blocks = log.lines().filter(l -> l.contains("blocked a call to")).collect(Collectors.toList());
    assertThat(blocks).as(context).hasSize(2);
    assertThat(blocks.get(0)).startsWith("[tollgate] WARN ").endsWith(
        "later blocks are counted in `tollgate report`, and logged at debug level");
    assertThat(blocks.get(1)).startsWith("[tollgate] DEBUG ").doesNotContain("later blocks");
  }

  private static JsonNode event(List<JsonNode> events, String type) {
    Predicate<JsonNode> ofType = e -> e.at("/event/type").asText().equals(type);
    return events.stream().filter(ofType).findFirst().orElseThrow();
  }

  /** Waits for posts of every type in {@code types}: a deadline for a stuck app, not a timing assertion. */
  private void awaitTypes(Set<String> types) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(90);
    synchronized (bodies) {
      while (!postedTypes().containsAll(types)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("no webhook post of " + types + " in 90 s; got " + String.join("\n", bodies));
        }
        bodies.wait(Math.max(1, left / 1_000_000));
      }
    }
  }

  private Set<String> postedTypes() throws Exception {
    Set<String> seen = new java.util.HashSet<>();
    for (String b : bodies) {
      seen.add(JSON.readTree(b).at("/event/type").asText());
    }
    return seen;
  }
}
