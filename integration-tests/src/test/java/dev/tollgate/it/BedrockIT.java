package dev.tollgate.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.it.apps.BedrockApp;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.Headers;
import okhttp3.Protocol;
import okio.Buffer;
import org.junit.jupiter.api.Test;

/**
 * The AWS SDK v2's Bedrock Runtime client, unmodified, under the agent, against a fake Bedrock on
 * loopback: one forked JVM per transport. The sync client on its default transport (Apache 5, itself
 * hooked: the call must be metered once), on Apache 4 and on UrlConnection set explicitly; the async
 * client on Netty over HTTP/2 (prior-knowledge h2c on plain http). Each meters exact tokens and cost,
 * and a call under a spent budget is blocked: the SDK's own 402 service error, nothing sent, no retry.
 */
class BedrockIT extends LoopbackTest {
  private static final Path FIXTURES = Fork.ROOT.resolve("agent/src/test/resources/responses/bedrock");
  /** us.anthropic.claude-3-5-haiku: 100 × 0.80 + 2048 cache reads × 0.08 + 512 cache writes × 1.00 + 12 × 4.00 per 1M. */
  private static final String CONVERSE_COST = "0.00080384";
  /** amazon.nova-pro: 83 × 0.80 + 1024 cache reads × 0.20 + 7 × 3.20 per 1M. */
  private static final String STREAM_COST = "0.0002936";
  /** anthropic.claude-3-5-haiku: 300 × 0.80 + 1000 × 0.08 + 200 × 1.00 + 25 × 4.00 per 1M. */
  static final String INVOKE_COST = "0.00062";
  /** Bedrock's invocation metrics: 512 × 0.80 + 9 × 4.00 per 1M. */
  static final String INVOKE_STREAM_COST = "0.0004456";

  private Fork app(String transport, MockWebServer fake) {
    fake.setDispatcher(new FakeBedrock());
    // Named "bedrock": the provider whose price table prices Bedrock's model ids.
    return Fork.app("aws", BedrockApp.class).prop("tollgate.data-dir", dataDir)
        .endpoint("bedrock", fake.url("/").toString(), "bedrock")
        .prop("tollgate.budget.tenant.blocked", "0")
        .args(transport, fake.url("/").toString());
  }

  @Test
  void syncClient_defaultTransport_meteredOnceWithExactCost_andBlockedWithoutSending() throws Exception {
    Fork.Result r = app("default", server).run();

    assertSync(r, server);
    // The default transport is Apache HttpClient 5, hooked itself: still one record per call.
  }

  @Test
  void syncClient_apache4AndUrlConnection_meteredWithExactCost_andBlockedWithoutSending() throws Exception {
    for (String transport : List.of("apache4", "urlconnection")) {
      try (MockWebServer fake = new MockWebServer()) {
        fake.start();
        Fork.Result r = app(transport, fake).run();

        assertSync(r, fake);
        deleteJournal();
      }
    }
  }

  @Test
  void asyncClient_nettyOverHttp2_meteresAllFourOperations_andBlocksWithoutSending() throws Exception {
    try (MockWebServer fake = new MockWebServer()) {
      fake.setProtocols(List.of(Protocol.H2_PRIOR_KNOWLEDGE));
      fake.start();
      Fork.Result r = app("netty", fake).run();

      assertThat(r.lines("CONVERSE ")).as(r.toString()).containsExactly("Hello there! How can I help you today? sdk-usage=100/12");
      assertThat(r.lines("STREAM ")).containsExactly("Hello there! sdk-usage=83/7");
      assertThat(r.lines("INVOKE ").get(0)).contains("\"input_tokens\":300");
      assertThat(r.lines("ISTREAM ")).containsExactly("..dd...");
      assertBlocked(r, fake, 4);
      Map<String, JsonNode> byOperation = byOperation();
      assertRecord(byOperation.get("converse"), BedrockApp.CONVERSE_MODEL, 2660, 12, CONVERSE_COST, false);
      assertRecord(byOperation.get("converse_stream"), BedrockApp.STREAM_MODEL, 1107, 7, STREAM_COST, true);
      assertRecord(byOperation.get("invoke"), BedrockApp.INVOKE_MODEL, 1500, 25, INVOKE_COST, false);
      assertRecord(byOperation.get("invoke_stream"), BedrockApp.INVOKE_STREAM_MODEL, 512, 9, INVOKE_STREAM_COST, true);
      assertThat(byOperation.get("converse_stream").get("cache_read_tokens").asLong()).isEqualTo(1024);
      assertNoSecretLeaked(r);
    }
  }

  private void assertSync(Fork.Result r, MockWebServer fake) throws IOException, InterruptedException {
    assertThat(r.lines("CONVERSE ")).as(r.toString()).containsExactly("Hello there! How can I help you today? sdk-usage=100/12");
    assertThat(r.lines("INVOKE ").get(0)).contains("\"input_tokens\":300");
    assertBlocked(r, fake, 2);
    Map<String, JsonNode> byOperation = byOperation();
    assertRecord(byOperation.get("converse"), BedrockApp.CONVERSE_MODEL, 2660, 12, CONVERSE_COST, false);
    assertRecord(byOperation.get("invoke"), BedrockApp.INVOKE_MODEL, 1500, 25, INVOKE_COST, false);
    assertThat(byOperation.get("converse").get("cache_write_tokens").asLong()).isEqualTo(512);
    assertNoSecretLeaked(r);
  }

  /** The blocked Converse: the SDK's own service exception with status 402, one blocked record, and the fake never saw it. */
  private void assertBlocked(Fork.Result r, MockWebServer fake, int allowedCalls) throws InterruptedException {
    assertThat(r.lines("BLOCKED ")).singleElement().asString()
        .startsWith("ERROR software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException Tollgate blocked this call")
        .contains("Status Code: 402").contains("(SDK Attempt Count: 1)");
    assertThat(fake.getRequestCount()).isEqualTo(allowedCalls); // no byte of the blocked call, no SDK retry of it
    // The agent's only line is the first block's: no unmetered-traffic warning for any transport's connection.
    assertThat(r.agentLog()).as(r.toString()).singleElement().asString().contains("blocked a call to bedrock");
    for (int i = 0; i < allowedCalls; i++) {
      RecordedRequest sent = fake.takeRequest();
      assertThat(sent.getHeaders().get("Authorization")).startsWith("AWS4-HMAC-SHA256 Credential=" + BedrockApp.ACCESS_KEY);
    }
    List<JsonNode> blocked = Journal.records(dataDir).stream().filter(n -> n.get("status").asText().equals("blocked"))
        .collect(Collectors.toList());
    assertThat(blocked).singleElement().satisfies(n -> {
      assertThat(n.get("model").asText()).isEqualTo(BedrockApp.CONVERSE_MODEL);
      assertThat(n.get("attributes").get("tenant").asText()).isEqualTo("blocked");
    });
  }

  private Map<String, JsonNode> byOperation() {
    return Journal.records(dataDir).stream().filter(n -> n.get("status").asText().equals("ok"))
        .collect(Collectors.toMap(n -> n.get("operation").asText(), n -> n));
  }

  /** A Bedrock record ({@code provider} {@code bedrock}): exact tokens and cost, not estimated, priced. */
  static void assertRecord(JsonNode rec, String model, long in, long out, String cost, boolean stream) {
    assertThat(rec).as("a record").isNotNull();
    assertThat(rec.get("provider").asText()).isEqualTo("bedrock");
    assertThat(rec.get("model").asText()).isEqualTo(model);
    assertThat(rec.get("input_tokens").asLong()).isEqualTo(in);
    assertThat(rec.get("output_tokens").asLong()).isEqualTo(out);
    assertThat(rec.get("cost").decimalValue()).isEqualByComparingTo(cost);
    assertThat(rec.get("estimated").asBoolean()).isFalse();
    assertThat(rec.get("stream").asBoolean()).isEqualTo(stream);
    assertThat(rec.has("unpriced") && rec.get("unpriced").asBoolean()).isFalse();
  }

  private void assertNoSecretLeaked(Fork.Result r) throws IOException {
    assertThat(r.stdout + r.stderr).doesNotContain(BedrockApp.SECRET_KEY);
    try (Stream<Path> files = Files.walk(dataDir)) {
      for (Path f : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        assertThat(Files.readString(f)).as(f.toString()).doesNotContain(BedrockApp.SECRET_KEY).doesNotContain("Say hello");
      }
    }
  }

  private void deleteJournal() throws IOException {
    try (Stream<Path> files = Files.walk(dataDir)) {
      files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  /** Bedrock Runtime's four operations, answered from the recorded corpus (also anthropic-java's Bedrock backend's, in {@link SdkIT}). */
  static final class FakeBedrock extends Dispatcher {
    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getUrl().encodedPath();
      if (path.endsWith("/converse")) {
        return json("converse.json", Headers.of());
      } else if (path.endsWith("/converse-stream")) {
        return eventStream("converse-stream.eventstream");
      } else if (path.endsWith("/invoke")) {
        return json("invoke-anthropic.json", Headers.of("X-Amzn-Bedrock-Input-Token-Count", "1500",
            "X-Amzn-Bedrock-Output-Token-Count", "25"));
      } else if (path.endsWith("/invoke-with-response-stream")) {
        // Bedrock names the payloads' type; anthropic-java's backend refuses a stream without it.
        return eventStream("invoke-stream-anthropic.eventstream").newBuilder()
            .addHeader("X-Amzn-Bedrock-Content-Type", "application/json").build();
      }
      return new MockResponse.Builder().code(404).build();
    }

    private static MockResponse json(String file, Headers extra) {
      return new MockResponse.Builder().headers(extra).addHeader("Content-Type", "application/json")
          .addHeader("x-amzn-RequestId", "2f1e0d9c-8b7a-4655-9432-10fedcba9876").body(read(file)).build();
    }

    private static MockResponse eventStream(String file) {
      return new MockResponse.Builder().addHeader("Content-Type", "application/vnd.amazon.eventstream")
          .addHeader("x-amzn-RequestId", "3a2b1c0d-9e8f-4765-a432-10fedcba9876").body(read(file)).build();
    }

    private static Buffer read(String file) {
      try {
        return new Buffer().write(Files.readAllBytes(FIXTURES.resolve(file)));
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    }
  }
}
